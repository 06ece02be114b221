"""Limits on sending and checking codes, shared by all processes through the cache.

- sends per phone number, per user and per client network (core.http), per window (against SMS
  pumping and running up a bill), and a ceiling on all sends per window, whoever asks.
  Each number has two budgets: login codes to its verified owner, and enrollment codes,
  which anyone can ask for, so a stranger spending the number's enrollment budget never
  stops its owner's login code. Enrollment sends have their own per-user budget too;
- a back-off per user after a challenge dies of too many wrong codes, doubling
  with each one in a day (against spreading guesses over many challenges).

The resend cooldown per challenge lives on the challenge row itself
(Challenge.claim_send_slot), and the attempt limit per challenge too.
"""

import logging
import math
import time

from django.core.cache import cache
from django.utils.translation import gettext as _

from accounts.models import User
from core import metrics
from core.exceptions import RateLimited
from core.http import client_network
from core.ratelimit import cache_fail_closed, rate_limit_hit
from twofa.conf import twofa_settings
from twofa.models import OWNER_PURPOSES

_DAY = 24 * 3600
logger = logging.getLogger("twofa")


def send_allow(*, user: User, phone: str, ip: str, purpose: str) -> None:
    """Count one send (one provider attempt); RateLimited if any limit is exceeded."""
    window = twofa_settings.TWOFA_SEND_LIMIT_WINDOW
    # Only login and step-up codes go to a number its owner verified; every
    # other send is an enrollment, to a number the user has not (yet) proved they hold.
    budget = "login" if purpose in OWNER_PURPOSES else "enroll"
    rate_limit_hit(
        f"twofa.send.phone.{budget}",
        phone,
        limit=twofa_settings.TWOFA_SEND_LIMIT_PER_PHONE,
        period=window,
    )
    if budget == "enroll":
        rate_limit_hit(
            "twofa.send.user.enroll",
            str(user.pk),
            limit=twofa_settings.TWOFA_ENROLL_SEND_LIMIT_PER_USER,
            period=window,
        )
    rate_limit_hit(
        "twofa.send.user",
        str(user.pk),
        limit=twofa_settings.TWOFA_SEND_LIMIT_PER_USER,
        period=window,
    )
    rate_limit_hit(
        "twofa.send.ip",
        client_network(ip),
        limit=twofa_settings.TWOFA_SEND_LIMIT_PER_IP,
        period=window,
    )
    # Last, so that only sends every other limit let through spend the ceiling.
    try:
        rate_limit_hit(
            "twofa.send.global", "all", limit=twofa_settings.TWOFA_SEND_LIMIT_GLOBAL, period=window
        )
    except RateLimited as exc:
        # Once per window: a flood must not turn the alarm into log noise of its own.
        with cache_fail_closed("twofa.send.global"):
            first = cache.add("twofa:send-ceiling-alarm", True, exc.extensions["retryAfter"])
        if first:
            logger.error(
                "2FA send ceiling reached: TWOFA_SEND_LIMIT_GLOBAL=%s codes in %s s. No code is "
                "sent by SMS or call for the next %s s.",
                twofa_settings.TWOFA_SEND_LIMIT_GLOBAL,
                window,
                exc.extensions["retryAfter"],
            )
        raise


def _keys(user: User) -> tuple[str, str]:
    return f"twofa:dead-challenges:{user.pk}", f"twofa:backoff-until:{user.pk}"


def backoff_start(user: User) -> int:
    """A challenge of this user just died: start (or lengthen) the back-off. Returns seconds."""
    if twofa_settings.TWOFA_BACKOFF_BASE <= 0:
        return 0
    count_key, until_key = _keys(user)
    with cache_fail_closed("twofa.backoff"):
        cache.add(count_key, 0, _DAY)
        dead = cache.incr(count_key)
        seconds = min(
            twofa_settings.TWOFA_BACKOFF_BASE * 2 ** (dead - 1), twofa_settings.TWOFA_BACKOFF_MAX
        )
        cache.set(until_key, time.time() + seconds, seconds)
    return seconds


def backoff_check(user: User) -> None:
    with cache_fail_closed("twofa.backoff"):
        until = cache.get(_keys(user)[1])
    if until is not None and until > time.time():
        metrics.RATE_LIMITED.labels("twofa.backoff").inc()
        raise RateLimited(
            _("Too many wrong codes. Wait before trying again."),
            retry_after=math.ceil(until - time.time()),
        )


def backoff_clear(user: User) -> None:
    """Best effort: the change that clears it has happened, and a back-off left
    behind by a cache failure ends by itself."""
    try:
        cache.delete_many(list(_keys(user)))
    except Exception:  # noqa: BLE001 - any cache backend error
        logger.error("limit cache unavailable (twofa.backoff): back-off not cleared")
