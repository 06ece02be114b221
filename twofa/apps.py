from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class TwofaConfig(AppConfig):
    name = "twofa"
    verbose_name = "Two-factor authentication"

    def ready(self):
        from twofa import (
            receivers,  # noqa: F401 - connects the signal receivers
            stages,  # noqa: F401 - registers the login stage's check
        )
        from twofa.checks import console_provider_errors

        # Refuse to start at all, not just warn: a forgotten TWOFA_PROVIDER
        # must never put login codes into production logs.
        errors = console_provider_errors()
        if errors:
            raise ImproperlyConfigured(f"{errors[0].msg} {errors[0].hint}")
