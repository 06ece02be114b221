"""me.twoFactor's facts for the account page: when each factor was added and
last answered a login or a step-up, read without a query per field."""

from datetime import datetime

from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tokens import token_pair_issue
from tests.documents import PASSWORD, TOKEN_AUTH, VERIFY_TOKEN
from twofa.models import PhoneNumber, RecoveryCode
from twofa.services import recovery_codes_generate

FACTS = """
{ me { twoFactor {
  phoneNumber
  phone { number addedAt lastUsedAt }
  authenticatorApp { addedAt lastUsedAt }
  recoveryCodesCreatedAt
} } }
"""
SETUP = "mutation { setupTotp { secret } }"
CONFIRM = "mutation($code: String!) { confirmTotp(code: $code) { token } }"
VERIFY_APP = """
mutation($challenge: String!, $code: String!) {
  verifyToken(challenge: $challenge, code: $code, method: TOTP) { token }
}
"""


def facts(gql, token) -> dict:
    result = gql(FACTS, token=token)
    assert not result.errors, result.body
    return result.data["me"]["twoFactor"]


def parse(value):
    return datetime.fromisoformat(value)


def test_without_factors_every_fact_is_null(gql, user, password_token):
    assert facts(gql, password_token()["token"]) == {
        "phoneNumber": None,
        "phone": None,
        "authenticatorApp": None,
        "recoveryCodesCreatedAt": None,
    }


def test_the_phone_is_masked_and_used_by_a_login(gql, user_2fa, outbox, verified_login):
    phone = PhoneNumber.objects.get(user=user_2fa)
    first = facts(gql, token_pair_issue(user_2fa, amr=["pwd", "sms"]).token)
    assert first["phone"] == {
        "number": first["phoneNumber"],
        "addedAt": phone.verified_at.isoformat(),
        "lastUsedAt": None,
    }
    assert "2671" in first["phone"]["number"] and "415555" not in first["phone"]["number"]
    before = timezone.now()
    token = verified_login()["token"]
    used = parse(facts(gql, token)["phone"]["lastUsedAt"])
    assert before <= used <= timezone.now()


def test_a_wrong_code_is_no_use(gql, user_2fa, outbox):
    started = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]
    wrong = "000000" if outbox.last_code() != "000000" else "111111"
    assert gql(VERIFY_TOKEN, {"challenge": started["challenge"], "code": wrong}).errors
    token = token_pair_issue(user_2fa, amr=["pwd", "sms"]).token
    assert facts(gql, token)["phone"]["lastUsedAt"] is None


def test_the_app_added_and_used(gql, user_2fa, outbox):
    token = token_pair_issue(user_2fa, amr=["pwd", "sms"], auth_time=timezone.now()).token
    assert not gql(SETUP, token=token).errors
    device = TOTPDevice.objects.get(user=user_2fa)
    confirmed = gql(CONFIRM, {"code": f"{totp(device.bin_key):06d}"}, token=token)
    assert not confirmed.errors, confirmed.body
    token = confirmed.data["confirmTotp"]["token"]
    app = facts(gql, token)["authenticatorApp"]
    assert app["addedAt"] is not None
    assert app["lastUsedAt"] is None  # confirming it is no sign-in
    # A login with the app (a later time step, so the code is new).
    device.refresh_from_db()
    started = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]
    code = f"{totp(device.bin_key, t0=-30):06d}"
    done = gql(VERIFY_APP, {"challenge": started["challenge"], "code": code})
    assert not done.errors, done.body
    app = facts(gql, done.data["verifyToken"]["token"])["authenticatorApp"]
    assert app["lastUsedAt"] is not None


def test_recovery_codes_created_at(gql, user_2fa):
    recovery_codes_generate(user_2fa)
    created = RecoveryCode.objects.filter(user=user_2fa).latest("created_at").created_at
    token = token_pair_issue(user_2fa, amr=["pwd", "sms"]).token
    assert facts(gql, token)["recoveryCodesCreatedAt"] == created.isoformat()


def test_the_facts_cost_no_query_each(gql, user_2fa, django_assert_max_num_queries):
    TOTPDevice.objects.create(user=user_2fa, name="app", confirmed=True)
    recovery_codes_generate(user_2fa)
    token = token_pair_issue(user_2fa, amr=["pwd", "sms"]).token
    # The user, then every fact of the two-factor state in one.
    with django_assert_max_num_queries(2):
        result = gql(
            "{ me { twoFactor { enabled methods preferredMethod recoveryCodesRemaining"
            " phone { number addedAt lastUsedAt } authenticatorApp { addedAt lastUsedAt }"
            " recoveryCodesCreatedAt } } }",
            token=token,
        )
    assert not result.errors, result.body
    assert result.data["me"]["twoFactor"]["authenticatorApp"]["addedAt"] is not None


def test_a_step_up_uses_the_phone(gql, user_2fa, outbox):
    token = token_pair_issue(user_2fa, amr=["pwd", "sms"]).token
    begun = gql("mutation { stepUpBegin { challenge } }", token=token)
    challenge = begun.data["stepUpBegin"]["challenge"]
    done = gql(
        "mutation($c: String!, $code: String) { stepUpComplete(challenge: $c, code: $code) "
        "{ token } }",
        {"c": challenge, "code": outbox.last_code()},
        token=token,
    )
    assert not done.errors, done.body
    assert facts(gql, done.data["stepUpComplete"]["token"])["phone"]["lastUsedAt"] is not None
