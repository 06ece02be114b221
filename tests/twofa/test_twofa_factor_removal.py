"""Removing the phone alone: the other factors stay, every other session ends,
and without another factor 2FA is off, as when the app is removed."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tokens import token_pair_issue
from tests.documents import PASSWORD, PHONE, TOKEN_AUTH
from twofa.models import AuditEvent, MethodPreference, PhoneNumber, RecoveryCode

REMOVE_PHONE = """
mutation {
  removePhone {
    token refreshToken
    user { twoFactor { enabled phoneNumber methods preferredMethod recoveryCodesRemaining } }
  }
}
"""
ME = "{ me { twoFactor { enabled phoneNumber methods } } }"
REFRESH = "mutation($r: String!) { refreshToken(refreshToken: $r) { token } }"
GENERATE = "mutation { generateRecoveryCodes { codes } }"


def _verified(user, *, age: int = 0):
    """A token pair verified by SMS `age` seconds ago."""
    return token_pair_issue(
        user, amr=["pwd", "sms"], auth_time=timezone.now() - timedelta(seconds=age)
    )


@pytest.fixture
def user_phone_and_app(user_2fa):
    TOTPDevice.objects.create(user=user_2fa, name="Authenticator app", confirmed=True)
    return user_2fa


def test_removing_the_phone_keeps_the_app(gql, user_phone_and_app):
    MethodPreference.objects.create(user=user_phone_and_app, method="sms")
    pair = _verified(user_phone_and_app)

    result = gql(REMOVE_PHONE, token=pair.token)

    assert not result.errors, result.body
    assert result.data["removePhone"]["user"]["twoFactor"] == {
        "enabled": True,
        "phoneNumber": None,
        "methods": ["TOTP"],
        "preferredMethod": "TOTP",
        "recoveryCodesRemaining": 0,
    }
    assert not PhoneNumber.objects.filter(user=user_phone_and_app).exists()
    assert not MethodPreference.objects.filter(user=user_phone_and_app).exists()
    login = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]
    assert login["twoFactorRequired"] is True
    assert login["methods"] == ["TOTP"]


def test_removing_the_phone_ends_every_other_session(gql, user_phone_and_app):
    other_device = _verified(user_phone_and_app)
    pair = _verified(user_phone_and_app)

    answer = gql(REMOVE_PHONE, token=pair.token).data["removePhone"]

    assert gql(ME, token=pair.token).codes == ["UNAUTHENTICATED"]
    assert gql(ME, token=other_device.token).codes == ["UNAUTHENTICATED"]
    assert gql(REFRESH, {"r": other_device.refresh_token}).codes == ["INVALID_REFRESH_TOKEN"]
    assert gql(ME, token=answer["token"]).data["me"]["twoFactor"]["methods"] == ["TOTP"]
    assert not gql(REFRESH, {"r": answer["refreshToken"]}).errors


def test_removing_the_last_factor_turns_2fa_off(gql, user_2fa):
    pair = _verified(user_2fa)
    assert len(gql(GENERATE, token=pair.token).data["generateRecoveryCodes"]["codes"]) == 10

    result = gql(REMOVE_PHONE, token=pair.token)

    assert result.data["removePhone"]["user"]["twoFactor"] == {
        "enabled": False,
        "phoneNumber": None,
        "methods": [],
        "preferredMethod": None,
        "recoveryCodesRemaining": 0,
    }
    assert not RecoveryCode.objects.filter(user=user_2fa).exists()
    login = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]
    assert login["twoFactorRequired"] is False
    kinds = list(AuditEvent.objects.filter(user=user_2fa).values_list("kind", flat=True)[:2])
    assert kinds == [AuditEvent.Kind.DISABLED, AuditEvent.Kind.PHONE_REMOVED]


def test_the_removal_is_audited_with_the_masked_number(gql, user_phone_and_app):
    gql(REMOVE_PHONE, token=_verified(user_phone_and_app).token, remote_addr="203.0.113.7")

    event = AuditEvent.objects.get(kind=AuditEvent.Kind.PHONE_REMOVED)
    assert event.user == user_phone_and_app
    assert event.phone == "+1******2671"
    assert PHONE not in str(event.detail)


@pytest.mark.parametrize(
    ("token", "code"),
    [
        (None, "UNAUTHENTICATED"),
        ("password only", "TWO_FACTOR_REQUIRED"),
        ("verified long ago", "TWO_FACTOR_REQUIRED"),
    ],
)
def test_removing_the_phone_needs_a_recent_second_factor(
    gql, user_phone_and_app, settings, token, code
):
    tokens = {
        None: None,
        "password only": token_pair_issue(user_phone_and_app, amr=["pwd"]).token,
        "verified long ago": _verified(
            user_phone_and_app, age=settings.TWOFA_STEP_UP_MAX_AGE + 5
        ).token,
    }

    assert gql(REMOVE_PHONE, token=tokens[token]).codes == [code]
    assert PhoneNumber.objects.filter(user=user_phone_and_app).exists()


def test_without_a_phone_there_is_nothing_to_remove(gql, user):
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    pair = token_pair_issue(user, amr=["pwd", "otp"], auth_time=timezone.now())

    result = gql(REMOVE_PHONE, token=pair.token)

    assert result.codes == ["BAD_USER_INPUT"]
    assert gql(ME, token=pair.token).data["me"]["twoFactor"]["methods"] == ["TOTP"]
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.PHONE_REMOVED).exists()


def test_without_an_app_there_is_no_app_to_remove(gql, user_2fa):
    pair = _verified(user_2fa)

    result = gql("mutation { removeTotp { token } }", token=pair.token)

    assert result.codes == ["BAD_USER_INPUT"]
    assert gql(ME, token=pair.token).data["me"]["twoFactor"]["methods"] == ["SMS", "CALL"]
