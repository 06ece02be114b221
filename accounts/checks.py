"""System checks for the accounts settings (`manage.py check`): login limits
that, set the wrong way round, bring back the lockouts they exist to prevent,
a refresh-token leeway that would hide replays or end honest logins, login
stages that don't exist, a browser session's cookie sent over plain HTTP, and a
default language that isn't offered or a language without its translations."""

from pathlib import Path

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

from accounts.stages import LoginStage


@checks.register(checks.Tags.security)
def check_login_limits(app_configs, **kwargs):
    per_network = settings.LOGIN_FAILURE_LIMIT_PER_USERNAME
    ceiling = settings.LOGIN_FAILURE_CEILING_PER_USERNAME
    if per_network <= 0 or ceiling <= 0 or ceiling >= per_network * 2:
        return []
    return [
        checks.Warning(
            "LOGIN_FAILURE_CEILING_PER_USERNAME is less than twice "
            "LOGIN_FAILURE_LIMIT_PER_USERNAME, so failures from one or two networks "
            "lock a username out for its owner everywhere.",
            hint="Keep the ceiling well above the per-network limit (defaults: 100 and 10).",
            id="accounts.W001",
        )
    ]


@checks.register(checks.Tags.security)
def check_refresh_token_reuse_leeway(app_configs, **kwargs):
    if 0 <= settings.REFRESH_TOKEN_REUSE_LEEWAY <= 60:
        return []
    return [
        checks.Warning(
            "REFRESH_TOKEN_REUSE_LEEWAY should be between 0 and 60 seconds: a longer "
            "leeway lets a stolen refresh token be replayed unnoticed for longer; a "
            "negative one ends the login of two tabs refreshing at once.",
            hint="The default, 10, covers tabs refreshing at once.",
            id="accounts.W002",
        )
    ]


@checks.register(checks.Tags.security)
def check_login_stages(app_configs, **kwargs):
    errors = []
    for path in settings.ACCOUNTS_LOGIN_STAGES:
        try:
            stage = import_string(path)
        except ImportError:
            stage = None
        if not (isinstance(stage, type) and issubclass(stage, LoginStage)):
            errors.append(
                checks.Error(
                    f"ACCOUNTS_LOGIN_STAGES names {path!r}, which is not a login stage.",
                    hint="Name subclasses of accounts.stages.LoginStage by their dotted path.",
                    id="accounts.E001",
                )
            )
    return errors


@checks.register(checks.Tags.security)
def check_refresh_token_cookie_secure(app_configs, **kwargs):
    if settings.REFRESH_TOKEN_COOKIE_SECURE or settings.DEBUG:
        return []
    return [
        checks.Warning(
            "REFRESH_TOKEN_COOKIE_SECURE is off with DEBUG off: a browser session's "
            "refresh token may then travel over plain HTTP, readable by anyone on the path.",
            hint="Leave it on (its default with DEBUG off); turn it off only for local testing.",
            id="accounts.W003",
        )
    ]


@checks.register()
def check_languages(app_configs, **kwargs):
    codes = [code for code, _ in settings.LANGUAGES]
    if settings.LANGUAGE_CODE not in codes:
        return [
            checks.Error(
                f"LANGUAGE_CODE {settings.LANGUAGE_CODE!r} is not one of LANGUAGES "
                f"({', '.join(codes)}): requests without a language we speak would get it.",
                hint="Set LANGUAGE_CODE to one of LANGUAGES (default: en).",
                id="accounts.E002",
            )
        ]
    return [
        checks.Warning(
            f"LANGUAGES offers {code!r} but no LOCALE_PATHS folder has its catalog: its "
            "users would get English.",
            hint="Run `make messages` and translate locale/<language>/LC_MESSAGES/django.po.",
            id="accounts.W004",
        )
        for code in codes
        if code != settings.LANGUAGE_CODE
        and not any(
            (Path(folder) / code / "LC_MESSAGES" / "django.mo").exists()
            for folder in settings.LOCALE_PATHS
        )
    ]
