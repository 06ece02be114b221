"""Two-factor flows: sending codes, checking them, enrolling and removing phones.

Every code goes out and is checked through the provider service
(twofa.providers); nothing here knows an SDK. Attempt counters are committed in
their own short transactions before the answer is decided, so a caller that
rolls back on error (ATOMIC_REQUESTS-style) cannot undo them.
"""

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.tokens import TokenPair, refresh_tokens_revoke_all, token_pair_issue
from twofa.exceptions import CodeExpired, InvalidCode, ProviderUnavailable, TooManyAttempts
from twofa.models import Challenge, Channel, PhoneNumber
from twofa.phone import phone_mask, phone_normalise
from twofa.providers import provider_chain, provider_get

logger = logging.getLogger("twofa")

# The `amr` value (RFC 8176) that a code delivered by each channel proves.
CHANNEL_AMR = {Channel.SMS: "sms", Channel.CALL: "tel"}

_CODE_RE = re.compile(r"^[0-9]{4,10}$")


def _token_hash(raw: str) -> str:
    return hashlib.sha256((raw or "").encode()).hexdigest()


def _send(*, to: str, channel: str, purpose: str) -> tuple[str, str]:
    """Send a code through the first provider of the chain that is available.

    Returns (provider name, provider reference).
    """
    chain = provider_chain()
    for index, name in enumerate(chain):
        try:
            return name, provider_get(name).start(to=to, channel=channel, purpose=purpose)
        except ProviderUnavailable:
            if index == len(chain) - 1:
                raise
            logger.warning("provider %s unavailable, failing over to %s", name, chain[index + 1])
    raise ProviderUnavailable()


@dataclass(frozen=True)
class IssuedChallenge:
    challenge: Challenge
    token: str  # the opaque string the client sends back; we keep only its hash


def _challenge_create(*, user: User, purpose: str, number: str, channel: str) -> IssuedChallenge:
    channel = Channel(channel).value
    # Send first: if the provider fails, no challenge exists and nothing changed.
    provider, ref = _send(to=number, channel=channel, purpose=purpose)
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
    logger.info(
        "code sent: user=%s purpose=%s channel=%s to=%s provider=%s",
        user.pk,
        purpose,
        channel,
        phone_mask(number),
        provider,
    )
    return IssuedChallenge(challenge, token)


def _challenge_check(challenge: Challenge, code: str) -> Challenge:
    """Check a code against a challenge, counting the attempt first.

    The attempt is reserved under a row lock before the code is evaluated, so
    however many requests race, at most TWOFA_MAX_ATTEMPTS codes are ever
    evaluated for one challenge.
    """
    max_attempts = settings.TWOFA_MAX_ATTEMPTS
    with transaction.atomic():
        locked = Challenge.objects.select_for_update().get(pk=challenge.pk)
        if locked.status == Challenge.Status.FAILED:
            raise TooManyAttempts()
        if locked.status != Challenge.Status.PENDING or locked.is_expired:
            raise CodeExpired()
        if locked.attempts >= max_attempts:
            raise TooManyAttempts()
        locked.attempts += 1
        locked.save(update_fields=["attempts"])

    code = re.sub(r"[\s-]", "", code or "")
    provider = provider_get(locked.provider)
    if _CODE_RE.match(code) and provider.check(
        ref=locked.provider_ref, to=locked.phone_number, code=code
    ):
        # Only the request that moves the challenge out of PENDING wins; a
        # resend in between changed provider_ref, so the old code loses too.
        won = Challenge.objects.filter(
            pk=locked.pk, status=Challenge.Status.PENDING, provider_ref=locked.provider_ref
        ).update(status=Challenge.Status.VERIFIED, completed_at=timezone.now())
        if not won:
            raise CodeExpired()
        locked.status = Challenge.Status.VERIFIED
        logger.info("code verified: user=%s purpose=%s", locked.user_id, locked.purpose)
        return locked

    attempts_left = max_attempts - locked.attempts
    if attempts_left <= 0:
        Challenge.objects.filter(pk=locked.pk, status=Challenge.Status.PENDING).update(
            status=Challenge.Status.FAILED, completed_at=timezone.now()
        )
        logger.warning("challenge locked: user=%s purpose=%s", locked.user_id, locked.purpose)
    else:
        logger.info("wrong code: user=%s purpose=%s", locked.user_id, locked.purpose)
    raise InvalidCode(attempts_left=attempts_left)


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


def login_challenge_start(user: User, *, channel: str = Channel.SMS) -> IssuedChallenge:
    """Send a login code to the user's verified phone."""
    phone = PhoneNumber.objects.get(user=user)
    return _challenge_create(
        user=user, purpose=Challenge.Purpose.LOGIN, number=phone.number, channel=channel
    )


def login_challenge_verify(token: str, code: str) -> TokenPair:
    """Finish a 2FA login: a right code turns the challenge into a token pair."""
    challenge = _challenge_check(_login_challenge_get(token), code)
    return token_pair_issue(
        challenge.user,
        amr=["pwd", CHANNEL_AMR[challenge.channel]],
        auth_time=timezone.now(),
    )


def challenge_resend(token: str, *, channel: str | None = None) -> Challenge:
    """Send a new code for a pending login challenge.

    The previous code stops working; the attempt count and expiry stay.
    """
    challenge = _login_challenge_get(token)
    if challenge.status == Challenge.Status.FAILED:
        raise TooManyAttempts()
    if challenge.status != Challenge.Status.PENDING or challenge.is_expired:
        raise CodeExpired()
    channel = Channel(channel or challenge.channel).value
    provider, ref = _send(to=challenge.phone_number, channel=channel, purpose=challenge.purpose)
    now = timezone.now()
    updated = Challenge.objects.filter(pk=challenge.pk, status=Challenge.Status.PENDING).update(
        provider=provider, provider_ref=ref, channel=channel, last_sent_at=now
    )
    if not updated:
        raise CodeExpired()
    challenge.refresh_from_db()
    logger.info(
        "code resent: user=%s channel=%s to=%s provider=%s",
        challenge.user_id,
        channel,
        phone_mask(challenge.phone_number),
        provider,
    )
    return challenge


# --- Enrollment -----------------------------------------------------------------


def enrollment_start(user: User, raw_number: str, *, channel: str = Channel.SMS) -> Challenge:
    """Send an enrollment code to a new number; earlier pending enrollments end."""
    number = phone_normalise(raw_number)
    return _challenge_create(
        user=user, purpose=Challenge.Purpose.ENROLL, number=number, channel=channel
    ).challenge


def enrollment_confirm(user: User, raw_number: str, code: str) -> TokenPair:
    """Check an enrollment code; on success the number is the user's 2FA phone.

    Returns a fresh 2FA-verified token pair. Other sessions' refresh tokens are
    revoked, since the second factor just changed.
    """
    number = phone_normalise(raw_number)
    challenge = (
        Challenge.objects.filter(
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
    challenge = _challenge_check(challenge, code)
    now = timezone.now()
    with transaction.atomic():
        _, created = PhoneNumber.objects.update_or_create(
            user=user, defaults={"number": number, "verified_at": now}
        )
        refresh_tokens_revoke_all(user)
        tokens = token_pair_issue(user, amr=["pwd", CHANNEL_AMR[challenge.channel]], auth_time=now)
    logger.info(
        "%s: user=%s to=%s",
        "phone enrolled" if created else "phone changed",
        user.pk,
        phone_mask(number),
    )
    return tokens


def twofa_disable(user: User) -> None:
    """Turn 2FA off: forget the phone, end pending challenges, revoke refresh tokens."""
    now = timezone.now()
    with transaction.atomic():
        PhoneNumber.objects.filter(user=user).delete()
        Challenge.objects.filter(user=user, status=Challenge.Status.PENDING).update(
            status=Challenge.Status.REPLACED, completed_at=now
        )
        refresh_tokens_revoke_all(user)
    logger.info("2fa disabled: user=%s", user.pk)
