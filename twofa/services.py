"""Two-factor flows: sending codes, checking them, enrolling and removing phones.

Every code goes out and is checked through the provider service
(twofa.providers); nothing here knows an SDK. Attempt counters are committed in
their own short transactions before the answer is decided, so a caller that
rolls back on error (ATOMIC_REQUESTS-style) cannot undo them. Every send is
rate limited (twofa.limits) and every event audited (twofa.audit).
"""

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from accounts.tokens import TokenPair, refresh_tokens_revoke_all, token_pair_issue
from core.exceptions import DomainError, RateLimited
from twofa import limits
from twofa.audit import audit_record
from twofa.exceptions import CodeExpired, InvalidCode, ProviderUnavailable, TooManyAttempts
from twofa.models import AuditEvent, Challenge, Channel, PhoneNumber
from twofa.phone import phone_normalise
from twofa.providers import provider_chain, provider_get

Kind = AuditEvent.Kind
logger = logging.getLogger("twofa")

# The `amr` value (RFC 8176) that a code delivered by each channel proves.
CHANNEL_AMR = {Channel.SMS: "sms", Channel.CALL: "tel"}

_CODE_RE = re.compile(r"^[0-9]{4,10}$")


def _token_hash(raw: str) -> str:
    return hashlib.sha256((raw or "").encode()).hexdigest()


def _audited_limits(check, *, user: User, phone: str, ip: str, **detail) -> None:
    """Run a limit check; record a refusal in the audit trail before it propagates."""
    try:
        check()
    except RateLimited as exc:
        audit_record(
            Kind.RATE_LIMITED,
            user=user,
            phone=phone,
            ip=ip,
            retry_after=exc.extensions["retryAfter"],
            **detail,
        )
        raise


def _send(
    *,
    user: User,
    to: str,
    channel: str,
    purpose: str,
    ip: str,
    resend: tuple[str, str] | None = None,
) -> tuple[str, str]:
    """Send a code through the first available provider of the chain, within the limits.

    With `resend=(provider, ref)` the provider that holds that open
    verification is asked first (it may re-send rather than start anew); if it
    is unavailable, the rest of the chain starts a new one. Returns (provider
    name, provider reference).
    """
    _audited_limits(
        lambda: limits.send_allow(user=user, phone=to, ip=ip, purpose=purpose),
        user=user,
        phone=to,
        ip=ip,
        purpose=purpose,
    )
    attempts = []
    if resend is not None:
        name, ref = resend
        attempts.append(
            (
                name,
                lambda p, ref=ref: p.resend(ref=ref, to=to, channel=channel, purpose=purpose),
            )
        )
    for name in provider_chain():
        if resend is None or name != resend[0]:
            attempts.append((name, lambda p: p.start(to=to, channel=channel, purpose=purpose)))
    for index, (name, send) in enumerate(attempts):
        try:
            ref = send(provider_get(name))
        except ProviderUnavailable:
            if index == len(attempts) - 1:
                raise
            logger.warning("2FA provider %s unavailable; trying %s", name, attempts[index + 1][0])
            continue
        audit_record(
            Kind.CODE_SENT,
            user=user,
            phone=to,
            ip=ip,
            purpose=purpose,
            channel=channel,
            provider=name,
        )
        return name, ref
    raise ProviderUnavailable()


def _provider_cancel(challenges) -> None:
    """Close challenges' open verifications at their providers (best effort).

    Some providers (Vonage) refuse a new verification to a number while one is
    open, and an open verification is a code that still works there.
    """
    for provider, ref in challenges:
        try:
            provider_get(provider).cancel(ref=ref)
        except (DomainError, LookupError):
            logger.warning("could not cancel a verification at 2FA provider %s", provider)


@dataclass(frozen=True)
class IssuedChallenge:
    challenge: Challenge
    token: str  # the opaque string the client sends back; we keep only its hash


def _challenge_create(
    *, user: User, purpose: str, number: str, channel: str, ip: str
) -> IssuedChallenge:
    channel = Channel(channel).value
    replaced = Challenge.objects.filter(
        user=user, purpose=purpose, status=Challenge.Status.PENDING
    ).values_list("provider", "provider_ref")
    _provider_cancel(list(replaced))
    # Send first: if the provider fails, no challenge exists and nothing changed.
    provider, ref = _send(user=user, to=number, channel=channel, purpose=purpose, ip=ip)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        Challenge.objects.filter(
            user=user, purpose=purpose, status=Challenge.Status.PENDING
        ).update(status=Challenge.Status.REPLACED, completed_at=now)
        challenge = Challenge.objects.create(
            user=user,
            token_hash=_token_hash(token),
            purpose=purpose,
            phone_number=number,
            channel=channel,
            provider=provider,
            provider_ref=ref,
            last_sent_at=now,
            expires_at=now + timedelta(seconds=settings.TWOFA_CHALLENGE_TTL),
        )
    return IssuedChallenge(challenge, token)


def _challenge_ensure_live(challenge: Challenge) -> None:
    if challenge.status == Challenge.Status.FAILED:
        raise TooManyAttempts()
    if challenge.status != Challenge.Status.PENDING or challenge.is_expired:
        raise CodeExpired()


def _challenge_check(challenge: Challenge, code: str, *, ip: str) -> Challenge:
    """Check a code against a challenge, counting the attempt first.

    The attempt is reserved under a row lock before the code is evaluated, so
    however many requests race, at most TWOFA_MAX_ATTEMPTS codes are ever
    evaluated for one challenge.
    """
    user = challenge.user
    _challenge_ensure_live(challenge)
    _audited_limits(
        lambda: limits.backoff_check(user), user=user, phone=challenge.phone_number, ip=ip
    )
    max_attempts = settings.TWOFA_MAX_ATTEMPTS
    with transaction.atomic():
        locked = Challenge.objects.select_for_update().get(pk=challenge.pk)
        _challenge_ensure_live(locked)
        if locked.attempts >= max_attempts:
            raise TooManyAttempts()
        locked.attempts += 1
        locked.save(update_fields=["attempts"])

    code = re.sub(r"[\s-]", "", code or "")
    phone = locked.phone_number
    if _CODE_RE.match(code) and _provider_check(locked, code):
        # Only the request that moves the challenge out of PENDING wins; a
        # resend in between changed provider_ref, so the old code loses too.
        won = Challenge.objects.filter(
            pk=locked.pk, status=Challenge.Status.PENDING, provider_ref=locked.provider_ref
        ).update(status=Challenge.Status.VERIFIED, completed_at=timezone.now())
        if not won:
            raise CodeExpired()
        locked.status = Challenge.Status.VERIFIED
        audit_record(Kind.CODE_VERIFIED, user=user, phone=phone, ip=ip, purpose=locked.purpose)
        return locked

    attempts_left = max_attempts - locked.attempts
    audit_record(
        Kind.WRONG_CODE,
        user=user,
        phone=phone,
        ip=ip,
        purpose=locked.purpose,
        attempts_left=attempts_left,
    )
    if attempts_left <= 0:
        Challenge.objects.filter(pk=locked.pk, status=Challenge.Status.PENDING).update(
            status=Challenge.Status.FAILED, completed_at=timezone.now()
        )
        _provider_cancel([(locked.provider, locked.provider_ref)])
        backoff = limits.backoff_start(user)
        audit_record(
            Kind.LOCKED, user=user, phone=phone, ip=ip, purpose=locked.purpose, backoff=backoff
        )
    raise InvalidCode(attempts_left=attempts_left)


def _provider_check(challenge: Challenge, code: str) -> bool:
    """Ask the provider that sent the challenge's code whether `code` is it."""
    provider = provider_get(challenge.provider)
    try:
        return provider.check(ref=challenge.provider_ref, to=challenge.phone_number, code=code)
    except (ProviderUnavailable, RateLimited):
        # The code was not evaluated: give the reserved attempt back.
        Challenge.objects.filter(pk=challenge.pk, attempts__gt=0).update(attempts=F("attempts") - 1)
        raise
    except TooManyAttempts:
        # The provider's own attempt limit ended the verification there.
        Challenge.objects.filter(pk=challenge.pk, status=Challenge.Status.PENDING).update(
            status=Challenge.Status.FAILED, completed_at=timezone.now()
        )
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


# --- Login ----------------------------------------------------------------------


def login_challenge_start(
    user: User, *, ip: str = "", channel: str = Channel.SMS
) -> IssuedChallenge:
    """Send a login code to the user's verified phone."""
    phone = PhoneNumber.objects.get(user=user)
    _audited_limits(lambda: limits.backoff_check(user), user=user, phone=phone.number, ip=ip)
    return _challenge_create(
        user=user, purpose=Challenge.Purpose.LOGIN, number=phone.number, channel=channel, ip=ip
    )


def login_challenge_verify(token: str, code: str, *, ip: str = "") -> TokenPair:
    """Finish a 2FA login: a right code turns the challenge into a token pair."""
    challenge = _challenge_check(_login_challenge_get(token), code, ip=ip)
    return token_pair_issue(
        challenge.user,
        amr=["pwd", CHANNEL_AMR[challenge.channel]],
        auth_time=timezone.now(),
    )


def challenge_resend(token: str, *, channel: str | None = None, ip: str = "") -> Challenge:
    """Send a new code for a pending login challenge.

    The previous code stops working, unless the provider re-sends the same code
    for a verification still open (Twilio does); the attempt count and expiry
    stay. Sends
    for one challenge are at least TWOFA_RESEND_COOLDOWN seconds apart.
    """
    challenge = _login_challenge_get(token)
    _challenge_ensure_live(challenge)
    channel = Channel(channel or challenge.channel).value
    now = timezone.now()
    cooldown = timedelta(seconds=settings.TWOFA_RESEND_COOLDOWN)
    # Claim the send slot atomically: of concurrent resends, one goes out.
    claimed = Challenge.objects.filter(
        pk=challenge.pk, status=Challenge.Status.PENDING, last_sent_at__lte=now - cooldown
    ).update(last_sent_at=now)
    if not claimed:
        challenge.refresh_from_db(fields=["last_sent_at"])
        wait = cooldown - (now - challenge.last_sent_at)
        exc = RateLimited(
            "Wait before requesting another code.", retry_after=int(wait.total_seconds()) + 1
        )
        audit_record(
            Kind.RATE_LIMITED,
            user=challenge.user,
            phone=challenge.phone_number,
            ip=ip,
            limit="resend_cooldown",
            retry_after=exc.extensions["retryAfter"],
        )
        raise exc
    provider, ref = _send(
        user=challenge.user,
        to=challenge.phone_number,
        channel=channel,
        purpose=challenge.purpose,
        ip=ip,
        resend=(challenge.provider, challenge.provider_ref),
    )
    updated = Challenge.objects.filter(pk=challenge.pk, status=Challenge.Status.PENDING).update(
        provider=provider, provider_ref=ref, channel=channel
    )
    if not updated:
        raise CodeExpired()
    challenge.refresh_from_db()
    return challenge


# --- Enrollment -----------------------------------------------------------------


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

    Returns a fresh 2FA-verified token pair. Other sessions' refresh tokens are
    revoked, since the second factor just changed.
    """
    number = phone_normalise(raw_number)
    challenge = (
        Challenge.objects.select_related("user")
        .filter(
            user=user,
            purpose=Challenge.Purpose.ENROLL,
            phone_number=number,
            status__in=[Challenge.Status.PENDING, Challenge.Status.FAILED],
        )
        .order_by("-created_at")
        .first()
    )
    if challenge is None:
        raise CodeExpired()
    challenge = _challenge_check(challenge, code, ip=ip)
    now = timezone.now()
    with transaction.atomic():
        _, created = PhoneNumber.objects.update_or_create(
            user=user, defaults={"number": number, "verified_at": now}
        )
        refresh_tokens_revoke_all(user)
        tokens = token_pair_issue(user, amr=["pwd", CHANNEL_AMR[challenge.channel]], auth_time=now)
    audit_record(Kind.ENROLLED if created else Kind.PHONE_CHANGED, user=user, phone=number, ip=ip)
    return tokens


def twofa_disable(user: User, *, ip: str = "", by_staff: bool = False) -> None:
    """Turn 2FA off: forget the phone, end pending challenges, revoke refresh tokens."""
    now = timezone.now()
    with transaction.atomic():
        phone = PhoneNumber.objects.filter(user=user).first()
        PhoneNumber.objects.filter(user=user).delete()
        Challenge.objects.filter(user=user, status=Challenge.Status.PENDING).update(
            status=Challenge.Status.REPLACED, completed_at=now
        )
        refresh_tokens_revoke_all(user)
    limits.backoff_clear(user)
    audit_record(
        Kind.RESET if by_staff else Kind.DISABLED,
        user=user,
        phone=phone.number if phone else "",
        ip=ip,
    )
