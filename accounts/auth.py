"""Who is calling: the request's Bearer token, checked once per request.

The GraphQL view attaches a RequestAuth to the request. It reads the
Authorization header lazily and only once, and keeps a bad token's error
instead of raising it, so a stale header (which Apollo clients keep sending)
fails only the fields that need a user.
"""

import time
from functools import cached_property

from django.utils.translation import gettext as _
from graphql_jwt.settings import jwt_settings

from accounts.exceptions import TwoFactorRequired, Unauthenticated
from accounts.models import User
from accounts.tokens import Claims, access_token_authenticate


class RequestAuth:
    def __init__(self, request):
        self._header = request.META.get(jwt_settings.JWT_AUTH_HEADER_NAME, "")

    @cached_property
    def _resolved(self) -> tuple[User | None, Claims | None, Unauthenticated | None]:
        header = self._header.strip()
        if not header:
            return None, None, None
        parts = header.split()
        prefix = jwt_settings.JWT_AUTH_HEADER_PREFIX
        if len(parts) != 2 or parts[0].lower() != prefix.lower():
            return (
                None,
                None,
                Unauthenticated(f"The Authorization header must be '{prefix} <token>'."),
            )
        try:
            user, claims = access_token_authenticate(parts[1])
        except Unauthenticated as exc:
            return None, None, exc
        return user, claims, None

    @property
    def has_header(self) -> bool:
        """Whether the request carries an Authorization header at all."""
        return bool(self._header.strip())

    @property
    def user(self) -> User | None:
        """The caller, or None without a token; raises for a bad or expired token."""
        user, _, error = self._resolved
        if error is not None:
            raise error
        return user

    @property
    def optional_user(self) -> User | None:
        """The caller for fields that also work anonymously: a bad token counts as none."""
        return self._resolved[0]

    @property
    def claims(self) -> Claims | None:
        """The claims of the caller's valid token (None without one)."""
        return self._resolved[1]

    def require_user(self) -> User:
        user = self.user
        if user is None:
            raise Unauthenticated()
        return user

    def require_second_factor(self, *, max_age: int | None = None) -> User:
        """The caller, if their token was verified with a second factor.

        With max_age, the second factor must also have been checked within the
        last max_age seconds (step-up for sensitive changes).
        """
        user = self.require_user()
        claims = self._resolved[1]
        if not claims.second_factor_verified:
            raise TwoFactorRequired()
        if max_age is not None and (
            claims.auth_time is None or time.time() - claims.auth_time > max_age
        ):
            # stepUp: the client can check a factor again in place (stepUpBegin).
            raise TwoFactorRequired(
                _("This change needs a recent second-factor check: start one with stepUpBegin."),
                stepUp=True,
            )
        return user
