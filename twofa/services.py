"""Two-factor flows: sending codes, checking them, enrolling and removing phones.

Every code goes out and is checked through the provider service
(twofa.providers); nothing here knows an SDK. Attempt counters are committed in
their own short transactions before the answer is decided, so a caller that
rolls back on error (ATOMIC_REQUESTS-style) cannot undo them. Every send goes
through the send path (twofa.delivery: limits, failover, one live verification
per number) and every event is audited (twofa.audit).
"""

import base64
import hashlib
import logging
import secrets
from dataclasses import dataclass, replace
from datetime import timedelta
from enum import StrEnum

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.tokens import AMR_PASSWORD, TokenPair, sessions_end, token_pair_issue
from core.exceptions import BadUserInput, DomainError, RateLimited
from twofa import limits
from twofa.audit import audit_record
from twofa.conf import twofa_settings
from twofa.delivery import audited_limits, code_send, number_reserved, provider_cancel
from twofa.exceptions import (
    CodeExpired,
    InvalidCode,
    InvalidPhone,
    ProviderUnavailable,
    TooManyAttempts,
)
from twofa.methods import method_get, methods_registered
from twofa.methods.recovery import recovery_code_format, recovery_code_new, recovery_digest
from twofa.models import (
    AuditEvent,
    Challenge,
    Channel,
    Method,
    MethodPreference,
    PhoneNumber,
    RecoveryCode,
)
from twofa.phone import phone_normalise, phone_send_allow
from twofa.selectors import TwoFactorState, methods_for, phone_number_for

Kind = AuditEvent.Kind
logger = logging.getLogger("twofa")


def _token_hash(raw: str) -> str:
    return hashlib.sha256((raw or "").encode()).hexdigest()


class CodeNotSentReason(StrEnum):
    """Why a login challenge was created without sending a code."""

    RATE_LIMITED = "rate_limited"  # a send limit, the back-off, or another send to the number
    PROVIDER_UNAVAILABLE = "provider_unavailable"  # every provider of the chain failed
    PHONE_REFUSED = "phone_refused"  # the number was refused (by a provider or our policy)


_NOT_SENT_REASONS = {
    RateLimited: CodeNotSentReason.RATE_LIMITED,
    ProviderUnavailable: CodeNotSentReason.PROVIDER_UNAVAILABLE,
    InvalidPhone: CodeNotSentReason.PHONE_REFUSED,
}


@dataclass(frozen=True)
class IssuedChallenge:
    challenge: Challenge
    token: str  # the opaque string the client sends back; we keep only its hash
    methods: tuple[str, ...] = ()  # the methods that can answer it now, for the client to offer
    code_sent: bool | None = None  # None: nothing to send (the app)
    not_sent_reason: CodeNotSentReason | None = None
    retry_after: int | None = None  # seconds, when the reason is a limit


def _challenge_record(
    *,
    user: User,
    purpose: str,
    number: str,
    channel: str,
    provider: str = "",
    ref: str = "",
    sent: bool = False,
    **local,
) -> IssuedChallenge:
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    challenge = Challenge.objects.create(
        user=user,
        token_hash=_token_hash(token),
        purpose=purpose,
        phone_number=number,
        channel=channel,
        provider=provider,
        provider_ref=ref,
        last_sent_at=now if sent else None,
        **local,
        expires_at=now + timedelta(seconds=twofa_settings.TWOFA_CHALLENGE_TTL),
    )
    return IssuedChallenge(challenge, token, code_sent=sent if method_get(channel).sends else None)


def _challenge_create(
    *,
    user: User,
    purpose: str,
    number: str,
    channel: str,
    ip: str,
    refused: DomainError | None = None,
    **local,
) -> IssuedChallenge:
    """Start a challenge by `channel`: a method that sends gets a code sent to
    `number`; any other sends nothing (`local`: what it needs, e.g. totp_device).

    A login challenge is created even when the code can't be sent (or
    `refused` says not to send it): the user can answer with another method,
    or send later with resendCode. An enrollment that can't be sent raises.
    """
    method = method_get(channel)
    record = {"user": user, "purpose": purpose, "number": number, "channel": method.key}
    provider_cancel(Challenge.objects.filter(user=user, purpose=purpose).replace_pending())
    if not method.sends:
        return _challenge_record(**record, **local)
    try:
        if refused is not None:
            raise refused
        with number_reserved(number, purpose=purpose):
            provider, ref = code_send(user=user, to=number, channel=channel, purpose=purpose, ip=ip)
            return _challenge_record(**record, provider=provider, ref=ref, sent=True)
    except tuple(_NOT_SENT_REASONS) as exc:
        if purpose != Challenge.Purpose.LOGIN:
            raise
        issued = _challenge_record(**record)
        return replace(
            issued,
            not_sent_reason=_NOT_SENT_REASONS[type(exc)],
            retry_after=exc.extensions.get("retryAfter"),
        )


@dataclass(frozen=True)
class Verified:
    challenge: Challenge
    method: str  # what the right code was: "sms", "call", "totp" or "recovery"

    @property
    def amr(self) -> list[str]:
        return [AMR_PASSWORD, method_get(self.method).amr]


def _challenge_check(
    challenge: Challenge, code: str, *, ip: str, method: str | None = None
) -> Verified:
    """Check a code against a challenge, counting the attempt first.

    The attempt is reserved under a row lock before the code is evaluated, so
    however many requests race, at most TWOFA_MAX_ATTEMPTS codes are ever
    evaluated for one challenge, whatever the method.
    """
    user = challenge.user
    challenge.ensure_live()
    answer = method_get(method or challenge.channel)
    if answer.sends and challenge.sent_to_phone:
        # The code came by the latest send, whatever phone channel was named.
        answer = method_get(challenge.channel)
    audited_limits(
        lambda: limits.backoff_check(user), user=user, phone=challenge.phone_number, ip=ip
    )
    answer.ensure_usable(challenge)
    max_attempts = twofa_settings.TWOFA_MAX_ATTEMPTS
    locked = challenge.reserve_attempt(max_attempts=max_attempts)
    if answer.sends:  # a resend in between may have changed the channel
        answer = method_get(locked.channel)
        answer.ensure_usable(locked)
    code = answer.normalise(code)
    phone = locked.phone_number
    if code is not None and _method_verify(locked, answer, code):
        if not locked.mark_verified():
            raise CodeExpired()
        if not answer.sends and locked.sent_to_phone:
            # Answered another way: close the code that went to the phone.
            provider_cancel([(locked.provider, locked.provider_ref)])
        audit_record(
            Kind.CODE_VERIFIED,
            user=user,
            phone=phone,
            ip=ip,
            purpose=locked.purpose,
            method=answer.key,
        )
        answer.verified(locked, ip=ip)
        return Verified(locked, answer.key)

    attempts_left = max_attempts - locked.attempts
    audit_record(
        Kind.WRONG_CODE,
        user=user,
        phone=phone,
        ip=ip,
        purpose=locked.purpose,
        method=answer.key,
        attempts_left=attempts_left,
    )
    if attempts_left <= 0:
        locked.mark_failed()
        if locked.sent_to_phone:
            provider_cancel([(locked.provider, locked.provider_ref)])
        backoff = limits.backoff_start(user)
        audit_record(
            Kind.LOCKED, user=user, phone=phone, ip=ip, purpose=locked.purpose, backoff=backoff
        )
    raise InvalidCode(attempts_left=attempts_left)


def _method_verify(challenge: Challenge, method, code: str) -> bool:
    """Ask the method (for a phone code, the provider that sent it) whether `code` is right."""
    try:
        return method.verify(challenge, code)
    except (ProviderUnavailable, RateLimited):
        # The code was not evaluated: give the reserved attempt back.
        challenge.release_attempt()
        raise
    except TooManyAttempts:
        # The provider's own attempt limit ended the verification there.
        challenge.mark_failed()
        raise


def _login_challenge_get(token: str) -> Challenge:
    challenge = (
        Challenge.objects.select_related("user")
        .filter(token_hash=_token_hash(token), purpose=Challenge.Purpose.LOGIN)
        .first()
    )
    if challenge is None or not challenge.user.is_active:
        raise CodeExpired()
    return challenge


def challenges_end_pending(user: User) -> None:
    """End every pending challenge of a user (their sessions ended): a code sent
    before a password change or a reset can't finish a login afterwards. The
    providers' open verifications are closed once the change has committed."""
    open_at_provider = Challenge.objects.filter(user=user).replace_pending()
    if open_at_provider:
        transaction.on_commit(lambda: provider_cancel(open_at_provider))


# --- Login ----------------------------------------------------------------------


def login_challenge_start(
    user: User, *, ip: str = "", state: TwoFactorState | None = None
) -> IssuedChallenge:
    """Start the second step of a login with the user's preferred method.

    With an authenticator app preferred nothing is sent; with SMS or CALL the
    code goes to the verified phone. Whoever passed the password step gets a
    challenge: when no code can be sent (a limit, the back-off after dead
    challenges, the providers down, the number refused) the challenge says
    why, and the methods that need no code from us still answer it.
    """
    state = state or TwoFactorState(user)
    number = state.phone.number if state.phone is not None else ""
    try:
        audited_limits(lambda: limits.backoff_check(user), user=user, phone=number, ip=ip)
        backoff = None
    except RateLimited as exc:
        backoff = exc  # no code goes out; verifyToken keeps refusing until it ends
    sends = method_get(state.preferred_method).sends
    issued = _challenge_create(
        user=user,
        purpose=Challenge.Purpose.LOGIN,
        number=number if sends else "",
        channel=state.preferred_method,
        ip=ip,
        refused=backoff,
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
    return _challenge_check(_login_challenge_get(token), code, ip=ip, method=method)


def login_challenge_verify(
    token: str, code: str, *, method: str | None = None, ip: str = ""
) -> TokenPair:
    """Finish a 2FA login through the API: a right code turns the challenge into a token pair."""
    verified = login_challenge_check(token, code, method=method, ip=ip)
    return token_pair_issue(verified.challenge.user, amr=verified.amr, auth_time=timezone.now())


def challenge_resend(token: str, *, channel: str | None = None, ip: str = "") -> Challenge:
    """Send a code (again) for a pending login challenge.

    A challenge that began with the authenticator app switches to the phone
    (SMS unless `channel` says CALL). Otherwise the previous code stops
    working, unless the provider re-sends the same code for a verification
    still open (Twilio does). The attempt count and expiry stay. Sends for one
    challenge are at least TWOFA_RESEND_COOLDOWN seconds apart.
    """
    challenge = _login_challenge_get(token)
    challenge.ensure_live()
    to_phone = challenge.sent_to_phone
    number = challenge.phone_number
    if not to_phone:
        phone = phone_number_for(challenge.user)
        if phone is None:
            raise BadUserInput("There is no phone number to send a code to.")
        number = phone.number
    channel = Channel(channel or (challenge.channel if to_phone else Channel.SMS)).value
    # A number this channel never goes to costs no send slot: the user can ask
    # for another channel at once.
    phone_send_allow(number=number, channel=channel)
    # A code that couldn't be checked during the back-off is not worth sending.
    audited_limits(
        lambda: limits.backoff_check(challenge.user), user=challenge.user, phone=number, ip=ip
    )
    cooldown = twofa_settings.TWOFA_RESEND_COOLDOWN
    # Of concurrent resends one goes out, whatever the challenge began with.
    if not challenge.claim_send_slot(cooldown=cooldown):
        challenge.refresh_from_db(fields=["status"])
        challenge.ensure_live()
        exc = RateLimited(
            "Wait before requesting another code.",
            retry_after=challenge.send_wait(cooldown=cooldown),
        )
        audit_record(
            Kind.RATE_LIMITED,
            user=challenge.user,
            phone=number,
            ip=ip,
            limit="resend_cooldown",
            retry_after=exc.extensions["retryAfter"],
        )
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
        recorded = challenge.record_send(provider=provider, ref=ref, channel=channel, number=number)
    if not recorded:
        provider_cancel([(provider, ref)])
        raise CodeExpired()
    challenge.refresh_from_db()
    return challenge


# --- Enrollment -----------------------------------------------------------------


def _enrollment_challenge(user: User, purpose: str, **match) -> Challenge:
    """The user's latest enrollment challenge of this kind that can still be
    answered (a failed one answers TOO_MANY_ATTEMPTS); CODE_EXPIRED without."""
    challenge = (
        Challenge.objects.select_related("user")
        .filter(
            user=user,
            purpose=purpose,
            status__in=[Challenge.Status.PENDING, Challenge.Status.FAILED],
            **match,
        )
        .order_by("-created_at")
        .first()
    )
    if challenge is None:
        raise CodeExpired()
    return challenge


def enrollment_start(
    user: User, raw_number: str, *, channel: str = Channel.SMS, ip: str = ""
) -> Challenge:
    """Send an enrollment code to a new number; earlier pending enrollments end."""
    number = phone_normalise(raw_number)
    return _challenge_create(
        user=user, purpose=Challenge.Purpose.ENROLL, number=number, channel=channel, ip=ip
    ).challenge


def enrollment_confirm(user: User, raw_number: str, code: str, *, ip: str = "") -> TokenPair:
    """Check an enrollment code; on success the number is the user's 2FA phone.

    Returns a fresh 2FA-verified token pair. Every other session ends, since
    the second factor just changed.
    """
    number = phone_normalise(raw_number)
    challenge = _enrollment_challenge(user, Challenge.Purpose.ENROLL, phone_number=number)
    verified = _challenge_check(challenge, code, ip=ip)
    now = timezone.now()
    with transaction.atomic():
        _, created = PhoneNumber.objects.update_or_create(
            user=user, defaults={"number": number, "verified_at": now}
        )
        sessions_end(user, reason="phone_enrolled" if created else "phone_changed")
        tokens = token_pair_issue(user, amr=verified.amr, auth_time=now)
    audit_record(Kind.ENROLLED if created else Kind.PHONE_CHANGED, user=user, phone=number, ip=ip)
    return tokens


def twofa_disable(user: User, *, ip: str = "", by_staff: User | None = None) -> None:
    """Turn 2FA off: forget the phone, the app and the recovery codes; every
    session of the user ends, and with them pending challenges. `by_staff`:
    the staff member who reset it (the audit row names them)."""
    with transaction.atomic():
        phone = PhoneNumber.objects.filter(user=user).first()
        for method in methods_registered().values():
            method.remove(user)
        MethodPreference.objects.filter(user=user).delete()
        sessions_end(user, reason="twofa_reset" if by_staff else "twofa_disabled")
    limits.backoff_clear(user)
    actor = {"by_staff": by_staff.get_username(), "by_staff_id": by_staff.pk} if by_staff else {}
    audit_record(
        Kind.RESET if by_staff else Kind.DISABLED,
        user=user,
        phone=phone.number if phone else "",
        ip=ip,
        **actor,
    )


# --- Authenticator apps (TOTP) -----------------------------------------------------


@dataclass(frozen=True)
class TotpSetup:
    device: TOTPDevice
    secret: str  # base32, as apps take it
    otpauth_uri: str


def totp_setup(user: User, *, ip: str = "") -> TotpSetup:
    """Create an unconfirmed authenticator-app device (replacing any earlier
    unconfirmed one) and a setup challenge that `totp_confirm` checks."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    _challenge_create(
        user=user,
        purpose=Challenge.Purpose.TOTP_SETUP,
        number="",
        channel=Method.TOTP,
        ip=ip,
        totp_device=device,
    )
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return TotpSetup(device=device, secret=secret, otpauth_uri=device.config_url)


def totp_confirm(user: User, code: str, *, ip: str = "") -> TokenPair:
    """Confirm the app with a code from it: 2FA is on (the app preferred), other
    apps are removed, every other session ends; returns a 2FA-verified pair."""
    challenge = _enrollment_challenge(user, Challenge.Purpose.TOTP_SETUP)
    verified = _challenge_check(challenge, code, ip=ip)
    now = timezone.now()
    with transaction.atomic():
        device = TOTPDevice.objects.filter(pk=challenge.totp_device_id, user=user).first()
        if device is None:
            raise CodeExpired()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        MethodPreference.objects.update_or_create(user=user, defaults={"method": Method.TOTP})
        sessions_end(user, reason="totp_enrolled")
        tokens = token_pair_issue(user, amr=verified.amr, auth_time=now)
    audit_record(Kind.TOTP_ENROLLED, user=user, ip=ip)
    return tokens


def totp_remove(user: User, *, ip: str = "") -> None:
    """Remove the authenticator app; every session ends. Without a phone left,
    2FA is turned off."""
    if phone_number_for(user) is None:
        audit_record(Kind.TOTP_REMOVED, user=user, ip=ip)
        twofa_disable(user, ip=ip)
        return
    with transaction.atomic():
        method_get(Method.TOTP).remove(user)
        MethodPreference.objects.filter(user=user, method=Method.TOTP).delete()
        sessions_end(user, reason="totp_removed")
    audit_record(Kind.TOTP_REMOVED, user=user, ip=ip)


# --- Recovery codes and preferences -------------------------------------------------


def recovery_codes_generate(user: User, *, ip: str = "") -> list[str]:
    """Replace the user's recovery codes with a new set; the codes are shown
    this once (only salted hashes are stored)."""
    codes = [recovery_code_new() for _ in range(twofa_settings.RECOVERY_CODE_COUNT)]
    rows = []
    for code in codes:
        salt = secrets.token_hex(16)
        rows.append(RecoveryCode(user=user, salt=salt, digest=recovery_digest(salt, code)))
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(rows)
    audit_record(Kind.RECOVERY_CODES_GENERATED, user=user, ip=ip, count=len(codes))
    return [recovery_code_format(code) for code in codes]


def preferred_method_set(user: User, method: str, *, ip: str = "") -> None:
    if method_get(method).fallback:
        raise BadUserInput("Recovery codes are for emergencies and can't be the preferred method.")
    if method not in methods_for(user):
        raise BadUserInput("That method is not set up for this account.")
    MethodPreference.objects.update_or_create(user=user, defaults={"method": method})
    audit_record(Kind.PREFERENCE_CHANGED, user=user, ip=ip, method=method)
