"""The error-code table: every failure's `extensions.code` comes from here.

Domain errors raised by services are mapped to codes by class, in one table;
errors of the GraphQL machinery (parse, validation, variables) by the phase they
come from. Anything else is INTERNAL_SERVER_ERROR, logged with its traceback
and shown to the client without its text.
"""

import logging
from enum import StrEnum

import graphene
from django.conf import settings
from django.utils.translation import gettext_lazy
from graphql import GraphQLError

from accounts.exceptions import (
    InvalidCredentials,
    InvalidRefreshToken,
    TwoFactorRequired,
    Unauthenticated,
)
from core.exceptions import BadUserInput, DomainError, NotFound, RateLimited
from twofa.exceptions import (
    CodeExpired,
    InvalidCode,
    InvalidPhone,
    PasskeyInvalid,
    ProviderUnavailable,
    TooManyAttempts,
)

logger = logging.getLogger("schema")


class ErrorCode(StrEnum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    TWO_FACTOR_REQUIRED = "TWO_FACTOR_REQUIRED"
    INVALID_CODE = "INVALID_CODE"
    PASSKEY_INVALID = "PASSKEY_INVALID"
    CODE_EXPIRED = "CODE_EXPIRED"
    TOO_MANY_ATTEMPTS = "TOO_MANY_ATTEMPTS"
    RATE_LIMITED = "RATE_LIMITED"
    INVALID_PHONE = "INVALID_PHONE"
    INVALID_REFRESH_TOKEN = "INVALID_REFRESH_TOKEN"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    NOT_FOUND = "NOT_FOUND"
    PROVIDER_UNAVAILABLE = "PROVIDER_UNAVAILABLE"
    BAD_REQUEST = "BAD_REQUEST"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    # Automatic persisted queries (Apollo's protocol; the link retries with the query).
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


# One line per code for the schema's ErrorCode enum (codegen turns it into a
# union type with these as doc comments); the README's Errors table says more.
_ERROR_CODE_DESCRIPTIONS = {
    ErrorCode.UNAUTHENTICATED: "No token where one is needed, or a bad or expired token.",
    ErrorCode.INVALID_CREDENTIALS: "Wrong username or password.",
    ErrorCode.TWO_FACTOR_REQUIRED: "The token lacks a second factor, or a recent enough one.",
    ErrorCode.INVALID_CODE: "A wrong code; `attemptsLeft` says how many tries remain.",
    ErrorCode.PASSKEY_INVALID: (
        "A passkey assertion that can't be verified (unknown credential, bad signature, "
        "origin, user verification, counter); `attemptsLeft` in a 2FA challenge."
    ),
    ErrorCode.CODE_EXPIRED: "An unknown, used, replaced or expired challenge.",
    ErrorCode.TOO_MANY_ATTEMPTS: "The challenge had too many wrong codes: start again.",
    ErrorCode.RATE_LIMITED: "A limit was reached; `retryAfter` says when to try again.",
    ErrorCode.INVALID_PHONE: "A phone number that is invalid or gets no codes.",
    ErrorCode.INVALID_REFRESH_TOKEN: "An unknown, expired, used or revoked refresh token.",
    ErrorCode.BAD_USER_INPUT: "An unacceptable argument or variable; maybe `fields`.",
    ErrorCode.NOT_FOUND: "An unknown id.",
    ErrorCode.PROVIDER_UNAVAILABLE: "The SMS/voice provider could not be reached.",
    ErrorCode.BAD_REQUEST: "The HTTP request is not a GraphQL request we run.",
    ErrorCode.GRAPHQL_PARSE_FAILED: "The document can't be parsed.",
    ErrorCode.GRAPHQL_VALIDATION_FAILED: "The document doesn't match the schema.",
    ErrorCode.QUERY_TOO_COMPLEX: "The document is over a size or complexity limit.",
    ErrorCode.PERSISTED_QUERY_NOT_FOUND: "An unknown persisted-query hash: send the query.",
    ErrorCode.INTERNAL_SERVER_ERROR: "Anything unexpected (logged on the server).",
}


def _error_code_description(code: ErrorCode | None) -> str:
    if code is None:
        return (
            "Every value `errors[].extensions.code` can take. No field returns it: it is "
            "in the schema so that clients' codegen gives them the codes as a type."
        )
    return _ERROR_CODE_DESCRIPTIONS[code]


# Added to the schema as a type of its own (schema.schema), not used by a field.
ErrorCodeEnum = graphene.Enum.from_enum(ErrorCode, description=_error_code_description)


DOMAIN_ERROR_CODES: dict[type[DomainError], ErrorCode] = {
    Unauthenticated: ErrorCode.UNAUTHENTICATED,
    InvalidCredentials: ErrorCode.INVALID_CREDENTIALS,
    TwoFactorRequired: ErrorCode.TWO_FACTOR_REQUIRED,
    InvalidRefreshToken: ErrorCode.INVALID_REFRESH_TOKEN,
    InvalidCode: ErrorCode.INVALID_CODE,
    PasskeyInvalid: ErrorCode.PASSKEY_INVALID,
    CodeExpired: ErrorCode.CODE_EXPIRED,
    TooManyAttempts: ErrorCode.TOO_MANY_ATTEMPTS,
    InvalidPhone: ErrorCode.INVALID_PHONE,
    ProviderUnavailable: ErrorCode.PROVIDER_UNAVAILABLE,
    RateLimited: ErrorCode.RATE_LIMITED,
    BadUserInput: ErrorCode.BAD_USER_INPUT,
    NotFound: ErrorCode.NOT_FOUND,
}

INTERNAL_MESSAGE = gettext_lazy("Internal server error.")


def _domain_code(error: DomainError) -> ErrorCode | None:
    for cls in type(error).__mro__:
        if cls in DOMAIN_ERROR_CODES:
            return DOMAIN_ERROR_CODES[cls]
    return None


def error_format(error: GraphQLError, *, code: ErrorCode | None = None) -> dict:
    """The JSON of one GraphQL error, with `extensions.code`.

    `code` is the phase's code for errors of the GraphQL machinery (parse,
    validation, variables); errors raised while resolving fields are
    classified by their original exception.
    """
    original = error.original_error
    extensions: dict = {}
    message = error.message
    if code is None:
        code = _domain_code(original) if isinstance(original, DomainError) else None
        if code is not None:
            message = str(original.message)  # a default message is translated lazily
            extensions.update(original.extensions)
        else:
            code = ErrorCode.INTERNAL_SERVER_ERROR
            logger.error(
                "unexpected error at %s",
                ".".join(str(p) for p in error.path or []) or "(request)",
                exc_info=(type(original), original, original.__traceback__) if original else None,
            )
            message = str(INTERNAL_MESSAGE)
            if settings.DEBUG and original is not None:
                message = f"{INTERNAL_MESSAGE} {original}"
    formatted = {"message": message}
    if error.locations:
        formatted["locations"] = [
            {"line": loc.line, "column": loc.column} for loc in error.locations
        ]
    if error.path is not None:
        formatted["path"] = list(error.path)
    formatted["extensions"] = {"code": str(code), **extensions}
    return formatted


class RequestError(Exception):
    """The HTTP request can't be run as GraphQL at all."""

    def __init__(self, message: str, *, status: int = 400, code: ErrorCode = ErrorCode.BAD_REQUEST):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code


class GraphQLRequestError(RequestError):
    """A well-formed HTTP request whose document or variables GraphQL refuses
    (nothing ran): its status depends on the media type (schema/negotiation.py)."""


def request_error_format(code: ErrorCode, message: str) -> dict:
    """An error about the HTTP request itself, before any GraphQL ran."""
    return {"message": str(message), "extensions": {"code": str(code)}}
