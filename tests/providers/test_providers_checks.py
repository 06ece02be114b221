"""`manage.py check` names a chosen provider's missing settings before any request does."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_SETTINGS = (
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_VERIFY_SERVICE_SID",
    "VONAGE_API_KEY",
    "VONAGE_API_SECRET",
    "VONAGE_BRAND",
)

TWILIO = {
    "TWILIO_ACCOUNT_SID": "AC123",
    "TWILIO_AUTH_TOKEN": "token",
    "TWILIO_VERIFY_SERVICE_SID": "VA123",
}


def manage_check(**env):
    base = {k: v for k, v in os.environ.items() if k not in PROVIDER_SETTINGS}
    base |= {"DJANGO_SETTINGS_MODULE": "config.settings", "SECRET_KEY": "x" * 50} | env
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_missing_twilio_settings_are_named():
    result = manage_check(TWOFA_PROVIDER="twilio", TWILIO_ACCOUNT_SID="AC123")

    assert result.returncode != 0
    assert (
        "(twofa.E005) The twilio 2FA provider is chosen but TWILIO_AUTH_TOKEN, "
        "TWILIO_VERIFY_SERVICE_SID are not set." in result.stderr
    )


def test_each_provider_of_a_chain_is_checked():
    result = manage_check(
        TWOFA_PROVIDER="twilio,vonage", **TWILIO, VONAGE_API_KEY="key", VONAGE_BRAND=""
    )

    assert result.returncode != 0
    assert "twilio 2FA provider" not in result.stderr
    assert (
        "The vonage 2FA provider is chosen but VONAGE_API_SECRET, VONAGE_BRAND are not set."
        in result.stderr
    )


def test_a_fully_configured_chain_passes():
    result = manage_check(
        TWOFA_PROVIDER="twilio,vonage", **TWILIO, VONAGE_API_KEY="key", VONAGE_API_SECRET="secret"
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_a_console_outbox_in_a_missing_folder_is_named(tmp_path):
    missing = tmp_path / "nowhere" / "outbox.jsonl"

    result = manage_check(DEBUG="1", TWOFA_CONSOLE_OUTBOX=str(missing))

    assert result.returncode == 1
    assert "twofa.E007" in result.stderr and str(missing.parent) in result.stderr
    present = manage_check(DEBUG="1", TWOFA_CONSOLE_OUTBOX=str(tmp_path / "outbox.jsonl"))
    assert present.returncode == 0, present.stderr
