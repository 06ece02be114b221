"""A challenge from start to answer, whatever it is for (a login, a phone, an app).

Starting one ends the user's earlier pending ones of that purpose and, for a
method that sends, sends a code through the send path (twofa.delivery: limits,
failover, one live verification per number). Checking one reserves an attempt
on the row before the method (or the provider that sent the code) evaluates
it; the lifecycle's race rules live on twofa.models.Challenge. Every event is
audited (twofa.audit).
"""

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import timedelta
from enum import StrEnum

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.tokens import AMR_PASSWORD
from core import metrics
from core.exceptions import DomainError, RateLimited
from core.http import client_network
from twofa import limits, rollups
from twofa.audit import audit_record
from twofa.conf import twofa_settings
from twofa.delivery import audited_limits, code_send, number_reserved, provider_cancel
from twofa.exceptions import (
    CodeExpired,
    InvalidPhone,
    ProviderUnavailable,
    TooManyAttempts,
)
from twofa.methods import method_get
from twofa.methods.base import Proof
from twofa.models import OWNER_PURPOSES, AuditEvent, Challenge

Kind = AuditEvent.Kind


def token_hash(raw: str) -> str:
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
        token_hash=token_hash(token),
        purpose=purpose,
        phone_number=number,
        channel=channel,
        provider=provider,
        provider_ref=ref,
        last_sent_at=now if sent else None,
        **local,
        expires_at=now + timedelta(seconds=twofa_settings.TWOFA_CHALLENGE_TTL),
    )
    metrics.CHALLENGES.labels(purpose, "started").inc()
    return IssuedChallenge(challenge, token, code_sent=sent if method_get(channel).sends else None)


def challenge_create(
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
    `number`; any other sends nothing (`local`: what the methods need stored,
    e.g. totp_device, webauthn_challenge).

    A login (or step-up) challenge is created even when the code can't be sent (or
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
            return _challenge_record(
                **record,
                provider=provider,
                ref=ref,
                sent=True,
                sent_from=client_network(ip),
                **local,
            )
    except tuple(_NOT_SENT_REASONS) as exc:
        if purpose not in OWNER_PURPOSES:
            raise
        issued = _challenge_record(**record, **local)
        return replace(
            issued,
            not_sent_reason=_NOT_SENT_REASONS[type(exc)],
            retry_after=exc.extensions.get("retryAfter"),
        )


@dataclass(frozen=True)
class Verified:
    challenge: Challenge
    method: str  # what the right code was: "sms", "call", "totp", "passkey" or "recovery"
    proof: Proof | None = None  # what a method proved beyond "right" (a passkey)

    @property
    def proved(self) -> tuple[str, ...]:
        """The `amr` values the right answer proved (a passkey's own, or the method's)."""
        return self.proof.amr if self.proof and self.proof.amr else (method_get(self.method).amr,)

    @property
    def amr(self) -> list[str]:
        return [AMR_PASSWORD, *self.proved]


def challenge_check(
    challenge: Challenge, code: str, *, ip: str, method: str | None = None
) -> Verified:
    """Check a code against a challenge, counting the attempt first.

    The attempt is reserved under a row lock before the code is evaluated, so
    however many requests race, at most TWOFA_MAX_ATTEMPTS codes are ever
    evaluated for one challenge, whatever the method.
    """
    user = challenge.user
    try:
        challenge.ensure_live()
    except CodeExpired:
        if challenge.status == Challenge.Status.PENDING:  # over by its TTL, not ended
            metrics.CHALLENGES.labels(challenge.purpose, "expired").inc()
        raise
    answer = method_get(method or challenge.channel)
    if answer.sends and challenge.sent_to_phone:
        # The code came by the latest send, whatever phone channel was named.
        answer = method_get(challenge.channel)
    audited_limits(
        lambda: limits.backoff_check(user),
        limit="backoff",
        user=user,
        phone=challenge.phone_number,
        ip=ip,
    )
    answer.ensure_usable(challenge)
    max_attempts = twofa_settings.TWOFA_MAX_ATTEMPTS
    locked = challenge.reserve_attempt(max_attempts=max_attempts)
    if answer.sends:  # a resend in between may have changed the channel
        answer = method_get(locked.channel)
        answer.ensure_usable(locked)
    code = answer.normalise(code)
    phone = locked.phone_number
    locked.checked_from = ip
    proof = _method_verify(locked, answer, code) if code is not None else False
    if proof:
        if not locked.mark_verified():
            raise CodeExpired()
        if answer.sends:
            rollups.verification_counted(locked)
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
        return Verified(locked, answer.key, proof if isinstance(proof, Proof) else None)

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
    raise answer.wrong_answer(attempts_left=attempts_left)


def _method_verify(challenge: Challenge, method, code: str) -> bool | Proof:
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


def challenges_end_pending(user: User) -> None:
    """End every pending challenge of a user (their sessions ended): a code sent
    before a password change or a reset can't finish a login afterwards. The
    providers' open verifications are closed once the change has committed."""
    open_at_provider = Challenge.objects.filter(user=user).replace_pending()
    if open_at_provider:
        transaction.on_commit(lambda: provider_cancel(open_at_provider))


def enrollment_challenge_get(user: User, purpose: str, **match) -> Challenge:
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
