"""TWOFA_PROVIDER=twilio,vonage: when Twilio is unavailable, Vonage sends, and checks.

The chain moves on only when a provider is unavailable (down, timing out,
dropping the connection, 5xx); an answer about the user's number or a rate
limit is the answer.
"""

import logging

import pytest

from tests.documents import PASSWORD, PHONE, TOKEN_AUTH, VERIFY_TOKEN
from twofa.models import AuditEvent, Challenge, SendRollup, SendSourceRollup

RESEND = "mutation($c: String!) { resendCode(challenge: $c) { sent channel } }"


def login(gql):
    return gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD})


def test_with_twilio_down_vonage_sends_and_checks(gql, user_2fa, failover, caplog):
    twilio, vonage = failover
    twilio.stop()

    with caplog.at_level(logging.WARNING, logger="twofa"):
        started = login(gql)

    assert started.data["tokenAuth"]["twoFactorRequired"] is True
    challenge = Challenge.objects.get()
    assert challenge.provider == "vonage"
    assert vonage.of("start")[0].body["workflow"][0]["to"] == PHONE.removeprefix("+")
    assert "2FA provider twilio unavailable; trying vonage" in caplog.messages
    sent = AuditEvent.objects.get(kind=AuditEvent.Kind.CODE_SENT)
    assert sent.detail["provider"] == "vonage"

    code = vonage.last_code()
    result = gql(VERIFY_TOKEN, {"challenge": started.data["tokenAuth"]["challenge"], "code": code})

    assert result.data["verifyToken"]["token"]
    [check] = vonage.of("check")
    assert check.path == f"/v2/verify/{challenge.provider_ref}" and check.body == {"code": code}
    assert twilio.received == []


@pytest.mark.parametrize("trouble", ["500", "503", "hang", "drop"])
def test_twilio_trouble_fails_over(gql, user_2fa, failover, trouble):
    twilio, vonage = failover
    if trouble == "hang":
        twilio.hang("start")
    elif trouble == "drop":
        twilio.drop("start")
    else:
        twilio.fail("start", int(trouble), twilio.error_body(int(trouble), 20500, "error"))

    started = login(gql)

    assert started.data["tokenAuth"]["twoFactorRequired"] is True
    assert len(twilio.of("start")) == 1
    assert len(vonage.of("start")) == 1
    assert Challenge.objects.get().provider == "vonage"


def test_a_healthy_twilio_serves_and_vonage_is_not_asked(gql, user_2fa, failover):
    twilio, vonage = failover

    started = login(gql)
    code = twilio.last_code()
    result = gql(VERIFY_TOKEN, {"challenge": started.data["tokenAuth"]["challenge"], "code": code})

    assert result.data["verifyToken"]["token"]
    assert Challenge.objects.get().provider == "twilio"
    assert vonage.received == []


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [(400, 60200, "PHONE_REFUSED"), (429, 60203, "RATE_LIMITED")],
)
def test_answers_about_the_number_do_not_fail_over(gql, user_2fa, failover, status, code, expected):
    twilio, vonage = failover
    twilio.fail("start", status, twilio.error_body(status, code, "refused"))

    started = login(gql).data["tokenAuth"]

    assert (started["codeSent"], started["codeNotSentReason"]) == (False, expected)
    assert vonage.received == []
    assert Challenge.objects.get().provider_ref == ""


def test_with_every_provider_down_the_login_gets_a_challenge_without_a_code(
    gql, user_2fa, failover
):
    twilio, vonage = failover
    twilio.stop()
    vonage.stop()

    started = login(gql).data["tokenAuth"]

    assert started["twoFactorRequired"] is True
    assert (started["codeSent"], started["codeNotSentReason"]) == (False, "PROVIDER_UNAVAILABLE")
    assert Challenge.objects.get().status == Challenge.Status.PENDING
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.CODE_SENT).exists()


def test_a_resend_moves_to_vonage_when_twilio_goes_down(gql, user_2fa, failover, settings):
    settings.TWOFA_RESEND_COOLDOWN = 0
    twilio, vonage = failover
    started = login(gql).data["tokenAuth"]
    assert Challenge.objects.get().provider == "twilio"
    twilio.stop()

    assert gql(RESEND, {"c": started["challenge"]}).data["resendCode"]["sent"] is True

    challenge = Challenge.objects.get()
    assert challenge.provider == "vonage"
    code = vonage.last_code()
    result = gql(VERIFY_TOKEN, {"challenge": started["challenge"], "code": code})
    assert result.data["verifyToken"]["token"]
    assert vonage.of("check")[0].path == f"/v2/verify/{challenge.provider_ref}"


def test_a_check_goes_to_the_provider_that_sent_even_when_it_is_down(gql, user_2fa, failover):
    twilio, vonage = failover
    started = login(gql).data["tokenAuth"]
    code = twilio.last_code()
    twilio.stop()

    result = gql(VERIFY_TOKEN, {"challenge": started["challenge"], "code": code})

    # Only Twilio knows this code: no other provider is asked, the attempt is given back.
    assert result.codes == ["PROVIDER_UNAVAILABLE"]
    assert vonage.received == []
    assert Challenge.objects.get().attempts == 0
    twilio.start()
    result = gql(VERIFY_TOKEN, {"challenge": started["challenge"], "code": code})
    assert result.data["verifyToken"]["token"]


def test_a_send_that_timed_out_and_failed_over_counts_twice(gql, user_2fa, failover, settings):
    # Twilio may have delivered before it timed out: the phone may hold two codes.
    settings.TWOFA_SEND_LIMIT_PER_PHONE = 2
    twilio, vonage = failover
    twilio.hang("start")

    first = login(gql).data["tokenAuth"]
    second = login(gql).data["tokenAuth"]

    assert first["codeSent"] is True
    assert (second["codeSent"], second["codeNotSentReason"]) == (False, "RATE_LIMITED")
    assert len(vonage.of("start")) == 1


def test_every_provider_attempt_is_audited_with_the_provider(gql, user_2fa, failover):
    twilio, vonage = failover
    twilio.drop("start")

    login(gql)

    attempts = AuditEvent.objects.filter(
        kind__in=[AuditEvent.Kind.SEND_FAILED, AuditEvent.Kind.CODE_SENT]
    ).order_by("id")
    assert [(e.kind, e.detail["provider"]) for e in attempts] == [
        ("send_failed", "twilio"),
        ("code_sent", "vonage"),
    ]
    assert attempts[0].detail["error"] == "ProviderUnavailable"
    assert attempts[0].phone == "+1******2671"


def test_a_failover_counts_one_failed_send_and_one_sent_in_the_rollups(gql, user_2fa, failover):
    twilio, vonage = failover
    twilio.stop()

    started = login(gql)
    gql(
        VERIFY_TOKEN,
        {"challenge": started.data["tokenAuth"]["challenge"], "code": vonage.last_code()},
    )

    rows = SendRollup.objects.order_by("provider").values_list(
        "country", "provider", "channel", "sent", "verified", "failed"
    )
    assert list(rows) == [("US", "twilio", "sms", 0, 0, 1), ("US", "vonage", "sms", 1, 1, 0)]
    [source] = SendSourceRollup.objects.values_list("prefix", "network", "sent", "verified")
    assert source == ("+141555", "127.0.0.1", 1, 1)
