from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class InvalidCode(DomainError):
    default_message = _("The code is not correct.")

    def __init__(self, message: str | None = None, *, attempts_left: int):
        super().__init__(message, attemptsLeft=max(0, attempts_left))


class PasskeyInvalid(InvalidCode):
    # An unknown credential, a bad signature, another origin or RP ID, a missing
    # user verification, a counter that went back: one answer for all, so a
    # caller learns nothing about which credentials exist.
    default_message = _("The passkey could not be verified.")

    def __init__(self, message: str | None = None, *, attempts_left: int | None = None):
        if attempts_left is None:  # a passwordless sign-in: no challenge to count on
            DomainError.__init__(self, message)
        else:
            super().__init__(message, attempts_left=attempts_left)


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
