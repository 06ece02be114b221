"""Nobody who only knows a phone number can lock its owner out, over real HTTP.

The owner (alice) has verified the number; a stranger (mallory) has a free
account and knows the number. Whatever mallory does with enrollment codes, the
owner's right password gets a challenge, and a code whenever their own budget
allows one.
"""

import pytest
import requests
from django.utils import timezone

from accounts.models import User
from tests.documents import PASSWORD, PHONE
from twofa.models import Challenge, PhoneNumber
from twofa.services import recovery_codes_generate

pytestmark = pytest.mark.django_db(transaction=True)

TOKEN_AUTH = """
mutation($u: String!, $p: String!) {
  tokenAuth(username: $u, password: $p) {
    twoFactorRequired token challenge channel phoneNumber
    codeSent codeNotSentReason retryAfter methods message
  }
}
"""
VERIFY_TOKEN = """
mutation($c: String!, $code: String!, $m: TwoFactorMethod) {
  verifyToken(challenge: $c, code: $code, method: $m) { token }
}
"""
VERIFY_PHONE = "mutation($p: String!) { verifyPhone(phoneNumber: $p) { sent } }"
REGISTER_PHONE = """
mutation($p: String!, $c: String!) { registerPhone(phoneNumber: $p, code: $c) { token } }
"""
RESEND = "mutation($c: String!) { resendCode(challenge: $c) { sent } }"


class Api:
    def __init__(self, base_url: str):
        self.url = f"{base_url}/graphql"

    def __call__(self, query: str, variables: dict, token: str | None = None) -> dict:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = requests.post(
            self.url, json={"query": query, "variables": variables}, headers=headers, timeout=10
        )
        return response.json()


def codes(answer: dict) -> list[str]:
    return [e["extensions"]["code"] for e in answer.get("errors", [])]


@pytest.fixture
def api(live_server) -> Api:
    return Api(live_server.url)


@pytest.fixture
def owner(db) -> User:
    user = User.objects.create_user("alice", password=PASSWORD)
    PhoneNumber.objects.create(user=user, number=PHONE, verified_at=timezone.now())
    return user


def sign_in(api: Api, name: str) -> dict:
    return api(TOKEN_AUTH, {"u": name, "p": PASSWORD})["data"]["tokenAuth"]


def stranger(api: Api, name: str = "mallory") -> str:
    """A free account without 2FA: its password-only token."""
    User.objects.create_user(name, password=PASSWORD)
    return sign_in(api, name)["token"]


def test_a_stranger_spending_the_numbers_sends_cannot_stop_the_owners_code(api, owner, outbox):
    mallory = stranger(api)
    answers = [api(VERIFY_PHONE, {"p": PHONE}, mallory) for _ in range(6)]
    assert codes(answers[-1]) == ["RATE_LIMITED"]  # the number's enrollment budget is spent

    login = sign_in(api, "alice")

    assert login["codeSent"] is True, login
    assert outbox.last(PHONE)["purpose"] == "login"
    result = api(VERIFY_TOKEN, {"c": login["challenge"], "code": outbox.last_code(PHONE)})
    assert result["data"]["verifyToken"]["token"]


def test_when_no_code_can_be_sent_the_owner_still_gets_a_challenge(api, owner, outbox, settings):
    settings.TWOFA_SEND_LIMIT_PER_PHONE = 1
    [recovery] = recovery_codes_generate(owner)[:1]
    sign_in(api, "alice")  # spends the owner's one login code of the hour

    login = sign_in(api, "alice")

    assert login["twoFactorRequired"] is True and login["challenge"]
    assert login["codeSent"] is False
    assert login["codeNotSentReason"] == "RATE_LIMITED"
    assert 1 <= login["retryAfter"] <= 3600
    assert login["methods"] == ["RECOVERY_CODE"]
    assert "recovery code" in login["message"]
    assert len(outbox.messages()) == 1
    # Without a code sent, SMS can't answer it; a recovery code can.
    assert codes(api(VERIFY_TOKEN, {"c": login["challenge"], "code": "123456"})) == [
        "BAD_USER_INPUT"
    ]
    answer = api(VERIFY_TOKEN, {"c": login["challenge"], "code": recovery, "m": "RECOVERY_CODE"})
    assert answer["data"]["verifyToken"]["token"]


def test_resend_code_sends_once_the_limit_allows(api, owner, outbox, settings):
    settings.TWOFA_SEND_LIMIT_PER_PHONE = 1
    sign_in(api, "alice")
    login = sign_in(api, "alice")
    assert login["codeSent"] is False

    settings.TWOFA_SEND_LIMIT_PER_PHONE = 2  # as if the window had moved on
    assert api(RESEND, {"c": login["challenge"]})["data"]["resendCode"]["sent"] is True

    result = api(VERIFY_TOKEN, {"c": login["challenge"], "code": outbox.last_code(PHONE)})
    assert result["data"]["verifyToken"]["token"]


def test_a_strangers_enrollment_never_ends_the_owners_login_code(api, owner, outbox):
    mallory = stranger(api)
    login = sign_in(api, "alice")
    code = outbox.last_code(PHONE)

    refused = api(VERIFY_PHONE, {"p": PHONE}, mallory)

    assert codes(refused) == ["RATE_LIMITED"]
    assert 1 <= refused["errors"][0]["extensions"]["retryAfter"] <= 600
    assert len(outbox.messages()) == 1
    result = api(VERIFY_TOKEN, {"c": login["challenge"], "code": code})
    assert result["data"]["verifyToken"]["token"]
    # Once the login is done, the number is free for enrollment again.
    assert api(VERIFY_PHONE, {"p": PHONE}, mallory)["data"]["verifyPhone"]["sent"] is True


def test_the_owners_login_ends_a_strangers_enrollment_to_the_number(api, owner, outbox):
    mallory = stranger(api)
    api(VERIFY_PHONE, {"p": PHONE}, mallory)
    enrollment_code = outbox.last_code(PHONE)

    login = sign_in(api, "alice")

    assert login["codeSent"] is True
    answer = api(REGISTER_PHONE, {"p": PHONE, "c": enrollment_code}, mallory)
    assert codes(answer) == ["CODE_EXPIRED"]
    assert not PhoneNumber.objects.filter(user__username="mallory").exists()


def test_of_two_enrollments_to_one_number_the_latest_wins(api, db, outbox):
    mallory, bob = stranger(api), stranger(api, "bob")
    api(VERIFY_PHONE, {"p": PHONE}, mallory)
    first = outbox.last_code(PHONE)
    api(VERIFY_PHONE, {"p": PHONE}, bob)
    second = outbox.last_code(PHONE)

    assert codes(api(REGISTER_PHONE, {"p": PHONE, "c": first}, mallory)) == ["CODE_EXPIRED"]
    assert api(REGISTER_PHONE, {"p": PHONE, "c": second}, bob)["data"]["registerPhone"]["token"]
    live = Challenge.objects.filter(phone_number=PHONE, status=Challenge.Status.PENDING)
    assert not live.exists()
