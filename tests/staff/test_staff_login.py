"""A staff member signs in to the admin with the password and then a second
factor, over real HTTP in production settings (DEBUG off): the same challenge,
attempt limits, back-off and audit trail as the API's login."""

import re

import pytest
import requests
from django.contrib.sessions.backends.db import SessionStore
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.documents import PASSWORD, TOKEN_AUTH
from tests.staff.conftest import app_code, on_admin_index
from twofa.models import AuditEvent, Challenge, RecoveryCode
from twofa.services import recovery_codes_generate

pytestmark = pytest.mark.django_db(transaction=True)


def token_auth(live_server, username: str, password: str) -> dict:
    body = requests.post(
        f"{live_server.url}/graphql",
        json={"query": TOKEN_AUTH, "variables": {"username": username, "password": password}},
        timeout=10,
    ).json()
    return body["data"]["tokenAuth"]


def token_auth_codes(live_server, username: str, password: str) -> list[str]:
    body = requests.post(
        f"{live_server.url}/graphql",
        json={"query": TOKEN_AUTH, "variables": {"username": username, "password": password}},
        timeout=10,
    ).json()
    return [e["extensions"]["code"] for e in body.get("errors", [])]


def test_a_password_alone_never_reaches_an_admin_page(admin_browser, staff_phone, outbox):
    browser = admin_browser()

    after_password = browser.sign_in("sam")

    assert "Enter the code" in after_password.text
    assert not on_admin_index(after_password)
    for path in ("/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{staff_phone.pk}/"):
        page = browser.get(path)
        assert "/admin/login/" in page.url, path
        assert "Site administration" not in page.text


def test_staff_without_a_second_factor_cannot_enter_and_are_told_how_to_enroll(
    admin_browser, staff
):
    browser = admin_browser()

    page = browser.sign_in("sam")

    assert "manage.py staff_totp sam" in page.text
    assert "/admin/login/" in browser.get("/admin/").url


def test_an_sms_code_completes_the_admin_login(admin_browser, staff_phone, outbox):
    browser = admin_browser()
    page = browser.submit(
        browser.get("/admin/accounts/user/"), {"username": "sam", "password": PASSWORD}
    )
    assert "+1******2671" in page.text

    done = browser.submit(page, {"code": outbox.last_code(), "method": "sms", "action": "verify"})

    assert done.url.endswith("/admin/accounts/user/")
    assert "Select user to change" in done.text
    assert AuditEvent.objects.filter(kind="code_verified", user=staff_phone).exists()


def test_a_voice_call_completes_the_admin_login(admin_browser, staff_phone, outbox, settings):
    browser = admin_browser()
    page = browser.sign_in("sam")
    sms_code = outbox.last_code()
    too_soon = browser.submit(page, {"action": "call"})
    assert "Wait before requesting another code. Try again in" in too_soon.text
    settings.TWOFA_RESEND_COOLDOWN = 0

    page = browser.submit(too_soon, {"action": "call"})
    assert outbox.last()["channel"] == "call"

    wrong = browser.submit(page, {"code": sms_code, "method": "call", "action": "verify"})
    assert "not correct" in wrong.text
    done = browser.submit(wrong, {"code": outbox.last_code(), "method": "call", "action": "verify"})
    assert on_admin_index(done)


def test_an_authenticator_app_completes_the_admin_login(admin_browser, staff, outbox):
    device = TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    browser = admin_browser()

    page = browser.sign_in("sam")
    assert "authenticator app" in page.text
    done = browser.submit(page, {"code": app_code(device), "method": "totp", "action": "verify"})

    assert on_admin_index(done)
    assert outbox.messages() == []  # nothing was sent to a phone


def test_a_recovery_code_completes_the_admin_login(admin_browser, staff_phone, outbox):
    [code, *_] = recovery_codes_generate(staff_phone)
    browser = admin_browser()

    page = browser.sign_in("sam")
    done = browser.submit(page, {"code": code, "method": "recovery", "action": "verify"})

    assert on_admin_index(done)
    assert RecoveryCode.objects.filter(user=staff_phone, used_at__isnull=False).count() == 1


def test_wrong_codes_count_and_lock_like_the_api(live_server, admin_browser, staff_phone, outbox):
    browser = admin_browser()
    page = browser.sign_in("sam")
    right = outbox.last_code()
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    for attempts_left in (4, 3, 2, 1):
        page = browser.submit(page, {"code": wrong, "method": "sms", "action": "verify"})
        plural = "" if attempts_left == 1 else "s"
        assert f"{attempts_left} attempt{plural} left" in page.text
    page = browser.submit(page, {"code": wrong, "method": "sms", "action": "verify"})
    assert "Too many wrong codes" in page.text
    # The dead challenge takes no more codes, not even the right one.
    assert Challenge.objects.get().status == Challenge.Status.FAILED
    assert AuditEvent.objects.filter(kind="locked", user=staff_phone).exists()

    # The back-off: the next login gets a challenge but no code, here and in the API.
    again = browser.sign_in("sam")
    assert "Codes are paused for now" in again.text
    assert re.search(r"in \d+ seconds?", again.text)
    assert not on_admin_index(browser.get("/admin/"))
    api = token_auth(live_server, "sam", PASSWORD)
    assert (api["codeSent"], api["codeNotSentReason"]) == (False, "RATE_LIMITED")
    assert len(outbox.messages()) == 1


def test_the_failed_login_limit_is_shared_with_token_auth(
    live_server, admin_browser, staff_phone, outbox, settings
):
    settings.LOGIN_FAILURE_LIMIT_PER_USERNAME = 3
    browser = admin_browser()
    for _ in range(3):
        page = browser.sign_in("sam", "a-wrong-password")
        assert "Invalid username or password" in page.text

    page = browser.sign_in("sam")

    assert "Too many" in page.text
    assert "Enter the code" not in page.text
    assert outbox.messages() == []
    assert token_auth_codes(live_server, "sam", PASSWORD) == ["RATE_LIMITED"]


def test_tokenauth_failures_count_against_the_admin_login(
    live_server, admin_browser, staff_phone, settings
):
    settings.LOGIN_FAILURE_LIMIT_PER_USERNAME = 3
    for _ in range(3):
        assert token_auth_codes(live_server, "sam", "a-wrong-password") == ["INVALID_CREDENTIALS"]

    page = admin_browser().sign_in("sam")

    assert "Too many" in page.text


def test_a_user_who_is_not_staff_gets_the_answer_of_a_wrong_password(
    admin_browser, user_2fa, outbox
):
    page = admin_browser().sign_in("alice")

    assert "Invalid username or password" in page.text
    assert outbox.messages() == []


def test_the_challenge_token_stays_on_the_server(admin_browser, staff_phone, outbox):
    browser = admin_browser()

    page = browser.sign_in("sam")

    hidden = re.findall(r'type="hidden" name="([^"]+)"', page.text)
    assert set(hidden) <= {"csrfmiddlewaretoken", "next"}
    assert "/admin/login/verify/" in page.url
    assert "challenge" not in page.url


def test_with_debug_on_staff_without_a_factor_sign_in_with_the_password(
    admin_browser, staff, settings
):
    settings.DEBUG = True

    done = admin_browser().sign_in("sam")

    assert on_admin_index(done)


def test_with_debug_on_staff_with_a_factor_are_still_asked_for_it(
    admin_browser, staff_phone, outbox, settings
):
    settings.DEBUG = True
    browser = admin_browser()

    page = browser.sign_in("sam")

    assert "Enter the code" in page.text
    assert "/admin/login/" in browser.get("/admin/").url


def test_the_session_key_changes_after_the_password_and_after_the_code(
    admin_browser, staff_phone, outbox
):
    planted = SessionStore()
    planted.create()  # a real session someone else knows the key of
    browser = admin_browser()
    browser.get("/admin/login/")
    domain = next(iter(browser.session.cookies)).domain
    browser.session.cookies.set("sessionid", planted.session_key, domain=domain, path="/")

    page = browser.sign_in("sam")
    after_password = browser.session.cookies.get("sessionid", domain=domain)
    browser.submit(page, {"code": outbox.last_code(), "method": "sms", "action": "verify"})

    assert after_password != planted.session_key
    assert browser.session.cookies.get("sessionid", domain=domain) != after_password
    assert SessionStore(session_key=planted.session_key).load() == {}


def test_an_app_first_login_can_switch_to_a_code_by_sms(admin_browser, staff_phone, outbox):
    TOTPDevice.objects.create(user=staff_phone, name="app", confirmed=True)
    browser = admin_browser()
    page = browser.sign_in("sam")
    assert "authenticator app" in page.text
    assert 'value="sms"' not in re.search(r"<select.*?</select>", page.text, re.S).group(0)

    page = browser.submit(page, {"action": "sms"})
    assert "+1******2671" in page.text
    done = browser.submit(page, {"code": outbox.last_code(), "method": "sms", "action": "verify"})

    assert on_admin_index(done)


def test_when_no_code_can_be_sent_the_page_says_so_and_other_factors_still_work(
    admin_browser, staff_phone, outbox, settings
):
    settings.TWOFA_SEND_LIMIT_PER_PHONE = 1
    codes = recovery_codes_generate(staff_phone)
    first = admin_browser()
    first.sign_in("sam")  # spends the phone's one sign-in code of the hour
    browser = admin_browser()

    page = browser.sign_in("sam")

    assert "so no code was sent" in page.text
    assert "recovery code" in page.text
    select = re.search(r"<select.*?</select>", page.text, re.S).group(0)
    assert 'value="sms"' not in select and 'value="recovery"' in select
    assert 'value="sms" formnovalidate' in page.text  # "Send a code by SMS" stays offered
    assert len(outbox.messages()) == 1
    done = browser.submit(page, {"code": codes[0], "method": "recovery", "action": "verify"})
    assert on_admin_index(done)


def test_the_login_page_labels_its_fields_in_the_browser_language(admin_browser):
    browser = admin_browser()
    browser.session.headers["Accept-Language"] = "de"
    page = browser.get("/admin/login/")
    assert '<label for="id_username">Benutzername:</label>' in page.text
    assert '<label for="id_password">Passwort:</label>' in page.text
