"""System checks for the 2FA settings (`manage.py check`).

The console provider check is also run at start-up by TwofaConfig.ready(),
because gunicorn runs no system checks.
"""

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

import phonenumbers
from django.conf import settings
from django.core import checks

from twofa.conf import twofa_settings
from twofa.phone import NUMBER_TYPE_NAMES
from twofa.providers import DeliveryProvider, provider_chain, provider_class


def console_provider_errors() -> list[checks.CheckMessage]:
    if settings.DEBUG or twofa_settings.TWOFA_ALLOW_CONSOLE_PROVIDER:
        return []
    if "console" not in provider_chain():
        return []
    return [
        checks.Error(
            "The console 2FA provider writes codes to the log and is refused with DEBUG off.",
            hint=(
                "Set TWOFA_PROVIDER to a real provider, or set TWOFA_ALLOW_CONSOLE_PROVIDER=1 "
                "for a benchmark or test run that must not send real messages."
            ),
            id="twofa.E001",
        )
    ]


@checks.register(checks.Tags.security)
def check_console_provider(app_configs, **kwargs):
    return console_provider_errors()


@checks.register()
def check_console_outbox(app_configs, **kwargs):
    """An outbox in a folder that doesn't exist would fail every send of the console provider."""
    outbox = twofa_settings.TWOFA_CONSOLE_OUTBOX
    if not outbox or "console" not in provider_chain() or Path(outbox).parent.is_dir():
        return []
    return [
        checks.Error(
            f"TWOFA_CONSOLE_OUTBOX is in a folder that does not exist: {Path(outbox).parent}",
            hint="Create the folder (make run creates var/), or leave TWOFA_CONSOLE_OUTBOX empty.",
            id="twofa.E007",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """Rate limits in a per-process cache are multiplied by the number of processes."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or not backend.endswith(("LocMemCache", "DummyCache")):
        return []
    return [
        checks.Warning(
            "Rate limits are counted in a per-process cache, so each server process "
            "allows the full limit on its own.",
            hint="Set REDIS_URL so all processes share one cache.",
            id="twofa.W001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def check_client_address(app_configs, **kwargs):
    """Behind a unix socket with no trusted proxy, every client has the same (empty)
    address: per-client limits then count all clients together."""
    if not settings.SERVER_BIND.startswith("unix:") or settings.TRUSTED_PROXY_COUNT > 0:
        return []
    return [
        checks.Warning(
            "The server listens on a unix socket and trusts no proxy, so it sees no client "
            "address: every client shares one per-client limit (sends, failed logins).",
            hint="Set TRUSTED_PROXY_COUNT to the number of proxies that append to "
            "X-Forwarded-For in front of this server.",
            id="twofa.W002",
        )
    ]


def _is_delivery(name: str) -> bool:
    try:
        provider = provider_class(name)
    except (LookupError, ImportError):
        return False
    return isinstance(provider, type) and issubclass(provider, DeliveryProvider)


@checks.register()
def check_twofa_settings(app_configs, **kwargs):
    errors = []
    chain = provider_chain()
    if not chain:
        errors.append(checks.Error("TWOFA_PROVIDER is empty.", id="twofa.E002"))
    delivery = sorted(n for n in twofa_settings.provider_classes if _is_delivery(n))
    for name in chain:
        if name not in delivery:
            # An authenticator app or a recovery code sends nothing: it is a
            # method (twofa.methods), and a chain naming it could send no code.
            errors.append(
                checks.Error(
                    f"TWOFA_PROVIDER names {name!r}, which is not a delivery provider "
                    "(one that sends a code to a phone).",
                    hint="Delivery providers: " + ", ".join(delivery),
                    id="twofa.E002",
                )
            )
            continue
        provider = provider_class(name)
        missing = [s for s in provider.required_settings if not getattr(settings, s, "")]
        if missing:
            errors.append(
                checks.Error(
                    f"The {name} 2FA provider is chosen but {', '.join(missing)} "
                    f"{'is' if len(missing) == 1 else 'are'} not set.",
                    hint="Set them in the environment (see the README's provider section).",
                    id="twofa.E005",
                )
            )
    region = twofa_settings.TWOFA_DEFAULT_REGION
    if region and region not in phonenumbers.SUPPORTED_REGIONS:
        errors.append(
            checks.Error(
                f"TWOFA_DEFAULT_REGION {region!r} is not a known region code.",
                hint="Use a two-letter region code such as US or GB, or leave it empty.",
                id="twofa.E003",
            )
        )
    unknown_regions = [
        c for c in twofa_settings.TWOFA_ALLOWED_COUNTRIES if c not in phonenumbers.SUPPORTED_REGIONS
    ]
    if unknown_regions:
        errors.append(
            checks.Error(
                "TWOFA_ALLOWED_COUNTRIES names unknown region codes: "
                + ", ".join(map(repr, unknown_regions))
                + ".",
                hint="Use two-letter region codes such as US or GB (GB, not UK).",
                id="twofa.E003",
            )
        )
    for channel, types in twofa_settings.TWOFA_NUMBER_TYPES.items():
        unknown_types = [t for t in types if t not in NUMBER_TYPE_NAMES]
        if unknown_types:
            errors.append(
                checks.Error(
                    f"TWOFA_NUMBER_TYPES_{channel.upper()} names unknown number types: "
                    + ", ".join(map(repr, unknown_types))
                    + ".",
                    hint="Known types: " + ", ".join(sorted(NUMBER_TYPE_NAMES)),
                    id="twofa.E006",
                )
            )
    for name in (
        "TWOFA_CHALLENGE_TTL",
        "TWOFA_MAX_ATTEMPTS",
        "TWOFA_STEP_UP_MAX_AGE",
        "TWOFA_PROVIDER_TIMEOUT",
    ):
        if getattr(settings, name) <= 0:
            errors.append(checks.Error(f"{name} must be a positive number.", id="twofa.E004"))
    for name in ("TWOFA_RETENTION_CHALLENGES_DAYS", "TWOFA_RETENTION_AUDIT_DAYS"):
        if getattr(twofa_settings, name) < 1:
            errors.append(
                checks.Error(
                    f"{name} must be 1 or more (days).",
                    hint="twofa_prune would delete rows still in use; "
                    "the defaults are 30 and 365 days.",
                    id="twofa.E004",
                )
            )
    for name in (
        "TWOFA_SEND_LIMIT_PER_PHONE",
        "TWOFA_SEND_LIMIT_PER_USER",
        "TWOFA_SEND_LIMIT_PER_IP",
        "TWOFA_ENROLL_SEND_LIMIT_PER_USER",
        "WEBAUTHN_LOGIN_LIMIT_PER_IP",
    ):
        if getattr(settings, name) < 0:
            errors.append(checks.Error(f"{name} must be 0 (no limit) or more.", id="twofa.E004"))
    if not 0 <= settings.CLIENT_IPV6_PREFIX_LENGTH <= 128:
        errors.append(
            checks.Error(
                "CLIENT_IPV6_PREFIX_LENGTH must be between 0 and 128.",
                hint="64 counts each IPv6 /64 as one client.",
                id="twofa.E004",
            )
        )
    return errors


def _origin_host(origin: str) -> tuple[str, str] | None:
    """(scheme, host) of a `scheme://host[:port]` origin, or None when it is not one."""
    parts = urlsplit(origin)
    try:
        parts.port  # noqa: B018 - raises for a bad port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    if parts.path or parts.query or parts.fragment or parts.username:
        return None
    return parts.scheme, parts.hostname


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


@checks.register(checks.Tags.security)
def check_webauthn(app_configs, **kwargs):
    """Settings with which no passkey could ever work, in any mode."""
    rp_id = twofa_settings.WEBAUTHN_RP_ID
    errors = []
    if not rp_id or _is_ip(rp_id) or "/" in rp_id or ":" in rp_id:
        errors.append(
            checks.Error(
                f"WEBAUTHN_RP_ID {rp_id!r} is not a domain: browsers refuse passkeys for an "
                "IP address, and it takes no scheme or port.",
                hint="Your site's domain, e.g. example.com; in development, localhost "
                "(open http://localhost:8000/, not 127.0.0.1).",
                id="twofa.E020",
            )
        )
        return errors
    for origin in twofa_settings.webauthn_origins:
        parsed = _origin_host(origin)
        if parsed is None:
            errors.append(
                checks.Error(
                    f"WEBAUTHN_ALLOWED_ORIGINS has {origin!r}, which is not an origin.",
                    hint="scheme://host[:port], e.g. https://example.com",
                    id="twofa.E021",
                )
            )
        elif not (parsed[1] == rp_id or parsed[1].endswith("." + rp_id)):
            errors.append(
                checks.Error(
                    f"The origin {origin!r} is not on WEBAUTHN_RP_ID {rp_id!r}: browsers "
                    "refuse passkeys there.",
                    hint="Origins must be the RP ID's domain or a subdomain of it.",
                    id="twofa.E021",
                )
            )
    return errors


@checks.register(checks.Tags.security, deploy=True)
def check_webauthn_deploy(app_configs, **kwargs):
    """Production: passkeys on a real domain (a warning: the rest of the site
    works without them), and over https only (an error)."""
    if settings.DEBUG:
        return []
    rp_id = twofa_settings.WEBAUTHN_RP_ID
    origins = twofa_settings.webauthn_origins
    errors = []
    if rp_id == "localhost" or rp_id.endswith(".localhost") or not origins:
        errors.append(
            checks.Warning(
                "Passkeys can't be used: WEBAUTHN_RP_ID is localhost or "
                "WEBAUTHN_ALLOWED_ORIGINS is empty.",
                hint="Set WEBAUTHN_RP_ID to your site's domain and WEBAUTHN_ALLOWED_ORIGINS "
                "to its https origins, e.g. https://example.com",
                id="twofa.W003",
            )
        )
    plain = [o for o in origins if (_origin_host(o) or ("",))[0] != "https"]
    if plain:
        errors.append(
            checks.Error(
                "WEBAUTHN_ALLOWED_ORIGINS has origins that are not https: "
                + ", ".join(map(repr, plain))
                + ".",
                hint="Passkeys in production only over https.",
                id="twofa.E022",
            )
        )
    return errors
