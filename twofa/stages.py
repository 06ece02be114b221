"""twofa's login stage: after the right password, a challenge for the second factor.

Named in ACCOUNTS_LOGIN_STAGES, so accounts asks for it without knowing 2FA
exists; tokenAuth answers with what this stage says (the masked number, the
message), and the admin's login reads the same result.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import checks
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from accounts.stages import LoginPending, LoginStage
from twofa.methods import method_get
from twofa.models import PHONE_METHODS, Challenge
from twofa.phone import phone_mask
from twofa.selectors import TwoFactorState
from twofa.services import IssuedChallenge, login_challenge_start

_OTHER_WAYS = {
    "passkey": gettext_lazy("a passkey"),
    "totp": gettext_lazy("your authenticator app"),
    "recovery": gettext_lazy("a recovery code"),
}


@dataclass(frozen=True)
class ChallengeStarted:
    """The stage's result for the admin: the challenge, and every method of the
    user's (a phone that got nothing now can get a code by a resend)."""

    issued: IssuedChallenge
    methods: list[str]


def _challenge_message(issued: IssuedChallenge, masked: str | None) -> str:
    if issued.code_sent is None:
        return str(method_get(issued.challenge.channel).prompt)
    if issued.code_sent:
        return _("A verification code was sent to %(phone)s.") % {"phone": masked}
    if issued.retry_after:
        message = ngettext(
            "No code could be sent to %(phone)s just now; you can request one in "
            "%(seconds)s second.",
            "No code could be sent to %(phone)s just now; you can request one in "
            "%(seconds)s seconds.",
            issued.retry_after,
        ) % {"phone": masked, "seconds": issued.retry_after}
    else:
        message = _("No code could be sent to %(phone)s just now; you can request one shortly.") % {
            "phone": masked
        }
    others = [str(_OTHER_WAYS[m]) for m in issued.methods if m in _OTHER_WAYS]
    step_up = issued.challenge.purpose == Challenge.Purpose.STEP_UP
    if len(others) == 2:
        two = {"first": others[0], "second": others[1]}
        if step_up:
            message += " " + _("Or confirm with %(first)s or %(second)s.") % two
        else:
            message += " " + _("Or sign in with %(first)s or %(second)s.") % two
    elif others:
        if step_up:
            message += " " + _("Or confirm with %(way)s.") % {"way": others[0]}
        else:
            message += " " + _("Or sign in with %(way)s.") % {"way": others[0]}
    return message


def challenge_answer(issued: IssuedChallenge) -> dict:
    """What the client is told of a challenge (a LoginChallenge): tokenAuth's and stepUpBegin's."""
    challenge = issued.challenge
    by_phone = challenge.channel in PHONE_METHODS
    masked = phone_mask(challenge.phone_number) if by_phone else None
    offered = {}  # what each method offered says (a passkey: the request options)
    for key in issued.methods:
        offered.update(method_get(key).login_answer(challenge))
    return {
        **offered,
        "challenge": issued.token,
        "channel": challenge.channel if by_phone else None,
        "phone_number": masked,
        "code_sent": issued.code_sent,
        "code_not_sent_reason": getattr(issued.not_sent_reason, "value", None),
        "retry_after": issued.retry_after,
        "method": challenge.channel,
        "methods": list(issued.methods),
        "expires_in": challenge.expires_in,
        "message": _challenge_message(issued, masked),
    }


class SecondFactorStage(LoginStage):
    """A user with a phone or an authenticator app answers a challenge next."""

    key = "second_factor"

    def is_needed(self, user: User) -> bool:
        return TwoFactorState(user).enabled

    def start(self, request, user: User, *, ip: str) -> LoginPending | None:
        state = TwoFactorState(user)
        if not state.enabled:
            return None
        issued = login_challenge_start(user, ip=ip, state=state)
        return LoginPending(
            stage=self.key,
            answer=challenge_answer(issued),
            detail=ChallengeStarted(issued=issued, methods=state.methods),
        )


@checks.register(checks.Tags.security)
def check_second_factor_stage(app_configs, **kwargs):
    path = f"{SecondFactorStage.__module__}.{SecondFactorStage.__qualname__}"
    if path in settings.ACCOUNTS_LOGIN_STAGES:
        return []
    return [
        checks.Error(
            "ACCOUNTS_LOGIN_STAGES leaves out twofa's stage: logins would never ask "
            "for a second factor.",
            hint=f"Add {path!r} to ACCOUNTS_LOGIN_STAGES.",
            id="twofa.E010",
        )
    ]
