"""Codes go only to numbers that can take them at an ordinary price: premium-rate,
toll-free and other special numbers are refused (INVALID_PHONE) before anything
is sent or counted, landlines get calls but no SMS, and TWOFA_ALLOWED_COUNTRIES
narrows where codes go at all."""

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from tests.documents import PASSWORD, PHONE, TOKEN_AUTH
from tests.twofa.test_twofa_limits import token_for
from twofa.checks import check_twofa_settings
from twofa.models import AuditEvent, Challenge, Method, MethodPreference, PhoneNumber

VERIFY_PHONE = """
mutation($p: String!, $channel: Channel) {
  verifyPhone(phoneNumber: $p, channel: $channel) { sent channel }
}
"""
RESEND = """
mutation($c: String!, $channel: Channel) { resendCode(challenge: $c, channel: $channel) { sent channel } }
"""

PREMIUM_US = "+19005550123"
TOLL_FREE_US = "+18005550123"
SHARED_COST_FR = "+33884012345"
UK_MOBILE = "+447400123456"
UK_LANDLINE = "+441212345678"
CA_NUMBER = "+14165550123"


def refused(result) -> str:
    """The INVALID_PHONE message of a refused send."""
    assert result.codes == ["INVALID_PHONE"], result.body
    return result.error["message"]


@pytest.mark.parametrize("number", [PREMIUM_US, TOLL_FREE_US, SHARED_COST_FR])
@pytest.mark.parametrize("channel", ["SMS", "CALL"])
def test_premium_rate_and_toll_free_numbers_get_nothing(gql, user, outbox, number, channel):
    message = refused(gql(VERIFY_PHONE, {"p": number, "channel": channel}, token=token_for(user)))

    assert "kind of number" in message
    assert outbox.messages() == []
    assert not Challenge.objects.exists()


def test_a_refused_number_counts_against_no_limit(gql, user, outbox, settings):
    settings.TWOFA_SEND_LIMIT_PER_USER = 1
    settings.TWOFA_SEND_LIMIT_PER_IP = 1
    token = token_for(user)
    for _ in range(5):
        refused(gql(VERIFY_PHONE, {"p": PREMIUM_US, "channel": "CALL"}, token=token))

    assert gql(VERIFY_PHONE, {"p": PHONE}, token=token).data["verifyPhone"]["sent"] is True
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.RATE_LIMITED).exists()


@pytest.mark.parametrize("number", [PHONE, CA_NUMBER, UK_MOBILE])
@pytest.mark.parametrize("channel", ["SMS", "CALL"])
def test_mobile_and_us_numbers_get_codes_either_way(gql, user, outbox, number, channel):
    result = gql(VERIFY_PHONE, {"p": number, "channel": channel}, token=token_for(user))

    assert result.data["verifyPhone"] == {"sent": True, "channel": channel}
    assert outbox.last()["to"] == number


def test_a_landline_gets_a_call_but_no_sms(gql, user, outbox):
    token = token_for(user)

    message = refused(gql(VERIFY_PHONE, {"p": UK_LANDLINE}, token=token))
    assert "voice call" in message
    assert outbox.messages() == []

    called = gql(VERIFY_PHONE, {"p": UK_LANDLINE, "channel": "CALL"}, token=token)
    assert called.data["verifyPhone"] == {"sent": True, "channel": "CALL"}
    assert (outbox.last()["to"], outbox.last()["channel"]) == (UK_LANDLINE, "call")


def test_a_landline_user_signs_in_with_a_call(gql, user, outbox):
    PhoneNumber.objects.create(user=user, number=UK_LANDLINE, verified_at=timezone.now())

    started = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]

    assert started["channel"] == "CALL"
    assert (outbox.last()["to"], outbox.last()["channel"]) == (UK_LANDLINE, "call")


def test_a_resend_by_call_goes_to_a_landline_and_by_sms_does_not(gql, user, outbox):
    PhoneNumber.objects.create(user=user, number=UK_LANDLINE, verified_at=timezone.now())
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    MethodPreference.objects.create(user=user, method=Method.TOTP)
    started = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]

    refused(gql(RESEND, {"c": started["challenge"]}))
    assert outbox.messages() == []

    sent = gql(RESEND, {"c": started["challenge"], "channel": "CALL"})
    assert sent.data["resendCode"] == {"sent": True, "channel": "CALL"}
    assert (outbox.last()["to"], outbox.last()["channel"]) == (UK_LANDLINE, "call")


def test_a_number_stored_before_the_policy_gets_no_login_code(gql, user, outbox):
    PhoneNumber.objects.create(user=user, number=PREMIUM_US, verified_at=timezone.now())

    started = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]

    # A challenge, but no code, and no method that could answer it now.
    assert (started["codeSent"], started["codeNotSentReason"]) == (False, "PHONE_REFUSED")
    assert started["methods"] == []
    assert outbox.messages() == []


def test_allowed_countries_narrow_where_codes_go(gql, user, outbox, settings):
    settings.TWOFA_ALLOWED_COUNTRIES = ["GB", "CA"]
    token = token_for(user)

    assert "country" in refused(gql(VERIFY_PHONE, {"p": PHONE}, token=token))
    assert outbox.messages() == []
    assert gql(VERIFY_PHONE, {"p": UK_MOBILE}, token=token).data["verifyPhone"]["sent"]
    bob = token_for(User.objects.create_user("bob", password="x"))
    assert gql(VERIFY_PHONE, {"p": CA_NUMBER}, token=bob).data["verifyPhone"]["sent"]


def test_the_number_types_are_a_setting(gql, user, outbox, settings):
    settings.TWOFA_NUMBER_TYPES = {"sms": ["MOBILE"], "call": ["MOBILE", "FIXED_LINE"]}
    token = token_for(user)

    refused(gql(VERIFY_PHONE, {"p": PHONE}, token=token))
    assert gql(VERIFY_PHONE, {"p": UK_MOBILE}, token=token).data["verifyPhone"]["sent"]
    assert outbox.last()["to"] == UK_MOBILE


def test_unknown_number_types_and_countries_fail_the_system_check(settings):
    assert check_twofa_settings(None) == []

    settings.TWOFA_NUMBER_TYPES = {"sms": ["MOBILE", "CELLULAR"], "call": ["FIXED_LINE"]}
    settings.TWOFA_ALLOWED_COUNTRIES = ["GB", "UK"]
    errors = check_twofa_settings(None)

    assert sorted(e.id for e in errors) == ["twofa.E003", "twofa.E006"]
    messages = " ".join(e.msg for e in errors)
    assert "'CELLULAR'" in messages and "'UK'" in messages
