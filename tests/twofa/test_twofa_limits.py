"""Nobody can run up an SMS bill or spread guesses: sends, resends and dead challenges are limited."""

import time

import pytest

from accounts.models import User
from accounts.tokens import token_pair_issue
from tests.documents import PASSWORD, PHONE, TOKEN_AUTH, VERIFY_TOKEN
from twofa.models import AuditEvent, RefusalRollup

VERIFY_PHONE = "mutation($p: String!) { verifyPhone(phoneNumber: $p) { sent } }"
RESEND = "mutation($c: String!) { resendCode(challenge: $c) { sent } }"


def numbers(count: int) -> list[str]:
    return [f"+1415555{100 + i:04d}" for i in range(count)]


def token_for(user) -> str:
    return token_pair_issue(user, amr=["pwd"]).token


def assert_rate_limited(result, max_wait: int):
    assert result.codes == ["RATE_LIMITED"], result.body
    assert 1 <= result.error["extensions"]["retryAfter"] <= max_wait


def test_resend_has_a_cooldown(gql, user_2fa, outbox):
    started = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]

    result = gql(RESEND, {"c": started["challenge"]})

    assert_rate_limited(result, 30)
    assert len(outbox.messages()) == 1
    assert AuditEvent.objects.filter(kind="rate_limited", user=user_2fa).exists()


def test_five_codes_per_phone_per_hour_whoever_asks(gql, user, outbox):
    alice = token_for(user)
    for _ in range(5):
        assert gql(VERIFY_PHONE, {"p": PHONE}, token=alice).data["verifyPhone"]["sent"]

    assert_rate_limited(gql(VERIFY_PHONE, {"p": PHONE}, token=alice), 3600)
    bob = token_for(User.objects.create_user("bob", password="x"))
    assert_rate_limited(gql(VERIFY_PHONE, {"p": PHONE}, token=bob), 3600)
    assert len(outbox.messages()) == 5


def test_ten_codes_per_user_per_hour(gql, user, outbox, settings):
    settings.TWOFA_ENROLL_SEND_LIMIT_PER_USER = 0  # the overall budget, not the enrollment one
    token = token_for(user)
    for number in numbers(10):
        assert not gql(VERIFY_PHONE, {"p": number}, token=token).errors

    assert_rate_limited(gql(VERIFY_PHONE, {"p": numbers(11)[-1]}, token=token), 3600)
    assert len(outbox.messages()) == 10


def test_five_enrollment_codes_per_user_per_hour_whatever_the_numbers(gql, user, outbox):
    token = token_for(user)
    for number in numbers(5):
        assert not gql(VERIFY_PHONE, {"p": number}, token=token).errors

    assert_rate_limited(gql(VERIFY_PHONE, {"p": numbers(6)[-1]}, token=token), 3600)
    assert len(outbox.messages()) == 5


def test_enrollment_then_login_right_away_is_fine(gql, user, outbox):
    token = token_for(user)
    gql(VERIFY_PHONE, {"p": PHONE}, token=token)
    gql(
        "mutation($p: String!, $c: String!) { registerPhone(phoneNumber: $p, code: $c) { token } }",
        {"p": PHONE, "c": outbox.last_code()},
        token=token,
    )
    started = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD})
    assert started.data["tokenAuth"]["twoFactorRequired"] is True


def test_sends_per_client_ip_are_capped(gql, db, outbox, settings):
    settings.TWOFA_SEND_LIMIT_PER_IP = 3
    users = [User.objects.create_user(f"u{i}", password="x") for i in range(4)]
    for u, number in zip(users[:3], numbers(3), strict=True):
        assert not gql(VERIFY_PHONE, {"p": number}, token=token_for(u)).errors

    assert_rate_limited(gql(VERIFY_PHONE, {"p": numbers(4)[-1]}, token=token_for(users[3])), 3600)
    elsewhere = gql(
        VERIFY_PHONE,
        {"p": numbers(4)[-1]},
        token=token_for(users[3]),
        remote_addr="10.9.8.7",
    )
    assert not elsewhere.errors


def test_x_forwarded_for_is_ignored_unless_a_proxy_is_trusted(gql, db, outbox, settings):
    settings.TWOFA_SEND_LIMIT_PER_IP = 1
    first, second = (User.objects.create_user(n, password="x") for n in ("u1", "u2"))
    a, b = numbers(2)

    assert not gql(
        VERIFY_PHONE, {"p": a}, token=token_for(first), headers={"X-Forwarded-For": "1.1.1.1"}
    ).errors
    forged = gql(
        VERIFY_PHONE, {"p": b}, token=token_for(second), headers={"X-Forwarded-For": "2.2.2.2"}
    )
    assert_rate_limited(forged, 3600)

    settings.TRUSTED_PROXY_COUNT = 1
    proxied = gql(
        VERIFY_PHONE, {"p": b}, token=token_for(second), headers={"X-Forwarded-For": "2.2.2.2"}
    )
    assert not proxied.errors
    assert AuditEvent.objects.filter(kind="code_sent", ip="2.2.2.2").exists()


def test_failed_logins_are_limited_per_username_and_network(gql, user):
    for _ in range(10):
        assert gql(TOKEN_AUTH, {"username": "alice", "password": "wrong"}).codes == [
            "INVALID_CREDENTIALS"
        ]

    # Now even the right password waits: the attacker can't tell it was right.
    assert_rate_limited(gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}), 900)
    assert_rate_limited(gql(TOKEN_AUTH, {"username": "ALICE ", "password": PASSWORD}), 900)
    # The owner, from another network, is not locked out by them.
    owner = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}, remote_addr="10.0.0.2")
    assert owner.data["tokenAuth"]["token"]
    User.objects.create_user("bob", password=PASSWORD)
    assert gql(TOKEN_AUTH, {"username": "bob", "password": PASSWORD}).data["tokenAuth"]["token"]


def test_failed_logins_are_limited_per_client_ip(gql, user, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_IP = 3
    for name in ("x", "y", "z"):
        gql(TOKEN_AUTH, {"username": name, "password": "wrong"})

    assert_rate_limited(gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}), 900)
    other_ip = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}, remote_addr="10.0.0.2")
    assert other_ip.data["tokenAuth"]["token"]


def test_successful_logins_do_not_count(gql, user):
    for _ in range(12):
        assert gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"][
            "token"
        ]


def kill_a_challenge(gql, outbox) -> str:
    started = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]
    wrong = f"{(int(outbox.last_code()) + 1) % 1_000_000:06d}"
    for _ in range(5):
        gql(VERIFY_TOKEN, {"challenge": started["challenge"], "code": wrong})
    return started["challenge"]


def test_a_dead_challenge_starts_a_doubling_backoff(gql, user_2fa, outbox, monkeypatch):
    dead = kill_a_challenge(gql, outbox)

    # The dead challenge still says why it is dead; a new login gets a challenge
    # but no code, and no code is checked until the back-off ends.
    assert gql(VERIFY_TOKEN, {"challenge": dead, "code": outbox.last_code()}).codes == [
        "TOO_MANY_ATTEMPTS"
    ]
    sent = len(outbox.messages())
    login = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]
    assert (login["codeSent"], login["codeNotSentReason"]) == (False, "RATE_LIMITED")
    assert 1 <= login["retryAfter"] <= 60
    assert len(outbox.messages()) == sent
    assert_rate_limited(gql(VERIFY_TOKEN, {"challenge": login["challenge"], "code": "123456"}), 60)
    assert AuditEvent.objects.filter(kind="locked", user=user_2fa).count() == 1

    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 61)
    kill_a_challenge(gql, outbox)
    login = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]
    assert login["codeSent"] is False
    assert 60 < login["retryAfter"] <= 120


@pytest.mark.parametrize("kind", ["code_sent", "wrong_code", "locked", "code_verified"])
def test_2fa_events_are_audited_with_masked_phone_and_ip(gql, user_2fa, outbox, kind):
    if kind == "code_verified":
        started = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]
        gql(VERIFY_TOKEN, {"challenge": started["challenge"], "code": outbox.last_code()})
    else:
        kill_a_challenge(gql, outbox)

    event = AuditEvent.objects.filter(kind=kind).latest("id")
    assert event.user == user_2fa
    assert event.phone == "+1******2671"
    assert event.ip == "127.0.0.1"
    assert outbox.last_code() not in str(event.detail)


def test_a_negative_send_limit_is_a_configuration_error(settings):
    from twofa.checks import check_twofa_settings

    settings.TWOFA_ENROLL_SEND_LIMIT_PER_USER = -1

    assert [e.id for e in check_twofa_settings(None)] == ["twofa.E004"]


def test_each_refusal_is_counted_per_limit_for_the_staff_report(gql, user, outbox, settings):
    settings.TWOFA_SEND_LIMIT_PER_IP = 1
    token = token_for(user)
    gql(VERIFY_PHONE, {"p": PHONE}, token=token)
    for number in numbers(2):
        assert_rate_limited(gql(VERIFY_PHONE, {"p": number}, token=token), 3600)

    assert list(RefusalRollup.objects.values_list("limit", "refused")) == [("send", 2)]
    assert (
        AuditEvent.objects.filter(kind=AuditEvent.Kind.RATE_LIMITED).first().detail["limit"]
        == "send"
    )
