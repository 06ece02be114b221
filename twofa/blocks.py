"""The countries and number prefixes staff blocked, as the send policy reads them.

The send path asks on every send, so the list is kept in the shared cache for
BLOCKS_CACHE_SECONDS and dropped whenever a block is added or lifted
(twofa.services.blocks); every process sees a change at once. With the cache
down the list is read from the database: a block must never be skipped.

The model is looked up through the app registry because the send policy
(twofa.phone) is imported by twofa.models itself.
"""

import contextlib
import logging

from django.apps import apps
from django.core.cache import cache

logger = logging.getLogger("twofa")

BLOCKS_CACHE_KEY = "twofa:send-blocks"
BLOCKS_CACHE_SECONDS = 60


def _blocks_read() -> tuple[frozenset[str], tuple[str, ...]]:
    block = apps.get_model("twofa", "SendBlock")
    countries, prefixes = set(), []
    for kind, value in block.objects.values_list("kind", "value"):
        if kind == block.Kind.COUNTRY:
            countries.add(value)
        else:
            prefixes.append(value)
    return frozenset(countries), tuple(sorted(prefixes))


def send_blocks() -> tuple[frozenset[str], tuple[str, ...]]:
    """(blocked ISO regions, blocked E.164 prefixes)."""
    try:
        cached = cache.get(BLOCKS_CACHE_KEY)
    except Exception as exc:  # noqa: BLE001 - any cache error: read the table instead
        logger.warning(
            "send blocks read from the database: cache unavailable (%s)", exc.__class__.__name__
        )
        return _blocks_read()
    if cached is not None:
        return cached
    blocks = _blocks_read()
    with contextlib.suppress(Exception):
        cache.set(BLOCKS_CACHE_KEY, blocks, BLOCKS_CACHE_SECONDS)
    return blocks


def send_blocks_changed() -> None:
    """Drop the cached list (called once a change has committed)."""
    with contextlib.suppress(Exception):  # it expires by itself within BLOCKS_CACHE_SECONDS
        cache.delete(BLOCKS_CACHE_KEY)


def block_covering(number: str, region: str | None) -> str | None:
    """ "country" or "prefix" when staff blocked the country `region` or a
    prefix of `number` (E.164); None when no block covers it."""
    countries, prefixes = send_blocks()
    if region in countries:
        return "country"
    if any(number.startswith(p) for p in prefixes):
        return "prefix"
    return None
