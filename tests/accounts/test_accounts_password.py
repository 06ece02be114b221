"""Changing a password: checked, validated, and every other session ends."""

from django.utils import timezone

from accounts.models import User
from accounts.tokens import token_pair_issue
from tests.documents import PASSWORD, TOKEN_AUTH

CHANGE = """
mutation($old: String!, $new: String!) {
  changePassword(oldPassword: $old, newPassword: $new) { user { username } }
}
"""
NEW = "a-brand-new-passphrase"


def test_change_password_needs_a_login(gql, user):
    assert gql(CHANGE, {"old": PASSWORD, "new": NEW}).codes == ["UNAUTHENTICATED"]


def test_change_password_and_every_refresh_token_is_revoked(gql, user, password_token):
    other_device = password_token()
    session = password_token()

    result = gql(CHANGE, {"old": PASSWORD, "new": NEW}, token=session["token"])

    assert result.data == {"changePassword": {"user": {"username": "alice"}}}
    assert User.objects.get(pk=user.pk).check_password(NEW)
    for login in (other_device, session):
        refresh = gql(
            "mutation($r: String!) { refreshToken(refreshToken: $r) { token } }",
            {"r": login["refreshToken"]},
        )
        assert refresh.codes == ["INVALID_REFRESH_TOKEN"]
    assert gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).codes == [
        "INVALID_CREDENTIALS"
    ]
    assert gql(TOKEN_AUTH, {"username": "alice", "password": NEW}).data["tokenAuth"]["token"]


def test_the_old_password_must_be_right(gql, user, password_token):
    token = password_token()["token"]
    result = gql(CHANGE, {"old": "not-it", "new": NEW}, token=token)
    assert result.codes == ["INVALID_CREDENTIALS"]
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


def test_wrong_old_passwords_count_as_failed_logins(gql, user, password_token, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_USERNAME = 3
    token = password_token()["token"]
    for _ in range(3):
        assert gql(CHANGE, {"old": "guess", "new": NEW}, token=token).codes == [
            "INVALID_CREDENTIALS"
        ]
    assert gql(CHANGE, {"old": PASSWORD, "new": NEW}, token=token).codes == ["RATE_LIMITED"]


def test_the_new_password_must_pass_the_validators(gql, user, password_token):
    token = password_token()["token"]
    result = gql(CHANGE, {"old": PASSWORD, "new": "123"}, token=token)
    assert result.codes == ["BAD_USER_INPUT"]
    assert result.error["extensions"]["fields"]["newPassword"]
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


def test_with_2fa_on_a_password_only_token_is_not_enough(gql, user_2fa):
    password_only = token_pair_issue(user_2fa, amr=["pwd"]).token
    assert gql(CHANGE, {"old": PASSWORD, "new": NEW}, token=password_only).codes == [
        "TWO_FACTOR_REQUIRED"
    ]
    verified = token_pair_issue(user_2fa, amr=["pwd", "sms"], auth_time=timezone.now()).token
    assert gql(CHANGE, {"old": PASSWORD, "new": NEW}, token=verified).data["changePassword"]
