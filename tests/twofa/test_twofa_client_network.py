"""Per-client limits count networks, not addresses: an IPv6 /64 is one client, and
requests with no client address share one budget instead of having none."""

from accounts.models import User
from core.http import UNKNOWN_CLIENT, client_network
from tests.documents import PASSWORD, TOKEN_AUTH
from tests.twofa.test_twofa_limits import VERIFY_PHONE, assert_rate_limited, numbers, token_for
from twofa.checks import check_client_address


def test_client_network_keys():
    assert client_network("203.0.113.7") == "203.0.113.7"
    assert client_network("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64"
    assert client_network("2001:db8:1:2:ffff:ffff:ffff:ffff") == "2001:db8:1:2::/64"
    assert client_network("2001:db8:1:3::1") == "2001:db8:1:3::/64"
    assert client_network("::ffff:203.0.113.7") == "203.0.113.7"
    assert client_network("") == UNKNOWN_CLIENT
    assert client_network("not an address") == UNKNOWN_CLIENT


def test_addresses_of_one_ipv6_64_share_one_send_budget(gql, db, outbox, settings):
    settings.TWOFA_SEND_LIMIT_PER_IP = 3
    users = [User.objects.create_user(f"u{i}", password="x") for i in range(5)]
    for i, (u, number) in enumerate(zip(users[:3], numbers(3), strict=True)):
        sent = gql(VERIFY_PHONE, {"p": number}, token=token_for(u), remote_addr=f"2001:db8::{i}")
        assert not sent.errors, sent.body

    # A fresh address in the same /64 is the same client ...
    same_net = gql(
        VERIFY_PHONE, {"p": numbers(4)[-1]}, token=token_for(users[3]), remote_addr="2001:db8::beef"
    )
    assert_rate_limited(same_net, 3600)
    # ... while the neighbouring /64 is another one.
    other_net = gql(
        VERIFY_PHONE,
        {"p": numbers(5)[-1]},
        token=token_for(users[4]),
        remote_addr="2001:db8:0:1::1",
    )
    assert not other_net.errors, other_net.body


def test_requests_without_a_client_address_share_one_send_budget(gql, db, outbox, settings):
    settings.TWOFA_SEND_LIMIT_PER_IP = 2
    users = [User.objects.create_user(f"u{i}", password="x") for i in range(3)]
    for u, number in zip(users[:2], numbers(2), strict=True):
        assert not gql(VERIFY_PHONE, {"p": number}, token=token_for(u), remote_addr="").errors

    third = gql(VERIFY_PHONE, {"p": numbers(3)[-1]}, token=token_for(users[2]), remote_addr="")
    assert_rate_limited(third, 3600)
    assert len(outbox.messages()) == 2


def test_failed_logins_without_a_client_address_are_limited_together(gql, user, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_IP = 3
    for name in ("x", "y", "z"):
        gql(TOKEN_AUTH, {"username": name, "password": "wrong"}, remote_addr="")

    assert_rate_limited(
        gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}, remote_addr=""), 900
    )


def test_failed_logins_from_one_ipv6_64_are_limited_together(gql, user, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_IP = 3
    for i, name in enumerate(("x", "y", "z")):
        gql(TOKEN_AUTH, {"username": name, "password": "wrong"}, remote_addr=f"2001:db8::{i}")

    blocked = gql(
        TOKEN_AUTH, {"username": "alice", "password": PASSWORD}, remote_addr="2001:db8::ffff"
    )
    assert_rate_limited(blocked, 900)


def test_deploy_check_warns_about_a_unix_socket_without_a_trusted_proxy(settings):
    settings.SERVER_BIND = "unix:/run/pollstr.sock"
    settings.TRUSTED_PROXY_COUNT = 0
    assert [w.id for w in check_client_address(None)] == ["twofa.W002"]
    settings.TRUSTED_PROXY_COUNT = 1
    assert check_client_address(None) == []
    settings.SERVER_BIND = "127.0.0.1:8000"
    settings.TRUSTED_PROXY_COUNT = 0
    assert check_client_address(None) == []
