"""Enrolling a phone (verifyPhone, registerPhone), step-up, and disableTwoFactor."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import RefreshToken
from accounts.tokens import token_pair_issue
from tests.documents import OTHER_PHONE, PHONE
from twofa.models import Challenge, PhoneNumber

VERIFY_PHONE = """
mutation($phone: String!, $channel: Channel) {
  verifyPhone(phoneNumber: $phone, channel: $channel) { sent phoneNumber channel expiresIn }
}
"""
REGISTER_PHONE = """
mutation($phone: String!, $code: String!) {
  registerPhone(phoneNumber: $phone, code: $code) {
    user { username twoFactor { enabled phoneNumber } } token refreshToken payload
  }
}
"""
DISABLE = "mutation { disableTwoFactor { user { twoFactor { enabled phoneNumber } } } }"


def test_verify_phone_needs_a_login(gql, user, outbox):
    result = gql(VERIFY_PHONE, {"phone": PHONE})
    assert result.codes == ["UNAUTHENTICATED"]
    assert outbox.messages() == []


def test_verify_phone_sends_an_enrollment_code(gql, user, outbox, password_token):
    token = password_token()["token"]

    result = gql(VERIFY_PHONE, {"phone": PHONE}, token=token)

    assert result.data["verifyPhone"]["sent"] is True
    assert result.data["verifyPhone"]["phoneNumber"] == "+1******2671"
    assert result.data["verifyPhone"]["channel"] == "SMS"
    assert 595 <= result.data["verifyPhone"]["expiresIn"] <= 600
    message = outbox.last()
    assert set(message) == {"to", "code", "channel", "purpose", "locale", "sent_at"}
    assert (message["to"], message["channel"], message["purpose"]) == (PHONE, "sms", "enroll")
    assert message["locale"] == "en"
    assert len(message["code"]) == 6 and message["code"].isdigit()


def test_numbers_need_a_plus_unless_a_default_region_is_set(
    gql, user, outbox, password_token, settings
):
    token = password_token()["token"]
    assert gql(VERIFY_PHONE, {"phone": "(415) 555-2671"}, token=token).codes == ["INVALID_PHONE"]

    settings.TWOFA_DEFAULT_REGION = "US"
    result = gql(VERIFY_PHONE, {"phone": "(415) 555-2671"}, token=token)
    assert result.data["verifyPhone"]["phoneNumber"] == "+1******2671"
    assert outbox.last()["to"] == PHONE


def test_invalid_numbers_are_refused_without_sending(gql, user, outbox, password_token):
    token = password_token()["token"]
    for raw in ("+1415555", "+999123456789", "hello", "+1" + "5" * 200, ""):
        assert gql(VERIFY_PHONE, {"phone": raw}, token=token).codes == ["INVALID_PHONE"], raw
    assert outbox.messages() == []


def test_register_phone_turns_2fa_on_and_returns_verified_tokens(gql, user, outbox, password_token):
    token = password_token()["token"]
    gql(VERIFY_PHONE, {"phone": PHONE}, token=token)

    result = gql(REGISTER_PHONE, {"phone": PHONE, "code": outbox.last_code()}, token=token)

    payload = result.data["registerPhone"]
    assert payload["user"]["twoFactor"] == {"enabled": True, "phoneNumber": "+1******2671"}
    assert payload["payload"]["amr"] == ["pwd", "sms"]
    assert isinstance(payload["payload"]["auth_time"], int)
    assert PhoneNumber.objects.get(user=user).number == PHONE
    me = gql("{ me { twoFactor { enabled } } }", token=payload["token"])
    assert me.data["me"]["twoFactor"]["enabled"] is True


def test_enrollment_by_voice_call_proves_tel(gql, user, outbox, password_token):
    token = password_token()["token"]
    result = gql(VERIFY_PHONE, {"phone": PHONE, "channel": "CALL"}, token=token)
    assert result.data["verifyPhone"]["channel"] == "CALL"
    assert outbox.last()["channel"] == "call"

    result = gql(REGISTER_PHONE, {"phone": PHONE, "code": outbox.last_code()}, token=token)
    assert result.data["registerPhone"]["payload"]["amr"] == ["pwd", "tel"]


def test_wrong_enrollment_codes_are_limited_and_nothing_is_saved(gql, user, outbox, password_token):
    token = password_token()["token"]
    gql(VERIFY_PHONE, {"phone": PHONE}, token=token)
    code = outbox.last_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    left = []
    for _ in range(5):
        result = gql(REGISTER_PHONE, {"phone": PHONE, "code": wrong}, token=token)
        assert result.codes == ["INVALID_CODE"]
        left.append(result.error["extensions"]["attemptsLeft"])
    assert left == [4, 3, 2, 1, 0]

    assert gql(REGISTER_PHONE, {"phone": PHONE, "code": code}, token=token).codes == [
        "TOO_MANY_ATTEMPTS"
    ]
    assert not PhoneNumber.objects.exists()
    assert [t.amr for t in RefreshToken.objects.all()] == [["pwd"]]


def test_a_code_only_confirms_the_number_it_was_sent_to(gql, user, outbox, password_token):
    token = password_token()["token"]
    gql(VERIFY_PHONE, {"phone": PHONE}, token=token)

    result = gql(REGISTER_PHONE, {"phone": OTHER_PHONE, "code": outbox.last_code()}, token=token)
    assert result.codes == ["CODE_EXPIRED"]
    assert not PhoneNumber.objects.exists()


def test_register_phone_without_a_pending_enrollment(gql, user, outbox, password_token):
    token = password_token()["token"]
    result = gql(REGISTER_PHONE, {"phone": PHONE, "code": "123456"}, token=token)
    assert result.codes == ["CODE_EXPIRED"]


def test_a_new_enrollment_replaces_the_previous_one(gql, user, outbox, password_token):
    token = password_token()["token"]
    gql(VERIFY_PHONE, {"phone": PHONE}, token=token)
    first_code = outbox.last_code()
    gql(VERIFY_PHONE, {"phone": OTHER_PHONE}, token=token)

    result = gql(REGISTER_PHONE, {"phone": PHONE, "code": first_code}, token=token)
    assert result.codes == ["CODE_EXPIRED"]


def test_an_expired_enrollment_code_is_refused(gql, user, outbox, password_token):
    token = password_token()["token"]
    gql(VERIFY_PHONE, {"phone": PHONE}, token=token)
    Challenge.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    result = gql(REGISTER_PHONE, {"phone": PHONE, "code": outbox.last_code()}, token=token)
    assert result.codes == ["CODE_EXPIRED"]
    assert not PhoneNumber.objects.exists()


def test_changing_the_phone_needs_a_recent_second_factor(gql, user_2fa, outbox, verified_login):
    password_only = token_pair_issue(user_2fa, amr=["pwd"]).token
    stale = token_pair_issue(
        user_2fa, amr=["pwd", "sms"], auth_time=timezone.now() - timedelta(minutes=11)
    ).token

    for token in (password_only, stale):
        assert gql(VERIFY_PHONE, {"phone": OTHER_PHONE}, token=token).codes == [
            "TWO_FACTOR_REQUIRED"
        ]
        assert gql(REGISTER_PHONE, {"phone": OTHER_PHONE, "code": "123456"}, token=token).codes == [
            "TWO_FACTOR_REQUIRED"
        ]
        assert gql(DISABLE, token=token).codes == ["TWO_FACTOR_REQUIRED"]
    assert PhoneNumber.objects.get(user=user_2fa).number == PHONE


def test_changing_the_phone_revokes_other_sessions(gql, user_2fa, outbox, verified_login):
    other_session = verified_login()
    fresh = verified_login()["token"]

    gql(VERIFY_PHONE, {"phone": OTHER_PHONE}, token=fresh)
    result = gql(REGISTER_PHONE, {"phone": OTHER_PHONE, "code": outbox.last_code()}, token=fresh)

    assert result.data["registerPhone"]["user"]["twoFactor"]["phoneNumber"] == "+1******0123"
    refresh = gql(
        "mutation($r: String!) { refreshToken(refreshToken: $r) { token } }",
        {"r": other_session["refreshToken"]},
    )
    assert refresh.codes == ["INVALID_REFRESH_TOKEN"]
    new_refresh = gql(
        "mutation($r: String!) { refreshToken(refreshToken: $r) { payload } }",
        {"r": result.data["registerPhone"]["refreshToken"]},
    )
    assert new_refresh.data["refreshToken"]["payload"]["amr"] == ["pwd", "sms"]


def test_disable_two_factor(gql, user_2fa, outbox, verified_login, password_token):
    session = verified_login()

    result = gql(DISABLE, token=session["token"])

    assert result.data["disableTwoFactor"]["user"]["twoFactor"] == {
        "enabled": False,
        "phoneNumber": None,
    }
    assert not PhoneNumber.objects.exists()
    refresh = gql(
        "mutation($r: String!) { refreshToken(refreshToken: $r) { token } }",
        {"r": session["refreshToken"]},
    )
    assert refresh.codes == ["INVALID_REFRESH_TOKEN"]
    assert password_token()["payload"]["amr"] == ["pwd"]
