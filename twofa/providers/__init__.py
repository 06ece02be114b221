"""The delivery seam: the one way between the app and SMS/voice providers.

TWOFA_PROVIDER names the provider (or a comma-separated failover chain);
twofa.conf maps each name to its class (the built-in ones plus the project's
TWOFA_PROVIDER_CLASSES). A name that is not a DeliveryProvider is refused by
`manage.py check` (twofa.E002).
"""

from functools import cache

from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from twofa.conf import twofa_settings
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


@cache
def provider_get(name: str) -> DeliveryProvider:
    return provider_class(name)()


def _reset(*, setting, **kwargs):
    if setting.startswith(("TWOFA_", "TWILIO_", "VONAGE_")):
        provider_get.cache_clear()


setting_changed.connect(_reset)

__all__ = ["DeliveryProvider", "provider_chain", "provider_class", "provider_get"]
