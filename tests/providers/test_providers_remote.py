"""Twilio Verify and Vonage Verify through their real SDKs, against local stand-ins.

Every test looks at both sides: what the provider's API received (path, auth,
number format, channel, code) and what the GraphQL client got back.
"""

import base64
import logging
import time
from dataclasses import dataclass

import pytest

from tests.documents import PASSWORD, PHONE, TOKEN_AUTH, VERIFY_TOKEN
from tests.providers.fixtures import (
    CREDENTIALS,
    SECRETS,
    TWILIO_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN,
    TWILIO_VERIFY_SERVICE_SID,
    VONAGE_API_KEY,
    VONAGE_API_SECRET,
)
from tests.providers.standins import HANG_SECONDS, Received, StandIn
from twofa.models import AuditEvent, Challenge, PhoneNumber

VERIFY_PHONE = """
mutation($phone: String!, $channel: Channel) {
  verifyPhone(phoneNumber: $phone, channel: $channel) { sent phoneNumber channel }
}
"""
REGISTER_PHONE = """
mutation($phone: String!, $code: String!) {
  registerPhone(phoneNumber: $phone, code: $code) { user { twoFactor { enabled } } payload }
}
"""
RESEND = """
mutation($challenge: String!) { resendCode(challenge: $challenge) { sent channel } }
"""
ME = "{ me { twoFactor { enabled phoneNumber } } }"
# What tokenAuth says instead of failing, per error a send to the phone would raise.
NOT_SENT_REASON = {
    "INVALID_PHONE": "PHONE_REFUSED",
    "RATE_LIMITED": "RATE_LIMITED",
    "PROVIDER_UNAVAILABLE": "PROVIDER_UNAVAILABLE",
}


@dataclass
class Remote:
    """One provider's stand-in, and how its requests spell what we sent."""

    name: str
    api: StandIn
    number: str  # PHONE as the provider receives it
    auth: tuple[str, str]

    def to(self, received: Received) -> str:
        if self.name == "twilio":
            return received.body["To"]
        return received.body["workflow"][0]["to"]

    def channel(self, received: Received) -> str:
        if self.name == "twilio":
            return received.body["Channel"]
        return received.body["workflow"][0]["channel"]

    def code(self, received: Received) -> str:
        return received.body["Code" if self.name == "twilio" else "code"]


@pytest.fixture(params=["twilio", "vonage"])
def remote(request) -> Remote:
    if request.param == "twilio":
        api = request.getfixturevalue("twilio_api")
        return Remote("twilio", api, PHONE, (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN))
    api = request.getfixturevalue("vonage_api")
    return Remote("vonage", api, PHONE.removeprefix("+"), (VONAGE_API_KEY, VONAGE_API_SECRET))


@pytest.fixture(autouse=True)
def _logs_keep_secrets(caplog):
    """Whatever a test does, no credential and no code the stand-ins sent is logged."""
    StandIn.started.clear()
    caplog.set_level(logging.DEBUG)
    yield
    records = caplog.get_records("setup") + caplog.get_records("call")
    assert records, "nothing was logged: the check below would prove nothing"
    text = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in records)
    codes = [m.code for api in StandIn.started for m in api.messages]
    basic = [base64.b64encode(f"{u}:{p}".encode()).decode() for u, p in CREDENTIALS]
    for secret in (*SECRETS, *basic, *codes):
        assert secret not in text


def login(gql):
    result = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD})
    return result


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10 ** len(code):0{len(code)}d}"


def test_a_login_code_is_sent_and_checked_by_the_provider(gql, user_2fa, remote):
    result = login(gql)

    assert result.data["tokenAuth"]["twoFactorRequired"] is True
    assert result.data["tokenAuth"]["phoneNumber"] == "+1******2671"
    [start] = remote.api.received
    assert start.operation == "start" and start.method == "POST"
    assert start.auth == remote.auth
    assert (remote.to(start), remote.channel(start)) == (remote.number, "sms")
    if remote.name == "twilio":
        assert start.path == f"/v2/Services/{TWILIO_VERIFY_SERVICE_SID}/Verifications"
        assert start.content_type == "application/x-www-form-urlencoded"
    else:
        assert start.path == "/v2/verify"
        assert start.body["brand"] == "Pollstr"
        assert start.body["code_length"] == 6
        assert start.body["channel_timeout"] == 600
    challenge = Challenge.objects.get()
    assert challenge.provider == remote.name

    code = remote.api.last_code(remote.number)
    verified = gql(VERIFY_TOKEN, {"challenge": result.data["tokenAuth"]["challenge"], "code": code})

    assert verified.data["verifyToken"]["payload"]["amr"] == ["pwd", "sms"]
    [check] = remote.api.of("check")
    assert check.auth == remote.auth and remote.code(check) == code
    if remote.name == "twilio":
        assert check.path == f"/v2/Services/{TWILIO_VERIFY_SERVICE_SID}/VerificationCheck"
        # By the verification's SID, not the number (Twilio keeps one per number).
        assert check.body == {"VerificationSid": challenge.provider_ref, "Code": code}
    else:
        assert check.path == f"/v2/verify/{challenge.provider_ref}"


def test_enrollment_by_voice_call(gql, user, password_token, remote):
    token = password_token()["token"]

    sent = gql(VERIFY_PHONE, {"phone": PHONE, "channel": "CALL"}, token=token)

    assert sent.data["verifyPhone"] == {
        "sent": True,
        "phoneNumber": "+1******2671",
        "channel": "CALL",
    }
    [start] = remote.api.of("start")
    assert remote.channel(start) == ("call" if remote.name == "twilio" else "voice")
    code = remote.api.last_code(remote.number)
    result = gql(REGISTER_PHONE, {"phone": PHONE, "code": code}, token=token)
    assert result.data["registerPhone"]["user"]["twoFactor"]["enabled"] is True
    assert result.data["registerPhone"]["payload"]["amr"] == ["pwd", "tel"]


def test_a_wrong_code_leaves_the_challenge_usable(gql, user_2fa, remote):
    challenge = login(gql).data["tokenAuth"]["challenge"]
    code = remote.api.last_code()

    result = gql(VERIFY_TOKEN, {"challenge": challenge, "code": wrong(code)})

    assert result.codes == ["INVALID_CODE"]
    assert result.error["extensions"]["attemptsLeft"] == 4
    assert remote.code(remote.api.of("check")[0]) == wrong(code)
    result = gql(VERIFY_TOKEN, {"challenge": challenge, "code": code})
    assert result.data["verifyToken"]["token"]


def test_a_malformed_code_never_reaches_the_provider(gql, user_2fa, remote):
    challenge = login(gql).data["tokenAuth"]["challenge"]

    result = gql(VERIFY_TOKEN, {"challenge": challenge, "code": "12ab"})

    assert result.codes == ["INVALID_CODE"]
    assert remote.api.of("check") == []


def test_a_failed_send_leaves_nothing_half_done(gql, user, password_token, remote, caplog):
    token = password_token()["token"]
    remote.api.fail("start", 500, remote.api.error_body(500, 20500, "Internal Server Error"))

    result = gql(VERIFY_PHONE, {"phone": PHONE}, token=token)

    assert result.codes == ["PROVIDER_UNAVAILABLE"]
    assert result.data is None or result.data["verifyPhone"] is None
    assert len(remote.api.of("start")) == 1
    assert not Challenge.objects.exists()
    assert not PhoneNumber.objects.exists()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.CODE_SENT).exists()
    assert gql(ME, token=token).data["me"]["twoFactor"] == {"enabled": False, "phoneNumber": None}
    assert f"{remote.name} start failed: status=500" in caplog.text

    # Once the provider is back, the same request works.
    remote.api.heal()
    assert gql(VERIFY_PHONE, {"phone": PHONE}, token=token).data["verifyPhone"]["sent"] is True


def assert_not_sent(result, reason: str) -> dict:
    """tokenAuth answered with a challenge but no code, for `reason`."""
    assert not result.errors, result.body
    login = result.data["tokenAuth"]
    assert login["twoFactorRequired"] is True and login["challenge"]
    assert (login["codeSent"], login["codeNotSentReason"]) == (False, reason)
    challenge = Challenge.objects.get()
    assert challenge.status == Challenge.Status.PENDING and challenge.provider_ref == ""
    return login


def test_a_failed_login_send_still_gives_a_challenge(gql, user_2fa, remote):
    remote.api.fail("start", 503, "<html><body>Service Unavailable</body></html>")

    login_ = assert_not_sent(login(gql), "PROVIDER_UNAVAILABLE")

    assert login_["methods"] == []  # no app, no recovery codes: only resendCode is left
    remote.api.heal()
    assert gql(RESEND, {"challenge": login_["challenge"]}).data["resendCode"]["sent"] is True
    result = gql(VERIFY_TOKEN, {"challenge": login_["challenge"], "code": remote.api.last_code()})
    assert result.data["verifyToken"]["token"]


def test_a_hung_provider_is_abandoned_after_the_timeout(gql, user_2fa, remote):
    # The stand-in would answer with a success after HANG_SECONDS: a client
    # without a timeout would wait for it and log the user in.
    remote.api.hang("start")
    began = time.monotonic()

    result = login(gql)

    assert_not_sent(result, "PROVIDER_UNAVAILABLE")
    assert time.monotonic() - began < HANG_SECONDS
    assert len(remote.api.of("start")) == 1


def test_a_dropped_connection_is_one_request_not_a_resend(gql, user_2fa, remote):
    remote.api.drop("start")

    result = login(gql)

    assert_not_sent(result, "PROVIDER_UNAVAILABLE")
    assert len(remote.api.of("start")) == 1
    assert remote.api.messages == []


def test_a_provider_outage_at_check_gives_the_attempt_back(gql, user_2fa, remote):
    challenge = login(gql).data["tokenAuth"]["challenge"]
    code = remote.api.last_code()
    remote.api.fail("check", 500, remote.api.error_body(500, 20500, "Internal Server Error"))

    assert gql(VERIFY_TOKEN, {"challenge": challenge, "code": code}).codes == [
        "PROVIDER_UNAVAILABLE"
    ]
    assert Challenge.objects.get().attempts == 0

    remote.api.heal()
    result = gql(VERIFY_TOKEN, {"challenge": challenge, "code": wrong(code)})
    assert result.error["extensions"]["attemptsLeft"] == 4


def test_a_new_login_cancels_the_open_verification(gql, user_2fa, remote):
    first = login(gql).data["tokenAuth"]["challenge"]
    first_ref = Challenge.objects.get().provider_ref
    first_code = remote.api.last_code()

    second = login(gql)

    # Vonage would refuse a second verification to the number (409) while the
    # first is open; Twilio would re-send the first code.
    assert second.data["tokenAuth"]["twoFactorRequired"] is True
    [cancel] = remote.api.of("cancel")
    assert cancel.auth == remote.auth
    if remote.name == "twilio":
        assert cancel.path.endswith(f"/Verifications/{first_ref}")
        assert cancel.body == {"Status": "canceled"}
    else:
        assert (cancel.method, cancel.path) == ("DELETE", f"/v2/verify/{first_ref}")
    assert len(remote.api.of("start")) == 2
    assert gql(VERIFY_TOKEN, {"challenge": first, "code": first_code}).codes == ["CODE_EXPIRED"]
    code = remote.api.last_code()
    result = gql(VERIFY_TOKEN, {"challenge": second.data["tokenAuth"]["challenge"], "code": code})
    assert result.data["verifyToken"]["token"]


def test_resending_a_code(gql, user_2fa, remote, settings):
    settings.TWOFA_RESEND_COOLDOWN = 0
    challenge = login(gql).data["tokenAuth"]["challenge"]
    first_code = remote.api.last_code()

    result = gql(RESEND, {"challenge": challenge})

    assert result.data["resendCode"] == {"sent": True, "channel": "SMS"}
    starts = remote.api.of("start")
    assert len(starts) == 2 and remote.to(starts[1]) == remote.number
    second_code = remote.api.last_code()
    if remote.name == "twilio":
        # Twilio re-sends the same code while the verification is pending.
        assert remote.api.of("cancel") == []
        assert second_code == first_code
    else:
        # Vonage allows one open request per number: the old one is closed first.
        assert [r.method for r in remote.api.received] == ["POST", "DELETE", "POST"]
        if first_code != second_code:
            old = gql(VERIFY_TOKEN, {"challenge": challenge, "code": first_code})
            assert old.codes == ["INVALID_CODE"]
    result = gql(VERIFY_TOKEN, {"challenge": challenge, "code": second_code})
    assert result.data["verifyToken"]["token"]


def test_a_locked_challenge_is_cancelled_at_the_provider(gql, user_2fa, remote):
    challenge = login(gql).data["tokenAuth"]["challenge"]
    code = remote.api.last_code()
    ref = Challenge.objects.get().provider_ref

    for _ in range(5):
        gql(VERIFY_TOKEN, {"challenge": challenge, "code": wrong(code)})

    assert gql(VERIFY_TOKEN, {"challenge": challenge, "code": code}).codes == ["TOO_MANY_ATTEMPTS"]
    assert len(remote.api.of("check")) == 5
    [cancel] = remote.api.of("cancel")
    assert ref in cancel.path


def test_the_providers_own_attempt_limit_ends_the_challenge(gql, user_2fa, remote, settings):
    # Our limit above the provider's: the provider's refusal is what the user sees.
    settings.TWOFA_MAX_ATTEMPTS = 10
    remote.api.max_checks = 3
    challenge = login(gql).data["tokenAuth"]["challenge"]
    code = remote.api.last_code()
    for _ in range(3):
        assert gql(VERIFY_TOKEN, {"challenge": challenge, "code": wrong(code)}).codes == [
            "INVALID_CODE"
        ]

    result = gql(VERIFY_TOKEN, {"challenge": challenge, "code": code})

    assert result.codes == ["TOO_MANY_ATTEMPTS"]
    assert Challenge.objects.get().status == Challenge.Status.FAILED
    assert len(remote.api.of("check")) == 4
    assert gql(VERIFY_TOKEN, {"challenge": challenge, "code": code}).codes == ["TOO_MANY_ATTEMPTS"]
    assert len(remote.api.of("check")) == 4


def test_wrong_credentials_are_an_outage_not_a_user_error(gql, user_2fa, remote, settings):
    if remote.name == "twilio":
        settings.TWILIO_AUTH_TOKEN = "not-the-token"
    else:
        settings.VONAGE_API_SECRET = "not-the-secret"

    result = login(gql)

    assert_not_sent(result, "PROVIDER_UNAVAILABLE")
    [start] = remote.api.received
    assert start.auth != remote.auth


# --- One mapping from provider answers to our error codes -------------------------------

TWILIO_START_ERRORS = [
    (400, 60200, "INVALID_PHONE"),
    (400, 60205, "INVALID_PHONE"),
    (429, 60203, "RATE_LIMITED"),
    (429, 60212, "RATE_LIMITED"),
    (429, 20429, "RATE_LIMITED"),
    (401, 20003, "PROVIDER_UNAVAILABLE"),
    (403, 20403, "PROVIDER_UNAVAILABLE"),
    (500, 20500, "PROVIDER_UNAVAILABLE"),
    (503, 20503, "PROVIDER_UNAVAILABLE"),
]
TWILIO_CHECK_ERRORS = [
    (404, 20404, "CODE_EXPIRED"),
    (429, 60202, "TOO_MANY_ATTEMPTS"),
    (429, 20429, "RATE_LIMITED"),
    (401, 20003, "PROVIDER_UNAVAILABLE"),
    (500, 20500, "PROVIDER_UNAVAILABLE"),
]
VONAGE_START_ERRORS = [
    (422, "INVALID_PHONE"),
    (409, "RATE_LIMITED"),  # a verification to the number is open elsewhere
    (429, "RATE_LIMITED"),
    (401, "PROVIDER_UNAVAILABLE"),
    (403, "PROVIDER_UNAVAILABLE"),
    (500, "PROVIDER_UNAVAILABLE"),
    (503, "PROVIDER_UNAVAILABLE"),
]
VONAGE_CHECK_ERRORS = [
    (400, "INVALID_CODE"),
    (404, "CODE_EXPIRED"),
    (409, "CODE_EXPIRED"),
    (410, "TOO_MANY_ATTEMPTS"),
    (429, "RATE_LIMITED"),
    (401, "PROVIDER_UNAVAILABLE"),
    (500, "PROVIDER_UNAVAILABLE"),
]


def _start_fails(gql, api, status, body, expected, caplog, name):
    api.fail("start", status, body)
    login_ = assert_not_sent(login(gql), NOT_SENT_REASON[expected])
    assert len(api.of("start")) == 1
    assert f"{name} start failed: status={status}" in caplog.text
    if expected == "RATE_LIMITED":
        assert login_["retryAfter"] == 60


def _check_fails(gql, api, status, body, expected):
    challenge = login(gql).data["tokenAuth"]["challenge"]
    api.fail("check", status, body)
    result = gql(VERIFY_TOKEN, {"challenge": challenge, "code": api.last_code()})
    assert result.codes == [expected]
    assert len(api.of("check")) == 1
    return Challenge.objects.get()


@pytest.mark.parametrize(("status", "code", "expected"), TWILIO_START_ERRORS)
def test_twilio_send_errors(gql, user_2fa, twilio_api, status, code, expected, caplog):
    body = twilio_api.error_body(status, code, "error")
    _start_fails(gql, twilio_api, status, body, expected, caplog, "twilio")
    assert f"code={code}" in caplog.text


@pytest.mark.parametrize(("status", "code", "expected"), TWILIO_CHECK_ERRORS)
def test_twilio_check_errors(gql, user_2fa, twilio_api, status, code, expected):
    challenge = _check_fails(
        gql, twilio_api, status, twilio_api.error_body(status, code, "e"), expected
    )
    if expected == "TOO_MANY_ATTEMPTS":
        assert challenge.status == Challenge.Status.FAILED


@pytest.mark.parametrize(("status", "expected"), VONAGE_START_ERRORS)
def test_vonage_send_errors(gql, user_2fa, vonage_api, status, expected, caplog):
    body = vonage_api.error_body(status, None, "error")
    _start_fails(gql, vonage_api, status, body, expected, caplog, "vonage")


@pytest.mark.parametrize(("status", "expected"), VONAGE_CHECK_ERRORS)
def test_vonage_check_errors(gql, user_2fa, vonage_api, status, expected):
    challenge = _check_fails(
        gql, vonage_api, status, vonage_api.error_body(status, None, "e"), expected
    )
    if expected == "INVALID_CODE":
        assert challenge.status == Challenge.Status.PENDING and challenge.attempts == 1


def test_a_number_the_provider_refuses_is_invalid_phone(gql, user, password_token, twilio_api):
    token = password_token()["token"]
    twilio_api.fail(
        "start", 400, twilio_api.error_body(400, 60205, "SMS is not supported by landline")
    )

    result = gql(VERIFY_PHONE, {"phone": PHONE}, token=token)

    assert result.codes == ["INVALID_PHONE"]
    assert not Challenge.objects.exists() and not PhoneNumber.objects.exists()
