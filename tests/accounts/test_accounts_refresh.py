"""Refreshing and revoking tokens: rotation, kept factors, hashed storage."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import RefreshToken
from accounts.tokens import token_pair_issue
from tests.documents import PASSWORD

REFRESH = """
mutation($r: String!) { refreshToken(refreshToken: $r) { token refreshToken payload refreshExpiresIn } }
"""
REVOKE = "mutation($r: String!) { revokeToken(refreshToken: $r) { revoked } }"


def test_refresh_rotates_the_refresh_token(gql, user, password_token):
    login = password_token()

    result = gql(REFRESH, {"r": login["refreshToken"]})

    refreshed = result.data["refreshToken"]
    assert refreshed["refreshToken"] != login["refreshToken"]
    assert refreshed["payload"]["amr"] == ["pwd"]
    assert refreshed["refreshExpiresIn"] == login["refreshExpiresIn"]
    assert gql("{ me { username } }", token=refreshed["token"]).data == {
        "me": {"username": "alice"}
    }
    assert gql(REFRESH, {"r": login["refreshToken"]}).codes == ["INVALID_REFRESH_TOKEN"]
    assert not gql(REFRESH, {"r": refreshed["refreshToken"]}).errors


def test_refresh_keeps_the_second_factor(gql, user_2fa, verified_login):
    login = verified_login()

    refreshed = gql(REFRESH, {"r": login["refreshToken"]}).data["refreshToken"]

    assert refreshed["payload"]["amr"] == ["pwd", "sms"]
    assert refreshed["payload"]["auth_time"] == login["payload"]["auth_time"]


def test_refreshing_a_password_login_never_adds_a_factor(gql, user_2fa):
    # A 2FA user's password-only session, e.g. from before 2FA was turned on.
    pair = token_pair_issue(user_2fa, amr=["pwd"])
    refreshed = gql(REFRESH, {"r": pair.refresh_token}).data["refreshToken"]
    assert refreshed["payload"]["amr"] == ["pwd"]
    assert "auth_time" not in refreshed["payload"]


def test_unknown_and_expired_refresh_tokens_are_refused(gql, user, password_token):
    assert gql(REFRESH, {"r": "unknown"}).codes == ["INVALID_REFRESH_TOKEN"]
    assert gql(REFRESH, {"r": ""}).codes == ["INVALID_REFRESH_TOKEN"]

    login = password_token()
    RefreshToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert gql(REFRESH, {"r": login["refreshToken"]}).codes == ["INVALID_REFRESH_TOKEN"]


def test_an_inactive_user_cannot_refresh(gql, user, password_token):
    login = password_token()
    user.is_active = False
    user.save()
    assert gql(REFRESH, {"r": login["refreshToken"]}).codes == ["INVALID_REFRESH_TOKEN"]


def test_revoke_signs_out(gql, user, password_token):
    login = password_token()

    assert gql(REVOKE, {"r": login["refreshToken"]}).data == {"revokeToken": {"revoked": True}}
    assert gql(REFRESH, {"r": login["refreshToken"]}).codes == ["INVALID_REFRESH_TOKEN"]
    assert gql(REVOKE, {"r": login["refreshToken"]}).codes == ["INVALID_REFRESH_TOKEN"]
    assert gql(REVOKE, {"r": "unknown"}).codes == ["INVALID_REFRESH_TOKEN"]


def test_refresh_tokens_are_stored_hashed(gql, user, password_token):
    raw = password_token()["refreshToken"]
    row = RefreshToken.objects.get()
    stored = [str(getattr(row, f.attname)) for f in RefreshToken._meta.concrete_fields]
    assert not any(raw in value for value in stored)
    assert PASSWORD not in str(stored)
