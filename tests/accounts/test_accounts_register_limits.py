"""Sign-up is limited: per client network (every attempt, so probing for taken
usernames is bounded too) and by a global ceiling on accounts created."""

import pytest
import requests

from accounts.models import User
from tests.documents import PASSWORD
from tests.twofa.test_twofa_limits import assert_rate_limited

REGISTER = """
mutation($u: String!, $p: String!) { register(username: $u, password: $p) { user { username } } }
"""


def register_over_http(url: str, username: str, client_ip: str) -> dict:
    response = requests.post(
        f"{url}/graphql",
        json={"query": REGISTER, "variables": {"u": username, "p": PASSWORD}},
        headers={"X-Forwarded-For": client_ip},
        timeout=10,
    )
    return response.json()


def code_of(answer: dict) -> str | None:
    errors = answer.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None


@pytest.mark.django_db(transaction=True)
def test_sign_ups_are_limited_per_client_network(live_server, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.REGISTER_LIMIT_PER_IP = 3
    for i in range(3):
        assert code_of(register_over_http(live_server.url, f"bulk{i}", "203.0.113.9")) is None

    refused = register_over_http(live_server.url, "bulk3", "203.0.113.9")
    assert code_of(refused) == "RATE_LIMITED"
    assert 1 <= refused["errors"][0]["extensions"]["retryAfter"] <= 3600
    elsewhere = register_over_http(live_server.url, "carol", "198.51.100.7")
    assert code_of(elsewhere) is None
    assert sorted(User.objects.values_list("username", flat=True)) == [
        "bulk0",
        "bulk1",
        "bulk2",
        "carol",
    ]


def test_probing_for_taken_usernames_counts_against_the_limit(gql, user, settings):
    settings.REGISTER_LIMIT_PER_IP = 3
    for name in ("alice", "ALICE", "bob-is-free-but-the-password-is-weak"):
        password = PASSWORD if name != "bob-is-free-but-the-password-is-weak" else "123"
        assert gql(REGISTER, {"u": name, "p": password}).codes == ["BAD_USER_INPUT"]

    # The fourth probe learns nothing about the name.
    probe = gql(REGISTER, {"u": "Alice", "p": PASSWORD})
    assert_rate_limited(probe, 3600)
    assert "fields" not in probe.error["extensions"]


def test_a_global_ceiling_on_sign_ups(gql, db, settings):
    settings.REGISTER_LIMIT_GLOBAL = 2
    for i, address in enumerate(("203.0.113.1", "203.0.113.2")):
        result = gql(REGISTER, {"u": f"user{i}", "p": PASSWORD}, remote_addr=address)
        assert not result.errors, result.body
    # A refused attempt creates nothing and hashes nothing: it doesn't spend the ceiling.
    taken = gql(REGISTER, {"u": "USER0", "p": PASSWORD}, remote_addr="203.0.113.3")
    assert taken.codes == ["BAD_USER_INPUT"]

    third = gql(REGISTER, {"u": "user2", "p": PASSWORD}, remote_addr="203.0.113.4")
    assert_rate_limited(third, 3600)
    assert User.objects.count() == 2
