"""A ceiling on codes sent in all, whoever asks: many accounts on many networks can't
run up the bill past TWOFA_SEND_LIMIT_GLOBAL per window, and crossing it is logged
loudly."""

import logging

from accounts.models import User
from tests.twofa.test_twofa_limits import VERIFY_PHONE, assert_rate_limited, numbers, token_for


def stranger(i: int) -> dict:
    """A fresh account, on its own network, asking for a code to its own number."""
    user = User.objects.create_user(f"u{i}", password="x")
    return {"token": token_for(user), "remote_addr": f"198.51.100.{i}"}


def test_the_ceiling_counts_sends_across_users_and_networks(gql, db, outbox, settings, caplog):
    settings.TWOFA_SEND_LIMIT_GLOBAL = 3
    caplog.set_level(logging.WARNING, logger="twofa")
    for i, number in enumerate(numbers(3)):
        assert not gql(VERIFY_PHONE, {"p": number}, **stranger(i)).errors

    for i, number in enumerate(numbers(6)[3:], start=3):
        assert_rate_limited(gql(VERIFY_PHONE, {"p": number}, **stranger(i)), 3600)

    assert len(outbox.messages()) == 3
    alarms = [r for r in caplog.records if "ceiling" in r.getMessage()]
    assert len(alarms) == 1 and alarms[0].levelno >= logging.ERROR


def test_sends_refused_by_other_limits_do_not_spend_the_ceiling(gql, db, outbox, settings):
    settings.TWOFA_SEND_LIMIT_GLOBAL = 3
    settings.TWOFA_SEND_LIMIT_PER_IP = 1
    flood, flooder = numbers(10), stranger(0)
    assert not gql(VERIFY_PHONE, {"p": flood[0]}, **flooder).errors
    for number in flood[1:8]:
        assert_rate_limited(gql(VERIFY_PHONE, {"p": number}, **flooder), 3600)

    for i, number in enumerate(flood[8:], start=1):
        assert not gql(VERIFY_PHONE, {"p": number}, **stranger(i)).errors
    assert len(outbox.messages()) == 3
