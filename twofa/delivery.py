"""The send path: one code to one phone, through the provider chain, within the limits.

Kept apart from the services (twofa.services) because it has rules of its own that every
send obeys, whichever flow asks (login, resend, enrollment):

- every provider attempt is counted against the send limits, audited (sent
  or failed, with the provider's name) and counted in the daily rollups
  (twofa.rollups): a request that timed out at one provider may still have
  reached the phone before the next one sent again;
- a number has at most one live verification. Providers keep one pending
  verification per number (Twilio per service, Vonage refuses a second), so two
  challenges sharing a number would share, and cancel, each other's code. A
  login send to the number's owner ends any live enrollment to that number; an
  enrollment is refused while a login to that number is live, and ends an
  earlier enrollment to it (the latest enrollment wins). Sends to one number
  are serialised by a short lock in the shared cache.
"""

import contextlib
import hashlib
import logging
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache
from django.utils.translation import gettext as _

from accounts.languages import language_of
from accounts.models import User
from core import metrics
from core.exceptions import DomainError, RateLimited
from core.ratelimit import cache_fail_closed
from twofa import limits, rollups
from twofa.audit import audit_record
from twofa.conf import twofa_settings
from twofa.exceptions import ProviderUnavailable
from twofa.models import OWNER_PURPOSES, AuditEvent, Challenge
from twofa.phone import phone_send_allow
from twofa.providers import provider_call, provider_chain, provider_get

Kind = AuditEvent.Kind
logger = logging.getLogger("twofa")


def audited_limits(check, *, limit: str, user: User, phone: str, ip: str, **detail) -> None:
    """Run a limit check; record a refusal (of `limit`: "send", "backoff") in
    the audit trail and the rollups before it propagates."""
    try:
        check()
    except RateLimited as exc:
        refusal_record(limit, user=user, phone=phone, ip=ip, exc=exc, **detail)
        raise


def refusal_record(
    limit: str, *, user: User, phone: str, ip: str, exc: RateLimited, **detail
) -> None:
    """Audit and count one rate-limit refusal."""
    audit_record(
        Kind.RATE_LIMITED,
        user=user,
        phone=phone,
        ip=ip,
        limit=limit,
        retry_after=exc.extensions["retryAfter"],
        **detail,
    )
    rollups.refusal_counted(limit)


def code_send(
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
    # Before any limit: a number we never send to must not spend anyone's budget.
    phone_send_allow(number=to, channel=channel)
    # The user's own language, else the language of the request asking.
    locale = language_of(user)
    attempts = []
    if resend is not None and resend[1]:
        name, ref = resend
        attempts.append(
            (
                name,
                "resend",
                lambda p, ref=ref: p.resend(
                    ref=ref, to=to, channel=channel, purpose=purpose, locale=locale
                ),
            )
        )
    for name in provider_chain():
        if not attempts or name != attempts[0][0]:
            attempts.append(
                (
                    name,
                    "start",
                    lambda p: p.start(to=to, channel=channel, purpose=purpose, locale=locale),
                )
            )
    detail = {"purpose": purpose, "channel": channel}
    for index, (name, operation, send) in enumerate(attempts):
        audited_limits(
            lambda: limits.send_allow(user=user, phone=to, ip=ip, purpose=purpose),
            limit="send",
            user=user,
            phone=to,
            ip=ip,
            purpose=purpose,
        )
        try:
            with provider_call(name, operation):
                ref = send(provider_get(name))
        except DomainError as exc:
            audit_record(
                Kind.SEND_FAILED,
                user=user,
                phone=to,
                ip=ip,
                provider=name,
                error=type(exc).__name__,
                **detail,
            )
            rollups.send_failure_counted(number=to, provider=name, channel=channel)
            if not isinstance(exc, ProviderUnavailable) or index == len(attempts) - 1:
                raise
            following = attempts[index + 1][0]
            metrics.FAILOVERS.labels(name, following).inc()
            logger.warning("2FA provider %s unavailable; trying %s", name, following)
            continue
        audit_record(Kind.CODE_SENT, user=user, phone=to, ip=ip, provider=name, **detail)
        rollups.send_counted(number=to, provider=name, channel=channel, ip=ip)
        return name, ref
    raise ProviderUnavailable()


def provider_cancel(verifications) -> None:
    """Close open verifications at their providers (best effort).

    Some providers (Vonage) refuse a new verification to a number while one is
    open, and an open verification is a code that still works there.
    """
    for provider, ref in verifications:
        if not ref:  # nothing was sent for it
            continue
        try:
            with provider_call(provider, "cancel"):
                provider_get(provider).cancel(ref=ref)
        except (DomainError, LookupError):
            logger.warning("could not cancel a verification at 2FA provider %s", provider)


def _lock_seconds() -> int:
    # Long enough for the slowest send: a cancel and a start at every provider.
    return 2 * twofa_settings.TWOFA_PROVIDER_TIMEOUT * max(1, len(provider_chain())) + 1


def _lock_take(key: str, holder: str, seconds: int) -> bool:
    with cache_fail_closed("twofa.number-lock"):
        return cache.add(key, holder, seconds)


@contextmanager
def number_reserved(number: str, *, purpose: str, keep: int | None = None) -> Iterator[None]:
    """Hold `number` for one send and settle the challenges live on it.

    Waits (up to the longest send) for another send to the number to finish.
    Then, for a login, any live enrollment to the number ends; for an
    enrollment, a live login to the number refuses it (RateLimited until the
    login ends) and an earlier enrollment ends. `keep` is the challenge doing
    the send, which is never ended here.
    """
    # Hashed, so the cache never holds a phone number.
    key = f"twofa:number-lock:{hashlib.sha256(number.encode()).hexdigest()}"
    holder = secrets.token_hex(8)
    seconds = _lock_seconds()
    deadline = time.monotonic() + seconds
    # The lock outlives the wait, so a waiter gives up rather than take over a
    # send still in flight.
    while not _lock_take(key, holder, seconds + 1):
        if time.monotonic() >= deadline:
            metrics.RATE_LIMITED.labels("twofa.number-lock").inc()
            raise RateLimited(
                _("Another code is being sent to this number. Try again shortly."),
                retry_after=seconds,
            )
        time.sleep(0.05)
    try:
        _live_challenges_settle(number, purpose=purpose, keep=keep)
        yield
    finally:
        with contextlib.suppress(Exception):  # a lock left behind expires by itself
            if cache.get(key) == holder:
                cache.delete(key)


def _live_challenges_settle(number: str, *, purpose: str, keep: int | None) -> None:
    live = Challenge.objects.live_codes_to(number).exclude(pk=keep)
    if purpose not in OWNER_PURPOSES:
        login = live.filter(purpose__in=OWNER_PURPOSES).order_by("-expires_at").first()
        if login is not None:
            metrics.RATE_LIMITED.labels("twofa.login-pending").inc()
            raise RateLimited(
                _("A sign-in code for this number is pending. Try again later."),
                retry_after=max(1, login.expires_in),
            )
    provider_cancel(live.replace_pending())
