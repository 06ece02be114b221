"""What every second-factor method declares: how it starts, verifies, shows itself, is removed.

A method is what a user answers a challenge with (a code sent by SMS or call,
an authenticator app, a passkey, a recovery code). It is not a delivery
provider: the phone methods hand the sending and the checking to the delivery
seam (twofa.providers, through the provider recorded on the challenge), the
others check locally and send nothing.

Methods are stateless singletons found by their key in the registry
(twofa.methods); services ask them, never branch on a method's name.
"""

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import BadUserInput
from twofa.exceptions import InvalidCode
from twofa.models import Challenge, PhoneNumber
from twofa.providers import provider_call, provider_get

if TYPE_CHECKING:
    from twofa.selectors import TwoFactorState

_CODE_RE = re.compile(r"^[0-9]{4,10}$")


@dataclass(frozen=True)
class Proof:
    """A right answer that proved more than "right": what `verify` may return
    instead of True. `amr` replaces the method's own value (a passkey proves
    `hwk` or `swk`, and `user` and `mfa` when it verified the user); `detail` is
    what the answer carried for the caller (a passkey's new credential)."""

    amr: tuple[str, ...] = ()
    detail: Any = None


class SecondFactorMethod(ABC):
    key: str  # the Method value: what Challenge.channel and MethodPreference hold
    amr: str  # what a right answer proves, as an RFC 8176 `amr` value
    # How it starts: True, a code goes to the user's phone through the delivery
    # seam; False, nothing is sent (the user already holds the answer).
    sends = False
    # A fallback is offered only beside another method and is never preferred.
    fallback = False
    # What the user is told when a login starts with this method and sends nothing.
    prompt = ""
    # The error for a wrong answer (with `attemptsLeft`).
    wrong_answer: type[InvalidCode] = InvalidCode

    @abstractmethod
    def available(self, state: "TwoFactorState") -> bool:
        """Whether the user has this method set up (me.twoFactor.methods lists it)."""

    def ensure_usable(self, challenge: Challenge) -> None:  # noqa: B027 - most always are
        """BadUserInput when this challenge can't be answered this way (before any attempt)."""

    def normalise(self, code: str) -> str | None:
        """The code as `verify` takes it, or None when it can't be right."""
        code = re.sub(r"[\s-]", "", code or "")
        return code if _CODE_RE.match(code) else None

    def login_fields(self, state: "TwoFactorState") -> dict:
        """What a login challenge stores for this method when it is offered
        (Challenge fields, e.g. a passkey's WebAuthn challenge)."""
        return {}

    def login_answer(self, challenge: Challenge) -> dict:
        """What tokenAuth's challenge says for this method when it is offered
        (LoginChallenge fields, e.g. a passkey's request options)."""
        return {}

    @abstractmethod
    def verify(self, challenge: Challenge, code: str) -> "bool | Proof":
        """True (or a Proof) if `code` answers the challenge; False for a wrong one. Called
        with an attempt already reserved; raises a DomainError when the code
        could not be evaluated (ProviderUnavailable, RateLimited: the attempt is
        given back) or the challenge is over (CodeExpired, TooManyAttempts)."""

    def verified(self, challenge: Challenge, *, ip: str) -> None:  # noqa: B027 - most have nothing
        """After a right answer: what the method records (e.g. a recovery code used)."""

    @abstractmethod
    def remove(self, user: User) -> None:
        """Forget the user's enrollment of this method (2FA turned off or reset)."""


class PhoneCodeMethod(SecondFactorMethod):
    """A code sent to the user's verified phone (enrolled by registerPhone/verifyPhone)."""

    sends = True

    def available(self, state: "TwoFactorState") -> bool:
        return state.phone is not None

    def ensure_usable(self, challenge: Challenge) -> None:
        if not (challenge.sent_to_phone and challenge.provider_ref):
            raise BadUserInput(
                _("No code was sent to a phone for this challenge: request one with resendCode.")
            )

    def verify(self, challenge: Challenge, code: str) -> bool:
        # The provider that sent the latest code checks it, whichever phone
        # channel the user names: the code came by the latest send.
        provider = provider_get(challenge.provider)
        with provider_call(challenge.provider, "check"):
            return provider.check(ref=challenge.provider_ref, to=challenge.phone_number, code=code)

    def verified(self, challenge: Challenge, *, ip: str) -> None:
        if challenge.proves_owner:  # me.twoFactor.phone.lastUsedAt
            PhoneNumber.objects.filter(
                user=challenge.user_id, number=challenge.phone_number
            ).update(last_used_at=timezone.now())

    def remove(self, user: User) -> None:
        PhoneNumber.objects.filter(user=user).delete()
