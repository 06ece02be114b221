"""A replayed refresh token gives its theft away: every token of that login is
revoked (RFC 9700 §4.14.2), except within a short leeway where two tabs
refreshing at once must both survive."""

from datetime import timedelta

import pytest
import requests
from django.utils import timezone

from accounts.checks import check_refresh_token_reuse_leeway
from accounts.models import RefreshToken
from tests.documents import PASSWORD, TOKEN_AUTH
from twofa.models import AuditEvent

REFRESH = "mutation($r: String!) { refreshToken(refreshToken: $r) { token refreshToken } }"
REVOKE = "mutation($r: String!) { revokeToken(refreshToken: $r) { revoked } }"


def call(url: str, query: str, variables: dict) -> dict:
    response = requests.post(
        f"{url}/graphql", json={"query": query, "variables": variables}, timeout=10
    )
    return response.json()


def code_of(answer: dict) -> str | None:
    errors = answer.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None


def rotated_long_ago() -> None:
    """Move every rotation back past the leeway, as if the replay came later."""
    RefreshToken.objects.filter(rotated_at__isnull=False).update(
        rotated_at=timezone.now() - timedelta(minutes=5)
    )


@pytest.mark.django_db(transaction=True)
def test_a_replay_after_the_leeway_ends_the_whole_login(live_server, user):
    url = live_server.url
    stolen = call(url, TOKEN_AUTH, {"username": "alice", "password": PASSWORD})["data"][
        "tokenAuth"
    ]["refreshToken"]
    other_login = call(url, TOKEN_AUTH, {"username": "alice", "password": PASSWORD})["data"][
        "tokenAuth"
    ]["refreshToken"]
    # The thief refreshes first and keeps refreshing ...
    first = call(url, REFRESH, {"r": stolen})["data"]["refreshToken"]["refreshToken"]
    current = call(url, REFRESH, {"r": first})["data"]["refreshToken"]["refreshToken"]
    rotated_long_ago()

    # ... until the owner's client presents the token it still holds.
    assert code_of(call(url, REFRESH, {"r": stolen})) == "INVALID_REFRESH_TOKEN"

    assert code_of(call(url, REFRESH, {"r": current})) == "INVALID_REFRESH_TOKEN"
    assert code_of(call(url, REFRESH, {"r": first})) == "INVALID_REFRESH_TOKEN"
    event = AuditEvent.objects.get(kind="refresh_token_reused")
    assert event.user == user and event.ip == "127.0.0.1"
    assert event.detail["revoked"] == 1
    # Only that login ended: the user's other login lives on.
    assert code_of(call(url, REFRESH, {"r": other_login})) is None


def test_a_replay_within_the_leeway_is_refused_and_the_login_lives_on(gql, user, password_token):
    login = password_token()
    winner = gql(REFRESH, {"r": login["refreshToken"]}).data["refreshToken"]

    # A second tab refreshing with the same token a moment later.
    assert gql(REFRESH, {"r": login["refreshToken"]}).codes == ["INVALID_REFRESH_TOKEN"]

    assert not gql(REFRESH, {"r": winner["refreshToken"]}).errors
    assert not AuditEvent.objects.filter(kind="refresh_token_reused").exists()


def test_a_late_replay_is_recognised_until_the_login_expires(gql, user, password_token):
    login = password_token()
    current = login["refreshToken"]
    for _ in range(5):
        current = gql(REFRESH, {"r": current}).data["refreshToken"]["refreshToken"]
    # Rotated tokens stay stored (hashed) until the login's absolute expiry.
    assert RefreshToken.objects.filter(user=user).count() == 6
    rotated_long_ago()

    assert gql(REFRESH, {"r": login["refreshToken"]}).codes == ["INVALID_REFRESH_TOKEN"]
    assert gql(REFRESH, {"r": current}).codes == ["INVALID_REFRESH_TOKEN"]


def test_a_replay_after_sign_out_revokes_nothing_more(gql, user, password_token):
    login = password_token()
    current = gql(REFRESH, {"r": login["refreshToken"]}).data["refreshToken"]["refreshToken"]
    assert gql(REVOKE, {"r": current}).data == {"revokeToken": {"revoked": True}}
    rotated_long_ago()

    assert gql(REFRESH, {"r": login["refreshToken"]}).codes == ["INVALID_REFRESH_TOKEN"]
    assert not AuditEvent.objects.filter(kind="refresh_token_reused").exists()


@pytest.mark.parametrize(("leeway", "warned"), [(10, False), (0, False), (-1, True), (300, True)])
def test_check_warns_about_a_leeway_out_of_range(settings, leeway, warned):
    settings.REFRESH_TOKEN_REUSE_LEEWAY = leeway
    assert bool(check_refresh_token_reuse_leeway(None)) is warned
