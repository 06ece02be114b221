from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class InvalidCode(DomainError):
    default_message = _("The code is not correct.")

    def __init__(self, message: str | None = None, *, attempts_left: int):
        super().__init__(message, attemptsLeft=max(0, attempts_left))


class CodeExpired(DomainError):
    # Unknown, used, replaced and expired challenges all answer the same, so a
    # client learns nothing about challenges it does not hold.
    default_message = _(
        "The code has expired or the challenge is no longer valid. Request a new code."
    )


class TooManyAttempts(DomainError):
    default_message = _("Too many wrong codes. Request a new code.")


class InvalidPhone(DomainError):
    default_message = _("The phone number is not valid.")


class ProviderUnavailable(DomainError):
    default_message = _("The verification service is unavailable. Try again shortly.")
