"""The second step of a login: start the challenge, check an answer, send the code again.

Called by the API (twofa.schema, accounts) and the admin's login (staff) alike.
"""

from dataclasses import replace

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.tokens import TokenPair, token_pair_issue
from core.exceptions import BadUserInput, RateLimited
from core.http import client_network
from twofa import limits
from twofa.conf import twofa_settings
from twofa.delivery import (
    audited_limits,
    code_send,
    number_reserved,
    provider_cancel,
    refusal_record,
)
from twofa.exceptions import CodeExpired
from twofa.methods import method_get
from twofa.models import OWNER_PURPOSES, Challenge, Channel
from twofa.phone import phone_send_allow
from twofa.selectors import TwoFactorState, phone_number_for
from twofa.services.challenges import (
    IssuedChallenge,
    Verified,
    challenge_check,
    challenge_create,
    token_hash,
)


def owner_challenge_get(token: str, purposes, **match) -> Challenge:
    """The challenge a client's opaque string names, of one of `purposes`;
    CODE_EXPIRED alike for an unknown one, another purpose, or an inactive user."""
    challenge = (
        Challenge.objects.select_related("user")
        .filter(token_hash=token_hash(token), purpose__in=purposes, **match)
        .first()
    )
    if challenge is None or not challenge.user.is_active:
        raise CodeExpired()
    return challenge


def _login_challenge_get(token: str) -> Challenge:
    return owner_challenge_get(token, [Challenge.Purpose.LOGIN])


def login_challenge_start(
    user: User, *, ip: str = "", state: TwoFactorState | None = None
) -> IssuedChallenge:
    """Start the second step of a login with the user's preferred method.

    With an authenticator app or a passkey preferred nothing is sent; with SMS or CALL the
    code goes to the verified phone. Whoever passed the password step gets a
    challenge: when no code can be sent (a limit, the back-off after dead
    challenges, the providers down, the number refused) the challenge says
    why, and the methods that need no code from us still answer it.
    """
    state = state or TwoFactorState(user)
    return owner_challenge_start(
        user, purpose=Challenge.Purpose.LOGIN, method=state.preferred_method, ip=ip, state=state
    )


def owner_challenge_start(
    user: User, *, purpose: str, method: str, ip: str, state: TwoFactorState
) -> IssuedChallenge:
    """Start a challenge the user answers with a factor they have (a login, a
    step-up), by `method`: a code goes to the verified phone for SMS or CALL,
    with every limit and the back-off of a login; nothing is sent otherwise."""
    number = state.phone.number if state.phone is not None else ""
    try:
        audited_limits(
            lambda: limits.backoff_check(user), limit="backoff", user=user, phone=number, ip=ip
        )
        backoff = None
    except RateLimited as exc:
        backoff = exc  # no code goes out; verifyToken keeps refusing until it ends
    sends = method_get(method).sends
    local = {}  # what the methods offered keep on the challenge (a passkey's WebAuthn challenge)
    for key in state.methods:
        local.update(method_get(key).login_fields(state))
    issued = challenge_create(
        user=user,
        purpose=purpose,
        number=number if sends else "",
        channel=method,
        ip=ip,
        refused=backoff,
        **local,
    )
    methods = tuple(
        m for m in state.methods if issued.code_sent is not False or not method_get(m).sends
    )
    return replace(issued, methods=methods)


def login_challenge_check(
    token: str, code: str, *, method: str | None = None, ip: str = ""
) -> Verified:
    """The second step of a login, for every way in (the API, the admin).

    `method` defaults to the method of the challenge's latest send; any other
    method the user has (an app, a recovery code) may be used instead.
    """
    return challenge_check(_login_challenge_get(token), code, ip=ip, method=method)


def login_challenge_verify(
    token: str, code: str, *, method: str | None = None, ip: str = ""
) -> TokenPair:
    """Finish a 2FA login through the API: a right code turns the challenge into a token pair."""
    verified = login_challenge_check(token, code, method=method, ip=ip)
    return token_pair_issue(verified.challenge.user, amr=verified.amr, auth_time=timezone.now())


def challenge_resend(token: str, *, channel: str | None = None, ip: str = "") -> Challenge:
    """Send a code (again) for a pending login (or step-up) challenge.

    A challenge that began with the authenticator app switches to the phone
    (SMS unless `channel` says CALL). Otherwise the previous code stops
    working, unless the provider re-sends the same code for a verification
    still open (Twilio does). The attempt count and expiry stay. Sends for one
    challenge are at least TWOFA_RESEND_COOLDOWN seconds apart.
    """
    challenge = owner_challenge_get(token, OWNER_PURPOSES)
    challenge.ensure_live()
    to_phone = challenge.sent_to_phone
    number = challenge.phone_number
    if not to_phone:
        phone = phone_number_for(challenge.user)
        if phone is None:
            raise BadUserInput(_("There is no phone number to send a code to."))
        number = phone.number
    channel = Channel(channel or (challenge.channel if to_phone else Channel.SMS)).value
    # A number this channel never goes to costs no send slot: the user can ask
    # for another channel at once.
    phone_send_allow(number=number, channel=channel)
    # A code that couldn't be checked during the back-off is not worth sending.
    audited_limits(
        lambda: limits.backoff_check(challenge.user),
        limit="backoff",
        user=challenge.user,
        phone=number,
        ip=ip,
    )
    cooldown = twofa_settings.TWOFA_RESEND_COOLDOWN
    # Of concurrent resends one goes out, whatever the challenge began with.
    if not challenge.claim_send_slot(cooldown=cooldown):
        challenge.refresh_from_db(fields=["status"])
        challenge.ensure_live()
        exc = RateLimited(
            _("Wait before requesting another code."),
            retry_after=challenge.send_wait(cooldown=cooldown),
        )
        refusal_record("resend_cooldown", user=challenge.user, phone=number, ip=ip, exc=exc)
        raise exc
    with number_reserved(number, purpose=challenge.purpose, keep=challenge.pk):
        provider, ref = code_send(
            user=challenge.user,
            to=number,
            channel=channel,
            purpose=challenge.purpose,
            ip=ip,
            resend=(challenge.provider, challenge.provider_ref) if to_phone else None,
        )
        recorded = challenge.record_send(
            provider=provider,
            ref=ref,
            channel=channel,
            number=number,
            sent_from=client_network(ip),
        )
    if not recorded:
        provider_cancel([(provider, ref)])
        raise CodeExpired()
    challenge.refresh_from_db()
    return challenge
