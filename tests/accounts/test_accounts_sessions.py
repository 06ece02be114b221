"""A user's sessions: one per login, listed with what received its tokens and
from which coarse network, signed out one at a time or everywhere at once;
only ever the user's own."""

import json
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import RefreshToken, User
from accounts.tokens import token_pair_issue
from core.http import client_network_coarse
from tests.documents import PASSWORD, TOKEN_AUTH
from twofa.models import AuditEvent

SESSIONS = """
{ me { sessions { id startedAt lastRefreshedAt expiresAt clientKind clientNetwork current } } }
"""
REVOKE = "mutation($id: ID!) { revokeSession(id: $id) { revoked } }"
EVERYWHERE = "mutation { signOutEverywhere { sessionsEnded } }"
REFRESH = "mutation($r: String!) { refreshToken(refreshToken: $r) { token refreshToken } }"
ME = "{ me { username } }"
BROWSER = {"X-Pollstr-Session": "browser"}


def sign_in(gql, *, remote_addr="127.0.0.1", headers=None, username="alice") -> dict:
    result = gql(
        TOKEN_AUTH,
        {"username": username, "password": PASSWORD},
        remote_addr=remote_addr,
        headers=headers,
    )
    answer = result.data["tokenAuth"]
    assert answer["twoFactorRequired"] is False, result.body
    return answer


def sessions(gql, token) -> list[dict]:
    result = gql(SESSIONS, token=token)
    assert not result.errors, result.body
    return result.data["me"]["sessions"]


@pytest.fixture
def bob(db) -> User:
    return User.objects.create_user(username="bob", password=PASSWORD)


def test_each_login_is_a_session_with_its_client_and_coarse_network(gql, user):
    app = sign_in(gql, remote_addr="203.0.113.7")
    browser = sign_in(gql, remote_addr="2001:db8:1:2::99", headers=BROWSER)

    listed = sessions(gql, app["token"])

    assert [(s["clientKind"], s["clientNetwork"], s["current"]) for s in listed] == [
        ("BROWSER", "2001:db8:1::/48", False),
        ("APP", "203.0.113.0/24", True),
    ]
    assert all(s["lastRefreshedAt"] is None and s["startedAt"] for s in listed)
    assert [s["current"] for s in sessions(gql, browser["token"])] == [True, False]


def test_the_list_never_shows_a_client_address(gql, user):
    app = sign_in(gql, remote_addr="203.0.113.7")

    body = json.dumps(gql(SESSIONS, token=app["token"]).body)

    assert "203.0.113.0/24" in body
    assert "203.0.113.7" not in body


def test_a_refresh_keeps_the_session_and_says_when(gql, user):
    first = sign_in(gql, remote_addr="203.0.113.7")
    [before] = sessions(gql, first["token"])

    refreshed = gql(REFRESH, {"r": first["refreshToken"]}, remote_addr="198.51.100.20")
    [after] = sessions(gql, refreshed.data["refreshToken"]["token"])

    assert after["id"] == before["id"] and after["current"] is True
    assert after["startedAt"] == before["startedAt"]
    assert after["lastRefreshedAt"] is not None
    assert after["clientNetwork"] == "198.51.100.0/24"
    assert after["expiresAt"] == before["expiresAt"]


def test_ended_and_expired_logins_are_not_listed(gql, user):
    kept = sign_in(gql)
    signed_out = sign_in(gql)
    gql(
        "mutation($r: String!) { revokeToken(refreshToken: $r) { revoked } }",
        {"r": signed_out["refreshToken"]},
    )
    expired = token_pair_issue(user, amr=["pwd"])
    RefreshToken.objects.filter(family=_family(expired.token)).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    assert len(sessions(gql, kept["token"])) == 1


def test_a_login_from_before_every_session_ended_is_not_listed(gql, user):
    # What a refresh racing sessions_end() can leave: a token of the old version.
    stale = token_pair_issue(user, amr=["pwd"])
    User.objects.filter(pk=user.pk).update(auth_version=user.auth_version + 1)
    mine = sign_in(gql)

    assert gql(REFRESH, {"r": stale.refresh_token}).codes == ["INVALID_REFRESH_TOKEN"]
    assert [s["current"] for s in sessions(gql, mine["token"])] == [True]


def _family(token: str) -> uuid.UUID:
    from graphql_jwt.utils import get_payload

    return uuid.UUID(get_payload(token)["sid"])


def test_revoking_a_session_ends_it_and_only_it(gql, user):
    mine = sign_in(gql)
    other = sign_in(gql)
    other_id = next(s["id"] for s in sessions(gql, mine["token"]) if not s["current"])

    result = gql(REVOKE, {"id": other_id}, token=mine["token"], remote_addr="203.0.113.7")

    assert result.data == {"revokeSession": {"revoked": True}}
    assert gql(REFRESH, {"r": other["refreshToken"]}).codes == ["INVALID_REFRESH_TOKEN"]
    assert not gql(REFRESH, {"r": mine["refreshToken"]}).errors
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SESSION_REVOKED)
    assert event.user == user and event.detail == {"login": other_id}


def test_a_revoked_session_cannot_be_revoked_again(gql, user):
    mine = sign_in(gql)
    sign_in(gql)
    other_id = next(s["id"] for s in sessions(gql, mine["token"]) if not s["current"])
    gql(REVOKE, {"id": other_id}, token=mine["token"])

    assert gql(REVOKE, {"id": other_id}, token=mine["token"]).codes == ["NOT_FOUND"]


@pytest.mark.parametrize("which", ["another user's", "unknown", "malformed"])
def test_another_users_session_is_not_found_like_an_unknown_one(gql, user, bob, which):
    mine = sign_in(gql)
    bobs = sign_in(gql, username="bob")
    ids = {
        "another user's": sessions(gql, bobs["token"])[0]["id"],
        "unknown": str(uuid.uuid4()),
        "malformed": "not-a-session",
    }

    result = gql(REVOKE, {"id": ids[which]}, token=mine["token"])

    assert result.codes == ["NOT_FOUND"]
    assert result.error["message"] == "No such session."
    assert not gql(REFRESH, {"r": bobs["refreshToken"]}).errors


def test_sessions_are_only_the_callers_own(gql, user, bob):
    sign_in(gql)
    bobs = sign_in(gql, username="bob")

    [only] = sessions(gql, bobs["token"])

    assert only["current"] is True


def test_without_a_login_nothing_is_listed_or_ended(gql, user):
    sign_in(gql)

    assert gql(SESSIONS).data == {"me": None}
    assert gql(SESSIONS, token="not-a-token").codes == ["UNAUTHENTICATED"]
    assert gql(REVOKE, {"id": str(uuid.uuid4())}).codes == ["UNAUTHENTICATED"]
    assert gql(EVERYWHERE).codes == ["UNAUTHENTICATED"]
    assert RefreshToken.objects.filter(revoked_at=None).count() == 1


def test_a_password_only_token_of_a_2fa_user_may_not(gql, user_2fa):
    token = token_pair_issue(user_2fa, amr=["pwd"]).token
    family = str(_family(token))

    assert gql(SESSIONS, token=token).codes == ["TWO_FACTOR_REQUIRED"]
    assert gql(REVOKE, {"id": family}, token=token).codes == ["TWO_FACTOR_REQUIRED"]
    assert gql(EVERYWHERE, token=token).codes == ["TWO_FACTOR_REQUIRED"]
    assert RefreshToken.objects.filter(revoked_at=None).count() == 1


def test_a_2fa_user_lists_sessions_with_a_verified_token(gql, user_2fa, verified_login):
    verified = verified_login()

    [only] = sessions(gql, verified["token"])

    assert only["current"] is True and only["clientKind"] == "APP"


def test_signing_out_everywhere_ends_every_token(gql, user):
    mine = sign_in(gql)
    other = sign_in(gql)

    result = gql(EVERYWHERE, token=mine["token"], remote_addr="203.0.113.7")

    assert result.data == {"signOutEverywhere": {"sessionsEnded": 2}}
    for answer in (mine, other):
        assert gql(ME, token=answer["token"]).codes == ["UNAUTHENTICATED"]
        assert gql(REFRESH, {"r": answer["refreshToken"]}).codes == ["INVALID_REFRESH_TOKEN"]
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SIGNED_OUT_EVERYWHERE)
    assert event.user == user and event.ip == "203.0.113.7"
    fresh = sign_in(gql)
    assert len(sessions(gql, fresh["token"])) == 1


def test_signing_out_everywhere_leaves_other_users_signed_in(gql, user, bob):
    mine = sign_in(gql)
    bobs = sign_in(gql, username="bob")

    gql(EVERYWHERE, token=mine["token"])

    assert gql(ME, token=bobs["token"]).data == {"me": {"username": "bob"}}
    assert not gql(REFRESH, {"r": bobs["refreshToken"]}).errors


def _post(client, query, variables=None, *, token=None):
    headers = {"X-Pollstr-Session": "browser", "Origin": "http://testserver"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return client.post(
        "/graphql",
        data=json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
        headers=headers,
    )


def _browser_sign_in(client) -> str:
    response = _post(client, TOKEN_AUTH, {"username": "alice", "password": PASSWORD})
    assert response.cookies["pollstr_refresh"].value
    return response.json()["data"]["tokenAuth"]["token"]


def test_signing_out_everywhere_clears_the_browser_cookie(client, user):
    token = _browser_sign_in(client)

    response = _post(client, EVERYWHERE, token=token)

    assert response.json()["data"]["signOutEverywhere"]["sessionsEnded"] == 1
    cookie = response.cookies["pollstr_refresh"]
    assert cookie.value == "" and cookie["max-age"] == 0


def test_revoking_the_current_browser_session_clears_its_cookie(client, user):
    token = _browser_sign_in(client)
    [current] = _post(client, SESSIONS, token=token).json()["data"]["me"]["sessions"]

    response = _post(client, REVOKE, {"id": current["id"]}, token=token)

    assert response.json()["data"] == {"revokeSession": {"revoked": True}}
    assert response.cookies["pollstr_refresh"]["max-age"] == 0
    refreshed = _post(client, "mutation { refreshToken { token } }")
    assert refreshed.json()["errors"][0]["extensions"]["code"] == "INVALID_REFRESH_TOKEN"


def test_revoking_another_session_leaves_the_browser_cookie(client, gql, user):
    token = _browser_sign_in(client)
    sign_in(gql)
    other = next(
        s["id"]
        for s in _post(client, SESSIONS, token=token).json()["data"]["me"]["sessions"]
        if not s["current"]
    )

    response = _post(client, REVOKE, {"id": other}, token=token)

    assert response.json()["data"] == {"revokeSession": {"revoked": True}}
    assert "pollstr_refresh" not in response.cookies


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.7", "203.0.113.0/24"),
        ("::ffff:203.0.113.7", "203.0.113.0/24"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1::/48"),
        ("", ""),
        ("not an address", ""),
    ],
)
def test_the_network_shown_is_coarse(address, network):
    assert client_network_coarse(address) == network
