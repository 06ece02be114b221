"""The console provider shows codes to a developer and nowhere else, and stays out of production."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from tests.documents import PASSWORD, TOKEN_AUTH
from twofa.checks import console_provider_errors
from twofa.models import Challenge
from twofa.phone import phone_mask, phone_normalise

ROOT = Path(__file__).resolve().parents[2]


def test_the_code_is_logged_masked_number_and_all(gql, user_2fa, outbox, caplog):
    with caplog.at_level(logging.INFO, logger="twofa"):
        gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD})

    code = outbox.last_code()
    assert f"code for +1******2671: {code}" in caplog.messages
    # The full number appears in the outbox only, never in the log.
    assert not any("4155552671" in message for message in caplog.messages)


def test_the_database_never_holds_the_code(gql, user_2fa, outbox):
    gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD})
    code = outbox.last_code()

    challenge = Challenge.objects.get()
    stored = [str(getattr(challenge, f.attname)) for f in Challenge._meta.concrete_fields]
    assert not any(code in value for value in stored)


def test_no_outbox_file_unless_configured(gql, user_2fa, settings, tmp_path):
    settings.TWOFA_CONSOLE_OUTBOX = ""
    result = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD})
    assert result.data["tokenAuth"]["twoFactorRequired"] is True
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("debug", "allowed", "provider", "refused"),
    [
        (False, False, "console", True),
        (False, True, "console", False),
        (True, False, "console", False),
        (False, False, "nonexistent", False),
    ],
)
def test_console_provider_is_refused_in_production(settings, debug, allowed, provider, refused):
    settings.DEBUG = debug
    settings.TWOFA_ALLOW_CONSOLE_PROVIDER = allowed
    settings.TWOFA_PROVIDER = provider

    errors = console_provider_errors()
    assert [e.id for e in errors] == (["twofa.E001"] if refused else [])
    if refused:
        with pytest.raises(ImproperlyConfigured, match="console"):
            apps.get_app_config("twofa").ready()
    else:
        apps.get_app_config("twofa").ready()


def test_check_reports_an_unknown_provider_by_name(settings):
    settings.TWOFA_PROVIDER = "carrier-pigeon"
    with pytest.raises(SystemCheckError, match="carrier-pigeon"):
        call_command("check")


def test_check_reports_a_bad_default_region(settings):
    settings.TWOFA_DEFAULT_REGION = "XX"
    with pytest.raises(SystemCheckError, match="twofa.E003"):
        call_command("check")


def _manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    base.pop("TWOFA_ALLOW_CONSOLE_PROVIDER", None)
    base["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_server_refuses_to_start_without_a_secret_key_in_production():
    result = _manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_the_server_refuses_the_console_provider_in_production():
    result = _manage("check", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "console 2FA provider" in result.stderr


def test_development_settings_start_with_the_console_provider():
    result = _manage("check", DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_phone_numbers_are_normalised_and_masked(settings):
    assert phone_normalise(" +1 (415) 555-2671 ") == "+14155552671"
    assert phone_normalise("+44 20 7946 0958") == "+442079460958"
    assert phone_mask("+14155552671") == "+1******2671"
    assert phone_mask("+442079460958") == "+44******0958"
    settings.TWOFA_DEFAULT_REGION = "GB"
    assert phone_normalise("020 7946 0958") == "+442079460958"
