"""Authenticator apps (TOTP): setup, confirmation, login, window edges, replay, removal.

Codes are computed by an independent implementation (pyotp) from the secret
the API returns, never by the code under test.
"""

import time
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
from django_otp.plugins.otp_totp import models as totp_models

from accounts.models import RefreshToken
from tests.documents import PASSWORD, PHONE
from twofa.models import AuditEvent, Challenge

SETUP = "mutation { setupTotp { secret otpauthUri qrCodeSvg } }"
CONFIRM = """
mutation($code: String!) {
  confirmTotp(code: $code) {
    user { twoFactor { enabled methods preferredMethod recoveryCodesRemaining } }
    token refreshToken payload
  }
}
"""
REMOVE = "mutation { removeTotp { user { twoFactor { enabled methods preferredMethod } } } }"
LOGIN = """
mutation($username: String!, $password: String!) {
  tokenAuth(username: $username, password: $password) {
    twoFactorRequired challenge method methods channel phoneNumber message token
  }
}
"""
VERIFY = """
mutation($challenge: String!, $code: String!, $method: TwoFactorMethod) {
  verifyToken(challenge: $challenge, code: $code, method: $method) { token payload }
}
"""
RESEND = "mutation($c: String!) { resendCode(challenge: $c) { sent channel } }"
PREFER = "mutation($m: TwoFactorMethod!) { setPreferredMethod(method: $m) { user { twoFactor { preferredMethod } } } }"
ME = "{ me { twoFactor { enabled phoneNumber methods preferredMethod recoveryCodesRemaining } } }"


class Clock:
    """django-otp's clock, frozen and moved by the test (pyotp is given the same time)."""

    def __init__(self, now: float):
        self.now = now

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    # Two seconds into a 30 s step, so neighbouring steps are unambiguous.
    frozen = Clock((int(time.time()) // 30) * 30 + 2)
    monkeypatch.setattr(totp_models, "time", frozen)
    return frozen


@pytest.fixture
def app(gql, user, password_token, clock):
    """A user who set up and confirmed an authenticator app; returns its pyotp TOTP."""
    token = password_token()["token"]
    secret = gql(SETUP, token=token).data["setupTotp"]["secret"]
    totp = pyotp.TOTP(secret)
    result = gql(CONFIRM, {"code": totp.at(clock.now)}, token=token)
    assert not result.errors, result.body
    # The confirmation spent that step: move on two, so the step before "now" is unused.
    clock.now += 60
    return totp


def login(gql):
    result = gql(LOGIN, {"username": "alice", "password": PASSWORD})
    assert not result.errors, result.body
    return result.data["tokenAuth"]


def test_setup_returns_a_secret_a_uri_and_a_qr_code(gql, user, password_token):
    token = password_token()["token"]

    setup = gql(SETUP, token=token).data["setupTotp"]

    parsed = pyotp.parse_uri(setup["otpauthUri"])
    assert parsed.secret == setup["secret"]
    assert (parsed.digits, parsed.interval, parsed.issuer) == (6, 30, "Pollstr")
    assert parsed.name.endswith("alice")
    query = parse_qs(urlsplit(setup["otpauthUri"]).query)
    assert query["secret"] == [setup["secret"]]
    assert setup["qrCodeSvg"].startswith("<svg") and "Authenticator app setup" in setup["qrCodeSvg"]
    # Nothing is on yet.
    assert gql(ME, token=token).data["me"]["twoFactor"]["enabled"] is False


def test_setup_needs_a_login(gql, db):
    assert gql(SETUP).codes == ["UNAUTHENTICATED"]


def test_confirming_turns_2fa_on_with_the_app_preferred(gql, user, password_token, clock, outbox):
    token = password_token()["token"]
    totp = pyotp.TOTP(gql(SETUP, token=token).data["setupTotp"]["secret"])

    result = gql(CONFIRM, {"code": totp.at(clock.now)}, token=token)

    confirmed = result.data["confirmTotp"]
    assert confirmed["payload"]["amr"] == ["pwd", "otp"]
    assert confirmed["user"]["twoFactor"] == {
        "enabled": True,
        "methods": ["TOTP"],
        "preferredMethod": "TOTP",
        "recoveryCodesRemaining": 0,
    }
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.TOTP_ENROLLED, user=user).exists()
    assert RefreshToken.objects.filter(user=user, revoked_at=None).count() == 1
    assert outbox.messages() == []


def test_a_wrong_confirmation_code_counts_as_an_attempt(gql, user, password_token, clock):
    token = password_token()["token"]
    totp = pyotp.TOTP(gql(SETUP, token=token).data["setupTotp"]["secret"])
    wrong = f"{(int(totp.at(clock.now)) + 1) % 1_000_000:06d}"

    result = gql(CONFIRM, {"code": wrong}, token=token)

    assert result.codes == ["INVALID_CODE"]
    assert result.error["extensions"]["attemptsLeft"] == 4
    assert gql(ME, token=token).data["me"]["twoFactor"]["enabled"] is False


def test_with_the_app_preferred_login_sends_nothing(gql, app, clock, outbox):
    started = login(gql)

    assert started["twoFactorRequired"] is True
    assert started["method"] == "TOTP" and started["methods"] == ["TOTP"]
    assert started["channel"] is None and started["phoneNumber"] is None
    assert started["message"] == "Enter the code from your authenticator app."
    assert outbox.messages() == []

    result = gql(VERIFY, {"challenge": started["challenge"], "code": app.at(clock.now)})
    assert result.data["verifyToken"]["payload"]["amr"] == ["pwd", "otp"]


@pytest.mark.parametrize(
    ("offset", "accepted"), [(-60, False), (-30, True), (0, True), (30, True), (60, False)]
)
def test_the_window_is_one_step_either_way(gql, app, clock, offset, accepted):
    started = login(gql)

    result = gql(VERIFY, {"challenge": started["challenge"], "code": app.at(clock.now + offset)})

    if accepted:
        assert result.data["verifyToken"]["token"]
    else:
        assert result.codes == ["INVALID_CODE"]


def test_a_code_works_once_even_across_two_logins(gql, app, clock, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # this test is about replay, not throttling
    code = app.at(clock.now)

    first = login(gql)
    assert gql(VERIFY, {"challenge": first["challenge"], "code": code}).data["verifyToken"]
    second = login(gql)
    replayed = gql(VERIFY, {"challenge": second["challenge"], "code": code})

    assert replayed.codes == ["INVALID_CODE"]
    # An older code (the step before) is refused too once a newer one was used.
    older = gql(VERIFY, {"challenge": second["challenge"], "code": app.at(clock.now - 30)})
    assert older.codes == ["INVALID_CODE"]
    clock.now += 30
    newer = gql(VERIFY, {"challenge": second["challenge"], "code": app.at(clock.now)})
    assert newer.data["verifyToken"]


def test_wrong_codes_hit_the_challenge_limit(gql, app, clock, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    started = login(gql)
    wrong = f"{(int(app.at(clock.now)) + 1) % 1_000_000:06d}"

    answers = [gql(VERIFY, {"challenge": started["challenge"], "code": wrong}) for _ in range(5)]

    assert [a.error["extensions"]["attemptsLeft"] for a in answers] == [4, 3, 2, 1, 0]
    right = gql(VERIFY, {"challenge": started["challenge"], "code": app.at(clock.now)})
    assert right.codes == ["TOO_MANY_ATTEMPTS"]


def test_django_otp_throttling_answers_rate_limited_and_keeps_the_attempt(gql, app, clock):
    started = login(gql)
    wrong = f"{(int(app.at(clock.now)) + 1) % 1_000_000:06d}"
    assert gql(VERIFY, {"challenge": started["challenge"], "code": wrong}).codes == ["INVALID_CODE"]

    throttled = gql(VERIFY, {"challenge": started["challenge"], "code": app.at(clock.now)})

    assert throttled.codes == ["RATE_LIMITED"]
    assert throttled.error["extensions"]["retryAfter"] >= 1
    assert Challenge.objects.get(purpose="login").attempts == 1  # the throttled try is given back


def test_resend_switches_to_sms_when_there_is_a_phone(gql, app, clock, outbox, settings):
    from django.utils import timezone

    from twofa.models import PhoneNumber

    PhoneNumber.objects.create(
        user_id=Challenge.objects.first().user_id, number=PHONE, verified_at=timezone.now()
    )
    started = login(gql)
    assert started["method"] == "TOTP" and started["methods"] == ["SMS", "CALL", "TOTP"]

    sent = gql(RESEND, {"c": started["challenge"]})

    assert sent.data["resendCode"] == {"sent": True, "channel": "SMS"}
    assert outbox.last()["to"] == PHONE
    result = gql(VERIFY, {"challenge": started["challenge"], "code": outbox.last_code()})
    assert result.data["verifyToken"]["payload"]["amr"] == ["pwd", "sms"]


def test_resend_without_a_phone_is_refused(gql, app):
    started = login(gql)
    assert gql(RESEND, {"c": started["challenge"]}).codes == ["BAD_USER_INPUT"]


def test_an_sms_code_is_refused_when_none_was_sent(gql, app):
    started = login(gql)
    result = gql(VERIFY, {"challenge": started["challenge"], "code": "123456", "method": "SMS"})
    assert result.codes == ["BAD_USER_INPUT"]
    assert Challenge.objects.get(purpose="login").attempts == 0


def test_a_phone_user_can_answer_an_sms_challenge_with_the_app(
    gql, user_2fa, verified_login, outbox, clock
):
    token = verified_login()["token"]
    totp = pyotp.TOTP(gql(SETUP, token=token).data["setupTotp"]["secret"])
    tokens = gql(CONFIRM, {"code": totp.at(clock.now)}, token=token).data["confirmTotp"]
    assert gql(PREFER, {"m": "SMS"}, token=tokens["token"]).data
    clock.now += 30

    started = login(gql)
    assert started["method"] == "SMS" and started["methods"] == ["SMS", "CALL", "TOTP"]
    result = gql(
        VERIFY, {"challenge": started["challenge"], "code": totp.at(clock.now), "method": "TOTP"}
    )

    assert result.data["verifyToken"]["payload"]["amr"] == ["pwd", "otp"]


def test_preferences_are_checked(gql, user_2fa, verified_login):
    token = verified_login()["token"]
    assert gql(PREFER, {"m": "TOTP"}, token=token).codes == ["BAD_USER_INPUT"]
    assert gql(PREFER, {"m": "RECOVERY_CODE"}, token=token).codes == ["BAD_USER_INPUT"]
    result = gql(PREFER, {"m": "CALL"}, token=token)
    assert result.data["setPreferredMethod"]["user"]["twoFactor"]["preferredMethod"] == "CALL"


def test_changing_the_app_needs_a_recent_second_factor(gql, app, password_token):
    # alice has 2FA now: a password-only token can't set up another app.
    started = login(gql)
    assert started["twoFactorRequired"] is True
    from accounts.models import User
    from accounts.tokens import token_pair_issue

    pwd_only = token_pair_issue(User.objects.get(username="alice"), amr=["pwd"]).token
    assert gql(SETUP, token=pwd_only).codes == ["TWO_FACTOR_REQUIRED"]
    assert gql(REMOVE, token=pwd_only).codes == ["TWO_FACTOR_REQUIRED"]


def test_removing_the_only_method_turns_2fa_off(gql, app, clock):
    started = login(gql)
    token = gql(VERIFY, {"challenge": started["challenge"], "code": app.at(clock.now)}).data[
        "verifyToken"
    ]["token"]

    result = gql(REMOVE, token=token)

    assert result.data["removeTotp"]["user"]["twoFactor"] == {
        "enabled": False,
        "methods": [],
        "preferredMethod": None,
    }
    assert login(gql)["twoFactorRequired"] is False


def test_removing_the_app_keeps_the_phone(gql, user_2fa, verified_login, clock, outbox):
    token = verified_login()["token"]
    totp = pyotp.TOTP(gql(SETUP, token=token).data["setupTotp"]["secret"])
    token = gql(CONFIRM, {"code": totp.at(clock.now)}, token=token).data["confirmTotp"]["token"]

    result = gql(REMOVE, token=token)

    assert result.data["removeTotp"]["user"]["twoFactor"] == {
        "enabled": True,
        "methods": ["SMS", "CALL"],
        "preferredMethod": "SMS",
    }
    assert login(gql)["method"] == "SMS"


def test_the_two_factor_state_reads_each_fact_once(
    gql, user_2fa, verified_login, django_assert_max_num_queries
):
    token = verified_login()["token"]
    gql("mutation { generateRecoveryCodes { codes } }", token=token)

    # The user, then the phone, the app, the recovery-code count and the preference.
    with django_assert_max_num_queries(5):
        result = gql(ME, token=token)
    assert result.data["me"]["twoFactor"] == {
        "enabled": True,
        "phoneNumber": "+1******2671",
        "methods": ["SMS", "CALL", "RECOVERY_CODE"],
        "preferredMethod": "SMS",
        "recoveryCodesRemaining": 10,
    }
