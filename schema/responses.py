"""The endpoint's HTTP answers: a GraphQL body as compact JSON in the negotiated
media type (schema/negotiation.py), or an error about the request itself (always
JSON, never Django's HTML error pages)."""

import json

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from schema.errors import ErrorCode, GraphQLRequestError, RequestError, request_error_format
from schema.negotiation import MediaType, response_status

_COMPACT = (",", ":")


def graphql_response(body: dict, *, status: int, media_type: MediaType) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body, separators=_COMPACT),
        status=status,
        content_type=str(media_type),
    )
    # The same request answers differently by Accept: a cache must not mix them.
    patch_vary_headers(response, ("Accept",))
    retry_after = _retry_after(body)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def request_error_response(error: RequestError, *, media_type: MediaType) -> HttpResponse:
    status = error.status
    if isinstance(error, GraphQLRequestError):
        status = response_status(media_type, refused_status=error.status)
    response = graphql_response(
        {"errors": [request_error_format(error.code, error.message)]},
        status=status,
        media_type=media_type,
    )
    if error.status == 405:
        response["Allow"] = "GET, POST"
    return response


def _retry_after(body: dict) -> int | None:
    """Seconds to wait when every error is RATE_LIMITED: the longest of their waits.

    Retry links read the header; with any other error in the answer, waiting
    would not help, so there is none. `extensions.retryAfter` stays.
    """
    errors = body.get("errors")
    if not errors or any(
        e.get("extensions", {}).get("code") != ErrorCode.RATE_LIMITED for e in errors
    ):
        return None
    waits = [e["extensions"].get("retryAfter") for e in errors]
    return max((w for w in waits if isinstance(w, int)), default=None)
