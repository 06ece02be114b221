"""An admin session is bound to the login's second factor: changing the password,
the factors, or a staff reset ends it; it also ends when idle or too old."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.services import password_change
from staff.sessions import SESSION_AUTH_AT, SESSION_SEEN_AT
from tests.documents import PASSWORD
from tests.staff.conftest import on_admin_index
from twofa.services import totp_remove, twofa_disable

pytestmark = pytest.mark.django_db(transaction=True)

NEW = "a-brand-new-passphrase"


def signed_out(browser) -> bool:
    return "/admin/login/" in browser.get("/admin/").url


def test_changing_the_password_elsewhere_ends_admin_sessions(signed_in, staff_phone):
    browser = signed_in()

    password_change(User.objects.get(pk=staff_phone.pk), old_password=PASSWORD, new_password=NEW)

    assert signed_out(browser)


def test_a_reset_of_the_staff_users_2fa_ends_their_admin_sessions(signed_in, staff_phone):
    browser = signed_in()
    colleague = User.objects.create_user("kim", password=PASSWORD, is_staff=True)

    twofa_disable(User.objects.get(pk=staff_phone.pk), by_staff=colleague)

    assert signed_out(browser)


def test_removing_a_factor_ends_admin_sessions(signed_in, staff_phone):
    browser = signed_in()
    TOTPDevice.objects.create(user=staff_phone, name="app", confirmed=True)

    totp_remove(User.objects.get(pk=staff_phone.pk))

    assert signed_out(browser)


def test_the_admins_own_password_change_ends_the_other_sessions(signed_in, staff_phone):
    this_browser = signed_in()
    other_browser = signed_in()

    page = this_browser.get("/admin/password_change/")
    done = this_browser.submit(
        page, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )

    assert "Your password was changed" in done.text
    assert signed_out(other_browser)
    assert on_admin_index(this_browser.get("/admin/"))
    assert User.objects.get(pk=staff_phone.pk).check_password(NEW)


def test_a_wrong_old_password_in_the_admin_counts_as_a_failed_login(
    signed_in, staff_phone, settings
):
    settings.LOGIN_FAILURE_LIMIT_PER_USERNAME = 2
    browser = signed_in()
    for _ in range(2):
        page = browser.submit(
            browser.get("/admin/password_change/"),
            {"old_password": "a-wrong-password", "new_password1": NEW, "new_password2": NEW},
        )
        assert "not correct" in page.text

    page = browser.submit(
        browser.get("/admin/password_change/"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )

    assert "Too many" in page.text
    assert User.objects.get(pk=staff_phone.pk).check_password(PASSWORD)


def _age_session(browser, key: str, seconds: int) -> None:
    store = SessionStore(session_key=browser.session.cookies["sessionid"])
    store[key] = store[key] - seconds
    store.save()


def test_an_idle_admin_session_ends(signed_in, settings):
    settings.ADMIN_SESSION_IDLE_TIMEOUT = 600
    browser = signed_in()
    assert on_admin_index(browser.get("/admin/"))

    _age_session(browser, SESSION_SEEN_AT, 601)

    assert signed_out(browser)


def test_an_admin_session_ends_at_its_maximum_age_however_busy(signed_in, settings):
    settings.ADMIN_SESSION_MAX_AGE = 3600
    browser = signed_in()

    _age_session(browser, SESSION_AUTH_AT, 3601)

    assert signed_out(browser)


def test_a_session_logged_in_without_the_second_factor_is_refused(client, staff_phone):
    # Any other way into a Django session (a future view, a shell) lacks the factor.
    client.force_login(staff_phone)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
