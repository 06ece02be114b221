"""Signing up, signing in with a password, and who the API thinks you are."""

import time

import jwt
import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import get_hasher

from accounts.models import RefreshToken, User
from accounts.tokens import token_pair_issue
from tests.documents import PASSWORD, TOKEN_AUTH

REGISTER = """
mutation($username: String!, $password: String!, $email: String) {
  register(username: $username, password: $password, email: $email) {
    user { id username email twoFactor { enabled phoneNumber } }
  }
}
"""
ME = "{ me { id username email twoFactor { enabled phoneNumber } } }"


def test_register_creates_a_user_without_2fa(gql, db):
    result = gql(REGISTER, {"username": "bob", "password": PASSWORD, "email": "bob@example.com"})

    user = result.data["register"]["user"]
    assert user["username"] == "bob" and user["email"] == "bob@example.com"
    assert user["twoFactor"] == {"enabled": False, "phoneNumber": None}
    assert User.objects.get(username="bob").check_password(PASSWORD)


def test_register_without_email(gql, db):
    result = gql(REGISTER, {"username": "bob", "password": PASSWORD})
    assert result.data["register"]["user"]["email"] is None


@pytest.mark.parametrize(
    ("variables", "field"),
    [
        ({"username": "bob", "password": "123"}, "password"),
        ({"username": "bob", "password": "password"}, "password"),
        ({"username": "margaretha", "password": "margaretha1"}, "password"),
        ({"username": "bad name!", "password": PASSWORD}, "username"),
        ({"username": "", "password": PASSWORD}, "username"),
        ({"username": "x" * 151, "password": PASSWORD}, "username"),
        ({"username": "bob", "password": PASSWORD, "email": "not-an-email"}, "email"),
    ],
)
def test_register_refuses_bad_input_field_by_field(gql, db, variables, field):
    result = gql(REGISTER, variables)

    assert result.codes == ["BAD_USER_INPUT"]
    assert result.error["extensions"]["fields"][field]
    assert not User.objects.exists()


def test_register_refuses_a_taken_username_whatever_its_case(gql, user):
    result = gql(REGISTER, {"username": "ALICE", "password": PASSWORD})
    assert result.codes == ["BAD_USER_INPUT"]
    assert result.error["extensions"]["fields"] == {
        "username": ["A user with that username already exists."]
    }


def test_password_login_without_2fa_gives_tokens(gql, user):
    before = int(time.time())
    result = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD})

    login = result.data["tokenAuth"]
    assert login["twoFactorRequired"] is False
    assert login["payload"]["amr"] == ["pwd"]
    assert "auth_time" not in login["payload"]
    assert login["payload"]["username"] == "alice"
    assert login["refreshExpiresIn"] > before + 6 * 24 * 3600
    assert login["challenge"] is None and login["channel"] is None and login["message"] is None
    assert RefreshToken.objects.filter(user=user).count() == 1
    me = gql("{ me { username } }", token=login["token"])
    assert me.data == {"me": {"username": "alice"}}


def test_wrong_password_and_unknown_user_look_the_same(gql, user):
    wrong = gql(TOKEN_AUTH, {"username": "alice", "password": "not-the-password"})
    unknown = gql(TOKEN_AUTH, {"username": "nobody", "password": "not-the-password"})

    assert wrong.codes == unknown.codes == ["INVALID_CREDENTIALS"]
    assert wrong.error["message"] == unknown.error["message"]
    assert wrong.data == unknown.data == {"tokenAuth": None}


def test_an_inactive_user_cannot_sign_in(gql, user):
    user.is_active = False
    user.save()
    result = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD})
    assert result.codes == ["INVALID_CREDENTIALS"]


def test_me_is_null_without_a_token(gql, db):
    result = gql(ME)
    assert result.body == {"data": {"me": None}}


def test_me_shows_the_masked_phone(gql, user_2fa):
    token = token_pair_issue(user_2fa, amr=["pwd"]).token
    result = gql(ME, token=token)
    assert result.data["me"]["twoFactor"] == {"enabled": True, "phoneNumber": "+1******2671"}
    assert result.data["me"]["id"] == str(user_2fa.pk)


def _forge(payload: dict, key: str | None = None, algorithm: str = "HS256") -> str:
    return jwt.encode(payload, key or django_settings.SECRET_KEY, algorithm=algorithm)


def _claims(**overrides) -> dict:
    now = int(time.time())
    return {
        "username": "alice",
        "exp": now + 300,
        "origIat": now,
        "iss": "pollstr",
        "amr": ["pwd"],
    } | overrides


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(lambda: "garbage", id="garbage"),
        pytest.param(lambda: _forge(_claims(exp=int(time.time()) - 10)), id="expired"),
        pytest.param(
            lambda: _forge(_claims(), key="another-secret-key-of-enough-length"), id="wrong-key"
        ),
        pytest.param(lambda: _forge(_claims(), algorithm="HS512"), id="other-algorithm"),
        pytest.param(lambda: _forge(_claims(iss="someone-else")), id="wrong-issuer"),
        pytest.param(lambda: _forge(_claims(username="mallory")), id="unknown-user"),
        pytest.param(
            lambda: _forge({"amr": ["pwd"], "exp": int(time.time()) + 60, "iss": "pollstr"}),
            id="no-username",
        ),
        pytest.param(
            lambda: jwt.encode(_claims(amr=["pwd", "sms"]), key=None, algorithm="none"),
            id="alg-none",
        ),
    ],
)
@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_bad_tokens_are_unauthenticated(gql, user, make_token):
    result = gql(ME, token=make_token())
    assert result.codes == ["UNAUTHENTICATED"]
    assert result.data == {"me": None}


def test_a_tampered_token_is_unauthenticated(gql, user):
    header, _, signature = token_pair_issue(user, amr=["pwd"]).token.split(".")
    forged_payload = jwt.utils.base64url_encode(
        jwt.api_jws.json.dumps(_claims(amr=["pwd", "sms"])).encode()
    ).decode()
    result = gql(ME, token=f"{header}.{forged_payload}.{signature}")
    assert result.codes == ["UNAUTHENTICATED"]


def test_a_disabled_users_token_stops_working(gql, user):
    token = token_pair_issue(user, amr=["pwd"]).token
    user.is_active = False
    user.save()
    assert gql(ME, token=token).codes == ["UNAUTHENTICATED"]


@pytest.mark.parametrize("header", ["JWT abc", "Bearer", "Bearer a b", "Basic dXNlcjpwYXNz"])
def test_authorization_headers_must_be_bearer(gql, user, header):
    result = gql(ME, headers={"Authorization": header})
    assert result.codes == ["UNAUTHENTICATED"]


def test_a_stale_header_does_not_block_public_operations(gql, user):
    headers = {"Authorization": "Bearer expired.or.garbage"}
    login = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}, headers=headers)
    assert login.data["tokenAuth"]["token"]
    signup = gql(REGISTER, {"username": "carol", "password": PASSWORD}, headers=headers)
    assert signup.data["register"]["user"]["username"] == "carol"
    assert gql("{ polls { id } }", headers=headers).data == {"polls": []}


def test_an_unknown_user_costs_a_password_hash_like_a_wrong_password(gql, user, monkeypatch):
    """The answer time must not tell whether a username exists."""
    hasher = get_hasher()
    hashed = []
    real_encode = type(hasher).encode

    def counting_encode(self, password, salt, *args, **kwargs):
        hashed.append(password)
        return real_encode(self, password, salt, *args, **kwargs)

    monkeypatch.setattr(type(hasher), "encode", counting_encode)

    gql(TOKEN_AUTH, {"username": "nobody", "password": "guess-one"})
    unknown_user = len(hashed)
    hashed.clear()
    gql(TOKEN_AUTH, {"username": "alice", "password": "guess-two"})

    assert unknown_user == len(hashed) == 1
