"""Passwords are hashed with Argon2id; older hashes are upgraded at the next login."""

from django.contrib.auth.hashers import make_password

from accounts.models import User
from tests.documents import PASSWORD, TOKEN_AUTH


def test_new_passwords_are_hashed_with_argon2id(gql, db, settings):
    settings.PASSWORD_HASHERS = settings.PRODUCTION_PASSWORD_HASHERS
    gql(
        "mutation($u: String!, $p: String!) { register(username: $u, password: $p) { user { id } } }",
        {"u": "erin", "p": PASSWORD},
    )
    assert User.objects.get(username="erin").password.startswith("argon2$argon2id$")


def test_an_older_hash_is_upgraded_at_login(gql, db, settings):
    settings.PASSWORD_HASHERS = settings.PRODUCTION_PASSWORD_HASHERS
    User.objects.create(username="frank", password=make_password(PASSWORD, hasher="pbkdf2_sha256"))

    result = gql(TOKEN_AUTH, {"username": "frank", "password": PASSWORD})

    assert result.data["tokenAuth"]["token"]
    assert User.objects.get(username="frank").password.startswith("argon2$argon2id$")


def test_a_wrong_password_does_not_touch_the_hash(gql, db, settings):
    settings.PASSWORD_HASHERS = settings.PRODUCTION_PASSWORD_HASHERS
    old = make_password(PASSWORD, hasher="pbkdf2_sha256")
    User.objects.create(username="gina", password=old)

    assert gql(TOKEN_AUTH, {"username": "gina", "password": "wrong"}).codes == [
        "INVALID_CREDENTIALS"
    ]
    assert User.objects.get(username="gina").password == old
