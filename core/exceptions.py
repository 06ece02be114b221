"""Domain errors shared by the apps.

Services raise these; the GraphQL edge (schema/errors.py) maps each class to an
`extensions.code` in one table. A domain error's message is written for the
client and is safe to show; anything else that escapes a resolver is reported
as INTERNAL_SERVER_ERROR without its text.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    default_message = _("The request could not be completed.")

    def __init__(self, message: str | None = None, **extensions):
        self.message = message or self.default_message
        # Extra machine-readable fields for the client, already in camelCase.
        self.extensions = extensions
        super().__init__(self.message)


class BadUserInput(DomainError):
    """An argument is well-typed but unacceptable (a weak password, a taken name)."""

    default_message = _("The input is not valid.")

    def __init__(self, message: str | None = None, *, fields: dict[str, list[str]] | None = None):
        super().__init__(message, **({"fields": fields} if fields else {}))


class NotFound(DomainError):
    default_message = _("Not found.")


class RateLimited(DomainError):
    default_message = _("Too many requests. Try again later.")

    def __init__(self, message: str | None = None, *, retry_after: int):
        super().__init__(message, retryAfter=max(1, int(retry_after)))
