"""`manage.py staff_totp <username>` enrolls an authenticator app for a staff
member without the admin (bootstrap), who can then sign in to the admin."""

import io
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import CommandError, call_command

from tests.staff.conftest import app_code_from_secret, on_admin_index
from twofa.models import AuditEvent, RecoveryCode
from twofa.selectors import TwoFactorState

pytestmark = pytest.mark.django_db(transaction=True)


class AuthenticatorApp(io.StringIO):
    """Stdin typed by someone holding an app that scanned the printed URI."""

    def __init__(self, printed, steps_ahead=0, wrong_first=0, then_nothing=False):
        super().__init__()
        self.printed = printed
        self.steps_ahead = steps_ahead
        self.wrong_first = wrong_first
        self.then_nothing = then_nothing  # the operator gives up after the wrong codes

    @property
    def secret(self) -> str:
        uri = re.search(r"otpauth://\S+", self.printed.getvalue()).group(0)
        return parse_qs(urlparse(uri).query)["secret"][0]

    def readline(self, *args):
        code = app_code_from_secret(self.secret, self.steps_ahead)
        if self.wrong_first:
            self.wrong_first -= 1
            return f"{(int(code) + 1) % 1_000_000:06d}\n"
        return "\n" if self.then_nothing else code + "\n"


def test_the_command_enrolls_an_app_and_the_staff_member_signs_in_with_it(
    admin_browser, staff, outbox
):
    out = io.StringIO()
    app = AuthenticatorApp(out)

    call_command("staff_totp", "sam", stdin=app, stdout=out)

    printed = out.getvalue()
    assert "otpauth://totp/" in printed
    assert "█" in printed or "▀" in printed or "▄" in printed  # the terminal QR code
    state = TwoFactorState(staff)
    assert state.enabled and state.methods == ["totp"]
    assert AuditEvent.objects.filter(kind="totp_enrolled", user=staff).exists()
    # No API session was left behind by the confirmation.
    assert not staff.refresh_tokens.filter(revoked_at__isnull=True).exists()

    browser = admin_browser()
    page = browser.sign_in("sam")
    # The confirmation spent this step's code; the app's next one is accepted.
    code = app_code_from_secret(app.secret, 1)
    done = browser.submit(page, {"code": code, "method": "totp", "action": "verify"})
    assert on_admin_index(done)


def test_a_wrong_code_is_counted_and_asked_again(staff):
    out = io.StringIO()
    typed = AuthenticatorApp(out, wrong_first=1, then_nothing=True)

    with pytest.raises(CommandError, match="not enrolled"):
        call_command("staff_totp", "sam", stdin=typed, stdout=out)

    assert "The code is not correct. 4 attempt(s) left." in out.getvalue()
    assert out.getvalue().count("Code from the app:") == 2
    assert AuditEvent.objects.filter(kind="wrong_code", user=staff).count() == 1
    assert not TwoFactorState(staff).enabled


def test_recovery_codes_are_printed_fresh(staff):
    out = io.StringIO()

    call_command("staff_totp", "sam", "--recovery-codes", stdin=AuthenticatorApp(out), stdout=out)

    codes = re.findall(r"^\s*([a-z0-9]{5}-[a-z0-9]{5})\s*$", out.getvalue(), re.MULTILINE)
    assert len(codes) == 10
    assert RecoveryCode.objects.filter(user=staff, used_at=None).count() == 10


def test_only_staff_members_can_be_enrolled_this_way(user):
    with pytest.raises(CommandError, match="not a staff member"):
        call_command("staff_totp", "alice", stdin=io.StringIO("123456\n"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="No user"):
        call_command("staff_totp", "nobody", stdin=io.StringIO(""), stdout=io.StringIO())
