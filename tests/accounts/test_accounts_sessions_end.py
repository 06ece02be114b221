"""When the password or a second factor changes, every earlier session ends at once:
access tokens (not just refresh tokens) and pending login challenges, over real HTTP."""

import pytest
import requests

from accounts.models import User
from tests.documents import PASSWORD, PHONE, TOKEN_AUTH, VERIFY_TOKEN
from twofa.services import twofa_disable

pytestmark = pytest.mark.django_db(transaction=True)

ME = "{ me { username } }"
CHANGE = """
mutation($old: String!, $new: String!) {
  changePassword(oldPassword: $old, newPassword: $new) { token refreshToken payload }
}
"""
DISABLE = "mutation { disableTwoFactor { token refreshToken user { twoFactor { enabled } } } }"
VERIFY_PHONE = "mutation($p: String!) { verifyPhone(phoneNumber: $p) { sent } }"
REGISTER_PHONE = """
mutation($p: String!, $c: String!) { registerPhone(phoneNumber: $p, code: $c) { token } }
"""
NEW = "a-brand-new-passphrase"


@pytest.fixture
def api(live_server):
    session = requests.Session()

    def call(query, variables=None, token=None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = session.post(
            f"{live_server.url}/graphql",
            json={"query": query, "variables": variables or {}},
            headers=headers,
            timeout=10,
        )
        return response.json()

    return call


def codes(body) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


def login_2fa(api, outbox, password=PASSWORD) -> dict:
    started = api(TOKEN_AUTH, {"username": "alice", "password": password})["data"]["tokenAuth"]
    verified = api(VERIFY_TOKEN, {"challenge": started["challenge"], "code": outbox.last_code()})
    return verified["data"]["verifyToken"]


def test_changing_the_password_ends_other_access_tokens_at_once(api, user_2fa, outbox):
    other_device = login_2fa(api, outbox)
    this_device = login_2fa(api, outbox)
    assert api(ME, token=other_device["token"])["data"]["me"]["username"] == "alice"

    changed = api(CHANGE, {"old": PASSWORD, "new": NEW}, token=this_device["token"])

    renewed = changed["data"]["changePassword"]
    assert codes(api(ME, token=other_device["token"])) == ["UNAUTHENTICATED"]
    assert codes(api(ME, token=this_device["token"])) == ["UNAUTHENTICATED"]
    # The session that made the change carries on with its new pair, still 2FA-verified.
    assert api(ME, token=renewed["token"])["data"]["me"]["username"] == "alice"
    assert "sms" in renewed["payload"]["amr"]


def test_a_login_challenge_started_before_a_password_change_cannot_finish(api, user_2fa, outbox):
    session = login_2fa(api, outbox)
    # Someone with the old password started a login and got the code sent.
    pending = api(TOKEN_AUTH, {"username": "alice", "password": PASSWORD})["data"]["tokenAuth"]
    code = outbox.last_code()

    api(CHANGE, {"old": PASSWORD, "new": NEW}, token=session["token"])

    finished = api(VERIFY_TOKEN, {"challenge": pending["challenge"], "code": code})
    assert codes(finished) == ["CODE_EXPIRED"]


def test_disabling_2fa_ends_other_access_tokens(api, user_2fa, outbox):
    other_device = login_2fa(api, outbox)
    this_device = login_2fa(api, outbox)

    disabled = api(DISABLE, token=this_device["token"])["data"]["disableTwoFactor"]

    assert disabled["user"]["twoFactor"]["enabled"] is False
    assert codes(api(ME, token=other_device["token"])) == ["UNAUTHENTICATED"]
    assert api(ME, token=disabled["token"])["data"]["me"]["username"] == "alice"


def test_a_staff_reset_ends_the_users_access_tokens_and_challenges(api, user_2fa, outbox):
    session = login_2fa(api, outbox)
    pending = api(TOKEN_AUTH, {"username": "alice", "password": PASSWORD})["data"]["tokenAuth"]
    code = outbox.last_code()

    staff = User.objects.create_user("sam", is_staff=True)
    twofa_disable(User.objects.get(pk=user_2fa.pk), by_staff=staff)

    assert codes(api(ME, token=session["token"])) == ["UNAUTHENTICATED"]
    assert codes(api(VERIFY_TOKEN, {"challenge": pending["challenge"], "code": code})) == [
        "CODE_EXPIRED"
    ]


def test_changing_the_phone_ends_other_access_tokens(api, user_2fa, outbox):
    other_device = login_2fa(api, outbox)
    this_device = login_2fa(api, outbox)
    new_phone = "+14155550123"

    api(VERIFY_PHONE, {"p": new_phone}, token=this_device["token"])
    registered = api(
        REGISTER_PHONE,
        {"p": new_phone, "c": outbox.last_code(new_phone)},
        token=this_device["token"],
    )

    new_token = registered["data"]["registerPhone"]["token"]
    assert codes(api(ME, token=other_device["token"])) == ["UNAUTHENTICATED"]
    assert codes(api(ME, token=this_device["token"])) == ["UNAUTHENTICATED"]
    assert api(ME, token=new_token)["data"]["me"]["username"] == "alice"
    assert PHONE != new_phone


def test_a_refresh_token_from_before_the_sessions_ended_is_refused(api, user, password_token):
    # A refresh that raced sessions_end() can store its successor after the
    # revocation ran; the user's version has moved on, so that token is dead too.
    login = password_token()
    User.objects.filter(pk=user.pk).update(auth_version=user.auth_version + 1)

    refreshed = api(
        "mutation($r: String!) { refreshToken(refreshToken: $r) { token } }",
        {"r": login["refreshToken"]},
    )

    assert codes(refreshed) == ["INVALID_REFRESH_TOKEN"]
