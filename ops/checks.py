"""System checks for the operations settings."""

from django.conf import settings
from django.core import checks

from ops.conf import METRICS_TOKEN_MIN_LENGTH, ops_settings


@checks.register(checks.Tags.security)
def check_metrics_token(app_configs, **kwargs):
    token = ops_settings.METRICS_TOKEN
    if token and len(token) < METRICS_TOKEN_MIN_LENGTH and not settings.DEBUG:
        return [
            checks.Error(
                f"METRICS_TOKEN is shorter than {METRICS_TOKEN_MIN_LENGTH} characters.",
                hint="Use a long random value, e.g. "
                "python -c 'import secrets; print(secrets.token_urlsafe(32))', "
                "or leave it empty to turn /metrics off.",
                id="ops.E001",
            )
        ]
    return []
