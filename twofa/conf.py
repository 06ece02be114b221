"""twofa's settings, each with its default, read in one place (as django-otp and allauth do).

Every twofa module reads its settings here, never `django.conf.settings`
directly, so the defaults live beside the names and a project that sets
nothing still gets safe values. The environment is read only in config/;
this module reads the Django settings it produced, on every access, so
`override_settings` in tests takes effect at once.

Delivery providers and second-factor methods are each configured by one
mapping of name -> class path: the built-in ones below, plus (or replaced by)
the project's TWOFA_PROVIDER_CLASSES / TWOFA_METHOD_CLASSES. Adding a
provider or a method is one module and one entry there.
"""

from typing import Any

from django.conf import settings

# The delivery providers: they send a code to a phone and check it (twofa.providers).
PROVIDER_CLASSES = {
    "console": "twofa.providers.console.ConsoleProvider",
    "twilio": "twofa.providers.twilio.TwilioProvider",
    "vonage": "twofa.providers.vonage.VonageProvider",
}

# What a user can answer a challenge with, keyed by the method (twofa.methods).
METHOD_CLASSES = {
    "sms": "twofa.methods.sms.SmsMethod",
    "call": "twofa.methods.call.CallMethod",
    "totp": "twofa.methods.totp.TotpMethod",
    "passkey": "twofa.methods.passkey.PasskeyMethod",
    "recovery": "twofa.methods.recovery.RecoveryCodeMethod",
}

DEFAULTS: dict[str, Any] = {
    "TWOFA_PROVIDER": "console",
    "TWOFA_PROVIDER_CLASSES": {},
    "TWOFA_METHOD_CLASSES": {},
    "TWOFA_PROVIDER_TIMEOUT": 5,
    "TWOFA_ALLOW_CONSOLE_PROVIDER": False,
    "TWOFA_CONSOLE_OUTBOX": "",
    "TWOFA_CHALLENGE_TTL": 600,
    "TWOFA_MAX_ATTEMPTS": 5,
    "TWOFA_STEP_UP_MAX_AGE": 600,
    "TWOFA_DEFAULT_REGION": None,
    "TWOFA_NUMBER_TYPES": {
        "sms": ["MOBILE", "FIXED_LINE_OR_MOBILE", "VOIP"],
        "call": ["MOBILE", "FIXED_LINE_OR_MOBILE", "FIXED_LINE", "VOIP"],
    },
    "TWOFA_ALLOWED_COUNTRIES": [],
    "TWOFA_SEND_LIMIT_PER_PHONE": 5,
    "TWOFA_ENROLL_SEND_LIMIT_PER_USER": 5,
    "TWOFA_SEND_LIMIT_PER_USER": 10,
    "TWOFA_SEND_LIMIT_PER_IP": 20,
    "TWOFA_SEND_LIMIT_WINDOW": 3600,
    "TWOFA_SEND_LIMIT_GLOBAL": 1000,
    "TWOFA_RESEND_COOLDOWN": 30,
    "TWOFA_BACKOFF_BASE": 60,
    "TWOFA_BACKOFF_MAX": 3600,
    "TWOFA_RETENTION_CHALLENGES_DAYS": 30,
    "TWOFA_RETENTION_AUDIT_DAYS": 365,
    "RECOVERY_CODE_COUNT": 10,
    # WebAuthn: the site passkeys are bound to, its name in the browser's
    # prompt, and the exact origins (scheme://host[:port]) allowed to use them
    # (none set: with DEBUG on, http://<RP ID>:8000; otherwise none).
    "WEBAUTHN_RP_ID": "localhost",
    "WEBAUTHN_RP_NAME": "Pollstr",
    "WEBAUTHN_ALLOWED_ORIGINS": [],
    # Passwordless sign-in options per client network per LOGIN_FAILURE_WINDOW.
    "WEBAUTHN_LOGIN_LIMIT_PER_IP": 60,
    "TWILIO_ACCOUNT_SID": "",
    "TWILIO_AUTH_TOKEN": "",
    "TWILIO_VERIFY_SERVICE_SID": "",
    "TWILIO_API_BASE_URL": "https://verify.twilio.com",
    "VONAGE_API_KEY": "",
    "VONAGE_API_SECRET": "",
    "VONAGE_BRAND": "Pollstr",
    "VONAGE_API_HOST": "api.nexmo.com",
}


class TwofaSettings:
    """`twofa_settings.TWOFA_MAX_ATTEMPTS`: the project's value, else the default."""

    def __getattr__(self, name: str) -> Any:
        if name not in DEFAULTS:
            raise AttributeError(f"{name} is not a twofa setting.")
        return getattr(settings, name, DEFAULTS[name])

    @property
    def provider_classes(self) -> dict[str, str]:
        """Every delivery provider by name: the built-in ones and the project's."""
        return {**PROVIDER_CLASSES, **self.TWOFA_PROVIDER_CLASSES}

    @property
    def method_classes(self) -> dict[str, str]:
        """Every second-factor method by its key: the built-in ones and the project's."""
        return {**METHOD_CLASSES, **self.TWOFA_METHOD_CLASSES}

    @property
    def webauthn_origins(self) -> list[str]:
        """The origins a passkey may be used from: WEBAUTHN_ALLOWED_ORIGINS, or in
        development (DEBUG, none set) http://<RP ID>:8000, what `make run` serves."""
        origins = list(self.WEBAUTHN_ALLOWED_ORIGINS)
        if not origins and settings.DEBUG:
            origins = [f"http://{self.WEBAUTHN_RP_ID}:8000"]
        return origins

    @property
    def provider_chain(self) -> list[str]:
        """TWOFA_PROVIDER: one provider name, or a comma-separated failover chain."""
        return [name.strip() for name in self.TWOFA_PROVIDER.split(",") if name.strip()]


twofa_settings = TwofaSettings()
