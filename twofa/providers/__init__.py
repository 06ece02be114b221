"""The delivery seam: the one way between the app and SMS/voice providers.

TWOFA_PROVIDER names the provider (or a comma-separated failover chain);
twofa.conf maps each name to its class (the built-in ones plus the project's
TWOFA_PROVIDER_CLASSES). A name that is not a DeliveryProvider is refused by
`manage.py check` (twofa.E002).
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from core import metrics
from core.exceptions import DomainError
from twofa.conf import twofa_settings
from twofa.exceptions import ProviderUnavailable
from twofa.providers.base import DeliveryProvider


def provider_chain() -> list[str]:
    return twofa_settings.provider_chain


def provider_class(name: str) -> type:
    """The class configured for `name` (not necessarily a DeliveryProvider: see the check)."""
    try:
        path = twofa_settings.provider_classes[name]
    except KeyError as exc:
        raise LookupError(f"Unknown 2FA provider {name!r}.") from exc
    return import_string(path)


def providers_unconfigured() -> list[str]:
    """The chain's providers that can't work as configured: unknown, or with a
    required setting empty (what twofa.E002/E005 report, without a network call)."""
    unconfigured = []
    for name in provider_chain():
        try:
            provider = provider_class(name)
        except (LookupError, ImportError):
            unconfigured.append(name)
            continue
        required = getattr(provider, "required_settings", ())
        if any(not getattr(settings, s, "") for s in required):
            unconfigured.append(name)
    return unconfigured


@cache
def provider_get(name: str) -> DeliveryProvider:
    return provider_class(name)()


def _reset(*, setting, **kwargs):
    if setting.startswith(("TWOFA_", "TWILIO_", "VONAGE_")):
        provider_get.cache_clear()


setting_changed.connect(_reset)


@contextmanager
def provider_call(name: str, operation: str) -> Iterator[None]:
    """Around one call to a provider: its latency, and whether it answered.

    A domain answer (a wrong code, a refused number) is an answer; only
    ProviderUnavailable (the SDK's timeouts and outages, translated) or an
    unexpected error counts the provider as down.
    """
    started = time.perf_counter()
    up = 1
    try:
        yield
    except ProviderUnavailable:
        up = 0
        raise
    except Exception as exc:
        up = int(isinstance(exc, DomainError))
        raise
    finally:
        metrics.PROVIDER_LATENCY.labels(name, operation).observe(time.perf_counter() - started)
        metrics.PROVIDER_UP.labels(name).set(up)


__all__ = [
    "DeliveryProvider",
    "provider_call",
    "provider_chain",
    "provider_class",
    "provider_get",
    "providers_unconfigured",
]
