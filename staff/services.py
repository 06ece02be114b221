"""The admin's two-step login, on the same services as the API's.

The password step is accounts' credentials_check (the failed-login limits
tokenAuth counts against too), then the same login stages as tokenAuth
(ACCOUNTS_LOGIN_STAGES); the second step answers twofa's login challenge
(the same attempts, back-off, provider service and audit trail). Between the
steps the challenge token stays in the server-side session, never in a URL or
a page.
"""

from dataclasses import dataclass

from django.conf import settings

from accounts.exceptions import InvalidCredentials
from accounts.models import User
from accounts.services import credentials_check
from accounts.stages import login_stages_start
from accounts.tokens import AMR_PASSWORD
from core.http import client_ip
from staff.exceptions import SecondFactorMissing
from staff.sessions import staff_session_begin
from twofa.exceptions import CodeExpired, InvalidCode, TooManyAttempts
from twofa.models import Challenge
from twofa.phone import phone_mask
from twofa.services import challenge_resend, login_challenge_check
from twofa.stages import ChallengeStarted

SESSION_PENDING = "staff.pending"


@dataclass(frozen=True)
class PendingLogin:
    """A staff login between its two steps, as the session keeps it."""

    user_id: int
    token: str
    methods: list[str]  # every method of the staff member's
    channel: str  # the method of the latest send: "sms", "call", "totp" or "passkey"
    phone: str  # masked; empty when nothing went to a phone
    code_sent: bool | None = None  # False: the phone got nothing (see not_sent_reason)
    not_sent_reason: str = ""  # a twofa.services.CodeNotSentReason value
    retry_after: int | None = None
    # The WebAuthn request options for the page's script, when a passkey can answer.
    passkey_options: dict | None = None


def _pending_save(
    request,
    *,
    user_id: int,
    token: str,
    methods,
    challenge: Challenge,
    code_sent: bool | None,
    not_sent_reason: str = "",
    retry_after: int | None = None,
    passkey_options: dict | None = None,
) -> None:
    request.session[SESSION_PENDING] = {
        "user_id": user_id,
        "token": token,
        "methods": list(methods),
        "channel": challenge.channel,
        "phone": phone_mask(challenge.phone_number) if challenge.phone_number else "",
        "code_sent": code_sent,
        "not_sent_reason": not_sent_reason,
        "retry_after": retry_after,
        "passkey_options": passkey_options,
    }


def staff_login_pending(request) -> PendingLogin | None:
    data = request.session.get(SESSION_PENDING)
    return PendingLogin(**data) if data else None


def _pending_drop(request) -> None:
    request.session.pop(SESSION_PENDING, None)


def staff_login_start(request, *, username: str, password: str) -> PendingLogin | None:
    """The password step. Returns the login waiting for its second factor, or
    None when the staff member was signed in on the password alone (DEBUG on
    and no factor enrolled)."""
    _pending_drop(request)
    user = credentials_check(request, username=username, password=password)
    if not user.is_staff:
        raise InvalidCredentials()
    pending = login_stages_start(request, user, ip=client_ip(request))
    if pending is None:
        if not settings.DEBUG:
            raise SecondFactorMissing(username=user.get_username())
        staff_session_begin(request, user, amr=[AMR_PASSWORD])
        return None
    started: ChallengeStarted = pending.detail
    issued = started.issued
    # A session key from before the password (planted, say) can't follow the login.
    request.session.cycle_key()
    _pending_save(
        request,
        user_id=user.pk,
        token=issued.token,
        # All of them: a phone that got nothing now can get a code by a resend.
        methods=started.methods,
        challenge=issued.challenge,
        code_sent=issued.code_sent,
        not_sent_reason=issued.not_sent_reason.value if issued.not_sent_reason else "",
        retry_after=issued.retry_after,
        passkey_options=pending.answer.get("passkey_options"),
    )
    return staff_login_pending(request)


def staff_login_verify(request, *, code: str, method: str) -> User:
    """The second step: a right code signs the staff member in to the admin.

    A challenge that can take no more codes (expired, used, too many wrong
    ones) is forgotten, so the next page asks for the password again.
    """
    pending = staff_login_pending(request)
    if pending is None:
        raise CodeExpired()
    try:
        verified = login_challenge_check(pending.token, code, method=method, ip=client_ip(request))
    except (CodeExpired, TooManyAttempts):
        _pending_drop(request)
        raise
    except InvalidCode as exc:
        if exc.extensions["attemptsLeft"] == 0:
            _pending_drop(request)
        raise
    user = verified.challenge.user
    _pending_drop(request)
    if user.pk != pending.user_id or not user.is_staff:
        raise CodeExpired()
    staff_session_begin(request, user, amr=verified.amr)
    return user


def staff_login_resend(request, *, channel: str) -> PendingLogin:
    """Send the code (again) to the staff member's phone, by SMS or call."""
    pending = staff_login_pending(request)
    if pending is None:
        raise CodeExpired()
    try:
        challenge = challenge_resend(pending.token, channel=channel, ip=client_ip(request))
    except (CodeExpired, TooManyAttempts):
        _pending_drop(request)
        raise
    _pending_save(
        request,
        user_id=pending.user_id,
        token=pending.token,
        methods=pending.methods,
        challenge=challenge,
        code_sent=True,
        passkey_options=pending.passkey_options,
    )
    return staff_login_pending(request)
