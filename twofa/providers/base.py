"""The interface every code provider implements.

A provider sends a code to a phone and later checks a code against what it
sent. It keeps its own state: `start` returns a reference (an id at a remote
service, or for local providers whatever they need to check the code later),
which the caller stores with the challenge and hands back to `check`.

Providers raise twofa.exceptions (InvalidPhone, CodeExpired, TooManyAttempts,
ProviderUnavailable, core.exceptions.RateLimited), never their SDK's own
errors, and never log a code or a credential, except the console provider,
whose purpose is to show codes during development.
"""

from abc import ABC, abstractmethod


class Provider(ABC):
    name: str
    # Settings that must be non-empty for this provider (checked by twofa.E005).
    required_settings: tuple[str, ...] = ()

    @abstractmethod
    def start(self, *, to: str, channel: str, purpose: str) -> str:
        """Send a new code to `to` (E.164) by `channel` ("sms" or "call").

        Returns the provider's reference to this verification.
        """

    @abstractmethod
    def check(self, *, ref: str, to: str, code: str) -> bool:
        """True if `code` is the one sent for `ref`; False for a wrong code."""

    def resend(self, *, ref: str, to: str, channel: str, purpose: str) -> str:
        """Send again for an open verification; returns the (possibly new) reference."""
        return self.start(to=to, channel=channel, purpose=purpose)

    def cancel(self, *, ref: str) -> None:  # noqa: B027 - most providers have nothing to close
        """Close an open verification that will not be checked (best effort)."""


class LocalVerifier(Provider):
    """A verifier beside the remote providers: it checks codes it never sent.

    Authenticator apps (TOTP) and recovery codes: the user already holds the
    code, so there is nothing to start; `ref` names what to check against.
    """

    def start(self, *, to: str, channel: str, purpose: str) -> str:
        raise TypeError(f"The {self.name} verifier sends nothing.")
