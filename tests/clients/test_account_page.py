"""The account security page (#/account, spa/src/screens/account/) in Chromium.

account.test.mjs goes through every action of the page (recovery codes, an
authenticator app, the preferred method, the phone, passkeys through
Chromium's virtual authenticator, sessions, the password, security events,
sign out everywhere) and, keyboard-only at 390 px, a real step-up prompt: this
live server's TWOFA_STEP_UP_MAX_AGE is short and the test waits it out once.
axe-core checks the page and each dialog. Afterwards the server's state is
checked here.

Run by test_spa.py's app_browser_test, with its preconditions (skipped with
SPA_BROWSER_TESTS=0; a missing tool fails instead of skipping under
REQUIRE_CLIENT_TESTS).
"""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import RefreshToken, User
from tests.clients.test_spa import SCREENSHOTS, app_browser_test
from twofa.models import AuditEvent

STEP_UP_MAX_AGE = 12


@pytest.mark.django_db(transaction=True)
def test_the_account_page_in_a_real_browser(live_server, outbox, settings):
    # A step-up prompt for real: code checks older than this need a fresh one.
    settings.TWOFA_STEP_UP_MAX_AGE = STEP_UP_MAX_AGE
    # Step-up codes go to a phone that got a sign-in code seconds before.
    settings.TWOFA_RESEND_COOLDOWN = 1
    app_browser_test(
        live_server,
        outbox,
        settings,
        "account.test.mjs",
        passes=3,
        env={"STEP_UP_MAX_AGE": str(STEP_UP_MAX_AGE)},
    )
    shots = {p.name for p in SCREENSHOTS.glob("account-*.png")}
    assert {
        "account-1-page.png",
        "account-2-confirm.png",
        "account-3-recovery-codes.png",
        "account-4-app-setup.png",
        "account-narrow-2-step-up.png",
        "account-narrow-4-off.png",
    } <= shots

    # Every action reached the server.
    user = User.objects.get(username__regex=r"^acct_[0-9]+$")
    assert user.phone_number.number == "+14155550162"
    assert [p.name for p in user.passkeys.all()] == ["Work laptop"]
    assert user.check_password("violet-harbour-lantern-93")
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert user.twofa_preference.method == "sms"
    assert user.recovery_codes.filter(used_at__isnull=True).count() >= 8
    assert not RefreshToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    kinds = set(AuditEvent.objects.filter(user=user).values_list("kind", flat=True))
    assert {
        "recovery_codes_generated",
        "totp_enrolled",
        "totp_removed",
        "preference_changed",
        "phone_changed",
        "passkey_enrolled",
        "passkey_renamed",
        "passkey_removed",
        "session_revoked",
        "signed_out_everywhere",
    } <= kinds

    # The keyboard pass: the step-up prompt was answered, then 2FA went off.
    keyboard = User.objects.get(username__regex=r"^acctkb_[0-9]+$")
    kinds = list(AuditEvent.objects.filter(user=keyboard).values_list("kind", flat=True))
    assert "disabled" in kinds
    assert not hasattr(keyboard, "phone_number") or keyboard.phone_number is None

    # The passkey step-up: the passkey answered the prompt, then the removal ran.
    by_passkey = User.objects.get(username__regex=r"^acctpk_[0-9]+$")
    assert not by_passkey.passkeys.exists()
    kinds = list(AuditEvent.objects.filter(user=by_passkey).values_list("kind", flat=True))
    assert kinds.count("passkey_enrolled") == 1 and kinds.count("passkey_removed") == 1
