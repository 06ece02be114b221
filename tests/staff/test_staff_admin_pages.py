"""What staff see and do in the admin: 2FA state as the API sees it, the reset
action naming who did it, a Content-Security-Policy on every page, and the
system checks that keep a password-only admin out of production."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import RefreshToken, User
from staff.checks import check_admin_second_factor, check_admin_session_settings
from tests.documents import OTHER_PHONE, PASSWORD
from twofa.models import AuditEvent, Challenge, PhoneNumber
from twofa.selectors import TwoFactorState

USERS = "/admin/accounts/user/"


def _user(username: str, *, phone: str = "", app: bool | None = None) -> User:
    user = User.objects.create_user(username, password=PASSWORD)
    if phone:
        PhoneNumber.objects.create(user=user, number=phone, verified_at=timezone.now())
    if app is not None:
        TOTPDevice.objects.create(user=user, name="app", confirmed=app)
    return user


def _row_flags(page: str, username: str) -> list[str]:
    """The boolean columns of a user's row: 2FA, active, staff."""
    row = re.search(rf"<tr>(?:(?!</tr>).)*>{username}</a>(?:(?!</tr>).)*</tr>", page, re.S)
    return re.findall(r'alt="(True|False)"', row.group(0))


def test_the_2fa_column_and_filter_show_what_the_api_sees(staff_client):
    users = {
        "phone_only": _user("phone_only", phone=OTHER_PHONE),
        "app_only": _user("app_only", app=True),
        "unconfirmed_app": _user("unconfirmed_app", app=False),
        "nothing": _user("nothing"),
    }

    page = staff_client.get(USERS).content.decode()
    enabled = staff_client.get(USERS, {"two_factor": "on"}).content.decode()
    disabled = staff_client.get(USERS, {"two_factor": "off"}).content.decode()

    for name, user in users.items():
        api_says = TwoFactorState(user).enabled
        assert _row_flags(page, name)[0] == str(api_says), name
        assert (f">{name}</a>" in enabled) is api_says, name
        assert (f">{name}</a>" in disabled) is not api_says, name
    assert _row_flags(page, "app_only")[0] == "True"


def _page_queries(captured) -> int:
    return sum(
        1
        for q in captured.captured_queries
        if "django_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]
    )


def test_the_user_list_costs_the_same_queries_for_many_users(staff_client):
    _user("first", app=True)
    with CaptureQueriesContext(connection) as few:
        assert staff_client.get(USERS).status_code == 200
    for n in range(20):
        _user(f"user{n}", phone=OTHER_PHONE if n % 2 else "", app=True if n % 3 else None)
    with CaptureQueriesContext(connection) as many:
        assert staff_client.get(USERS).status_code == 200

    # (The session's idle deadline is saved at most once a second, whenever that falls.)
    assert _page_queries(many) == _page_queries(few)


@pytest.mark.django_db(transaction=True)
def test_the_reset_action_names_the_staff_member_over_http(
    signed_in,
    gql,
    user_2fa,
    outbox,
):
    browser = signed_in()
    gql(
        "mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { challenge } }",
        {"u": "alice", "p": PASSWORD},
    )
    RefreshToken.objects.create(user=user_2fa, token_hash="x" * 64, expires_at=timezone.now())

    listing = browser.get(USERS)
    done = browser.submit(
        listing, {"action": "reset_two_factor", "_selected_action": [user_2fa.pk], "index": 0}
    )

    assert "was reset for 1 user" in done.text
    reset = AuditEvent.objects.get(kind=AuditEvent.Kind.RESET, user=user_2fa)
    sam = User.objects.get(username="sam")
    assert reset.detail["by_staff"] == "sam"
    assert reset.detail["by_staff_id"] == sam.pk
    assert not TwoFactorState(User.objects.get(pk=user_2fa.pk)).enabled
    assert not RefreshToken.objects.filter(user=user_2fa, revoked_at__isnull=True).exists()
    assert not Challenge.objects.filter(user=user_2fa, status=Challenge.Status.PENDING).exists()


@pytest.mark.parametrize("path", ["/admin/login/", "/admin/login/verify/", "/admin/", USERS])
def test_every_admin_page_sends_the_content_security_policy(client, db, path, settings):
    response = client.get(path)

    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY


def test_the_deploy_check_fails_when_a_password_only_admin_site_is_mounted(settings):
    settings.DEBUG = False
    assert check_admin_second_factor(None) == []

    plain = AdminSite(name="plain")
    settings.ROOT_URLCONF = type("urls", (), {"urlpatterns": [path("plain-admin/", plain.urls)]})

    assert [e.id for e in check_admin_second_factor(None)] == ["staff.E001"]


def test_the_deploy_check_fails_when_admin_site_is_not_ours(settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.setattr(admin, "site", AdminSite())

    assert [e.id for e in check_admin_second_factor(None)] == ["staff.E001"]


def test_the_deploy_check_fails_with_debug_on(settings):
    settings.DEBUG = True

    assert [e.id for e in check_admin_second_factor(None)] == ["staff.E001"]


@pytest.mark.parametrize(("max_age", "idle"), [(0, 1800), (28800, 0), (-1, -1), (600, 1800)])
def test_nonsense_admin_session_lifetimes_are_errors(settings, max_age, idle):
    settings.ADMIN_SESSION_MAX_AGE = max_age
    settings.ADMIN_SESSION_IDLE_TIMEOUT = idle

    assert {e.id for e in check_admin_session_settings(None)} == {"staff.E002"}


def test_the_default_admin_session_lifetimes_pass(settings):
    assert check_admin_session_settings(None) == []
    assert (settings.ADMIN_SESSION_MAX_AGE, settings.ADMIN_SESSION_IDLE_TIMEOUT) == (28800, 1800)


def test_a_password_set_by_staff_ends_the_users_api_sessions(staff_client, gql, user_2fa, outbox):
    session = gql(
        "mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { challenge } }",
        {"u": "alice", "p": PASSWORD},
    )
    verified = gql(
        "mutation($c: String!, $k: String!) { verifyToken(challenge: $c, code: $k) { token refreshToken } }",
        {"c": session.data["tokenAuth"]["challenge"], "k": outbox.last_code()},
    ).data["verifyToken"]
    new = "a-password-from-support-desk"

    response = staff_client.post(
        f"{USERS}{user_2fa.pk}/password/",
        {"password1": new, "password2": new, "usable_password": "true"},
    )

    assert response.status_code == 302
    assert User.objects.get(pk=user_2fa.pk).check_password(new)
    assert gql("{ me { username } }", token=verified["token"]).codes == ["UNAUTHENTICATED"]
    refreshed = gql(
        "mutation($r: String!) { refreshToken(refreshToken: $r) { token } }",
        {"r": verified["refreshToken"]},
    )
    assert refreshed.codes == ["INVALID_REFRESH_TOKEN"]


def test_an_authenticator_app_is_removed_only_by_the_audited_reset(staff_client, user):
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    apps = "/admin/otp_totp/totpdevice/"

    page = staff_client.get(f"{apps}{device.pk}/delete/")
    bulk = staff_client.post(apps, {"action": "delete_selected", "_selected_action": [device.pk]})

    assert page.status_code == 403
    assert bulk.status_code in (200, 302)
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
