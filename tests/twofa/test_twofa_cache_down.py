"""With the shared cache (Redis) down, every limit fails closed: guarded requests answer
RATE_LIMITED with a retryAfter, none answers an internal error, nothing goes unguarded."""

import pytest

from accounts.models import User
from accounts.tokens import token_pair_issue
from tests.documents import PASSWORD, TOKEN_AUTH, VERIFY_TOKEN

DOWN = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    # Nothing listens on port 1 of the loopback: every cache call fails at once.
    "LOCATION": "redis://127.0.0.1:1/0",
}


@pytest.fixture
def cache_down(settings):
    """Call it to take the cache down (the settings fixture restores it afterwards)."""
    return lambda: setattr(settings, "CACHES", {**settings.CACHES, "default": DOWN})


def assert_refused_for_now(result):
    assert result.codes == ["RATE_LIMITED"], result.body
    assert result.error["extensions"]["retryAfter"] >= 1


def test_the_password_step_fails_closed(gql, user_2fa, outbox, cache_down):
    cache_down()
    assert_refused_for_now(gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}))
    assert outbox.messages() == []


def test_a_pending_login_fails_closed_without_an_internal_error(gql, user_2fa, outbox, cache_down):
    started = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]
    cache_down()
    assert_refused_for_now(
        gql(VERIFY_TOKEN, {"challenge": started["challenge"], "code": outbox.last_code()})
    )
    resend = gql(
        "mutation($c: String!) { resendCode(challenge: $c) { sent } }", {"c": started["challenge"]}
    )
    assert_refused_for_now(resend)


def test_enrollment_and_sign_up_fail_closed(gql, user, outbox, cache_down):
    token = token_pair_issue(user, amr=["pwd"]).token
    cache_down()
    assert_refused_for_now(
        gql('mutation { verifyPhone(phoneNumber: "+14155552671") { sent } }', token=token)
    )
    assert_refused_for_now(
        gql(
            "mutation($u: String!, $p: String!) { register(username: $u, password: $p) { user { id } } }",
            {"u": "bob", "p": PASSWORD},
        )
    )
    assert outbox.messages() == []
    assert not User.objects.filter(username="bob").exists()
