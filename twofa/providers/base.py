"""The interface every delivery provider implements.

A delivery provider sends a code to a phone and later checks a code against
what it sent. It keeps its own state: `start` returns a reference (an id at a
remote service, or whatever a local stand-in needs to check the code later),
which the caller stores with the challenge and hands back to `check`.

Only providers that send belong here: an authenticator app or a recovery code
is a second-factor method (twofa.methods) that sends nothing.

Providers raise twofa.exceptions (InvalidPhone, CodeExpired, TooManyAttempts,
ProviderUnavailable, core.exceptions.RateLimited), never their SDK's own
errors, and never log a code or a credential, except the console provider,
whose purpose is to show codes during development.
"""

from abc import ABC, abstractmethod


class DeliveryProvider(ABC):
    name: str
    # Settings that must be non-empty for this provider (checked by twofa.E005).
    required_settings: tuple[str, ...] = ()

    @abstractmethod
    def start(self, *, to: str, channel: str, purpose: str, locale: str) -> str:
        """Send a new code to `to` (E.164) by `channel` ("sms" or "call"), with the
        message in `locale` (one of settings.LANGUAGES' codes: the provider maps it
        to its own, falling back to its default for a language it lacks).

        Returns the provider's reference to this verification.
        """

    @abstractmethod
    def check(self, *, ref: str, to: str, code: str) -> bool:
        """True if `code` is the one sent for `ref`; False for a wrong code."""

    def resend(self, *, ref: str, to: str, channel: str, purpose: str, locale: str) -> str:
        """Send again for an open verification; returns the (possibly new) reference."""
        return self.start(to=to, channel=channel, purpose=purpose, locale=locale)

    def cancel(self, *, ref: str) -> None:  # noqa: B027 - most providers have nothing to close
        """Close an open verification that will not be checked (best effort)."""
