"""Rate limits kept in Django's cache (Redis in production, shared by all processes).

django-ratelimit does the counting: an atomic add/incr per key and fixed
window, with keys hashed so no phone number or username is stored in the cache.

When the cache itself fails (Redis down), every limit fails closed: the caller
gets RateLimited, never an internal error, and the failure is logged at ERROR.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from core import metrics
from core.exceptions import RateLimited

logger = logging.getLogger("core.ratelimit")

# How long a client is asked to wait while the cache is down.
CACHE_DOWN_RETRY_AFTER = 30


@contextmanager
def cache_fail_closed(what: str) -> Iterator[None]:
    """Run cache calls that guard something; if the cache fails, refuse with
    RateLimited rather than let the request fail or go unguarded."""
    try:
        yield
    except RateLimited:
        raise
    except Exception as exc:  # noqa: BLE001 - any cache backend error means the same here
        logger.error("limit cache unavailable (%s): %s", what, type(exc).__name__)
        metrics.RATE_LIMITED.labels(what).inc()
        raise RateLimited(
            _("This is unavailable for a moment. Try again shortly."),
            retry_after=CACHE_DOWN_RETRY_AFTER,
        ) from exc


def rate_limit_hit(group: str, key: str, *, limit: int, period: int) -> None:
    """Count one event for `key`; RateLimited if it is over `limit` per `period` seconds.

    A limit of 0 turns the check off. The event is counted even when refused,
    so hammering a limit does not help.
    """
    _usage(group, key, limit=limit, period=period, increment=True)


def rate_limit_check(group: str, key: str, *, limit: int, period: int) -> None:
    """RateLimited if `key` is already over its limit; counts nothing."""
    _usage(group, key, limit=limit, period=period, increment=False, at_limit=True)


def _usage(group, key, *, limit, period, increment, at_limit=False) -> None:
    if limit <= 0:
        return
    with cache_fail_closed(group):
        usage = get_usage(
            None,
            group=group,
            key=lambda _group, _request: key,
            rate=(limit, period),
            increment=increment,
        )
    if usage is None:
        return
    over = usage["count"] >= limit if at_limit else usage["should_limit"]
    if over or usage["limit"] == 0:  # limit 0 from get_usage: the cache failed; fail closed
        metrics.RATE_LIMITED.labels(group).inc()
        time_left = usage["time_left"]
        raise RateLimited(retry_after=time_left if time_left > 0 else period)
