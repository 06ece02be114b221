"""ops' settings, each with its default, read in one place (as twofa.conf does)."""

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Empty: /metrics answers 404.
    "METRICS_TOKEN": "",
    "TRUSTED_PROXY_COUNT": 0,
}

# Shortest METRICS_TOKEN accepted with DEBUG off (ops.E001).
METRICS_TOKEN_MIN_LENGTH = 32


class OpsSettings:
    def __getattr__(self, name: str) -> Any:
        if name not in DEFAULTS:
            raise AttributeError(name)
        return getattr(settings, name, DEFAULTS[name])


ops_settings = OpsSettings()
