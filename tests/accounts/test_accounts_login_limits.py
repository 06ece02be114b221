"""Failed logins are limited so that guessing is bounded but a stranger can't lock
the owner out: failures count per (username, client network) at a low limit and
per username across all networks only at a much higher ceiling."""

import pytest
import requests

from accounts.checks import check_login_limits
from tests.documents import PASSWORD, TOKEN_AUTH
from tests.twofa.test_twofa_limits import assert_rate_limited

CHANGE = """
mutation($old: String!, $new: String!) {
  changePassword(oldPassword: $old, newPassword: $new) { user { username } }
}
"""


def login_over_http(url: str, username: str, password: str, client_ip: str) -> dict:
    response = requests.post(
        f"{url}/graphql",
        json={"query": TOKEN_AUTH, "variables": {"username": username, "password": password}},
        headers={"X-Forwarded-For": client_ip},
        timeout=10,
    )
    return response.json()


@pytest.mark.django_db(transaction=True)
def test_a_strangers_failures_do_not_lock_the_owner_out(live_server, user, settings):
    # The live server sits behind "one proxy", so each request says which client it is.
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.LOGIN_FAILURE_LIMIT_PER_USERNAME):
        stranger = login_over_http(live_server.url, "alice", "guess", "203.0.113.66")
        assert stranger["errors"][0]["extensions"]["code"] == "INVALID_CREDENTIALS"

    blocked = login_over_http(live_server.url, "alice", "guess", "203.0.113.66")
    assert blocked["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    owner = login_over_http(live_server.url, "alice", PASSWORD, "198.51.100.7")
    assert "errors" not in owner, owner
    assert owner["data"]["tokenAuth"]["token"]


def test_failures_from_many_networks_stop_at_the_per_username_ceiling(gql, user, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_USERNAME = 3
    settings.LOGIN_FAILURE_CEILING_PER_USERNAME = 6
    networks = [f"203.0.113.{i}" for i in range(1, 4)]
    for address in networks:
        for _ in range(2):
            wrong = gql(TOKEN_AUTH, {"username": "alice", "password": "guess"}, remote_addr=address)
            assert wrong.codes == ["INVALID_CREDENTIALS"]

    # Six failures from three networks: every network is under its own limit of
    # three, but the username has reached its ceiling, from anywhere.
    for address in (*networks, "198.51.100.7"):
        result = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}, remote_addr=address)
        assert_rate_limited(result, 900)
    other_user = gql(
        TOKEN_AUTH, {"username": "bob", "password": "guess"}, remote_addr="198.51.100.7"
    )
    assert other_user.codes == ["INVALID_CREDENTIALS"]


def test_wrong_old_passwords_count_per_network_too(gql, user, password_token, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_IP = 3
    token = password_token()["token"]
    for name in ("x", "y"):
        gql(TOKEN_AUTH, {"username": name, "password": "guess"})
    assert gql(CHANGE, {"old": "guess", "new": "a-brand-new-passphrase"}, token=token).codes == [
        "INVALID_CREDENTIALS"
    ]

    # The network's third failure was a wrong old password: logins from it wait now.
    assert_rate_limited(gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}), 900)


def test_check_warns_when_the_ceiling_is_near_the_per_network_limit(settings):
    settings.LOGIN_FAILURE_LIMIT_PER_USERNAME = 10
    settings.LOGIN_FAILURE_CEILING_PER_USERNAME = 15
    assert [w.id for w in check_login_limits(None)] == ["accounts.W001"]
    settings.LOGIN_FAILURE_CEILING_PER_USERNAME = 100
    assert check_login_limits(None) == []
