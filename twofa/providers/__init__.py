"""The provider service: the one seam between the app and SMS/voice providers.

TWOFA_PROVIDER names the provider (or a comma-separated failover chain) and
TWOFA_PROVIDER_CLASSES maps each name to its class.
"""

from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from twofa.providers.base import Provider


def provider_chain() -> list[str]:
    return [name.strip() for name in settings.TWOFA_PROVIDER.split(",") if name.strip()]


@cache
def provider_get(name: str) -> Provider:
    try:
        path = settings.TWOFA_PROVIDER_CLASSES[name]
    except KeyError as exc:
        raise LookupError(f"Unknown 2FA provider {name!r}.") from exc
    return import_string(path)()


def _reset(*, setting, **kwargs):
    if setting.startswith(("TWOFA_", "TWILIO_", "VONAGE_")):
        provider_get.cache_clear()


setting_changed.connect(_reset)

__all__ = ["Provider", "provider_chain", "provider_get"]
