"""Adding a way to sign in is one module and one registration: a delivery provider
(TWOFA_PROVIDER_CLASSES) and a second-factor method (TWOFA_METHOD_CLASSES), each
registered from here, walk a whole login."""

import pytest
from django.test import RequestFactory

from accounts.services import login_start
from core.exceptions import BadUserInput
from tests.documents import PASSWORD, PHONE, TOKEN_AUTH, VERIFY_TOKEN
from twofa.exceptions import InvalidCode
from twofa.methods.base import SecondFactorMethod
from twofa.models import Challenge, MethodPreference
from twofa.providers.base import DeliveryProvider
from twofa.selectors import TwoFactorState
from twofa.services import login_challenge_verify

# --- A delivery provider: carrier pigeons, whose messages land in PIGEON_LOFT. ---

PIGEON_LOFT: list[dict] = []


class PigeonProvider(DeliveryProvider):
    name = "pigeon"

    def start(self, *, to: str, channel: str, purpose: str, locale: str) -> str:
        PIGEON_LOFT.append({"to": to, "code": "424242", "ref": f"bird-{len(PIGEON_LOFT)}"})
        return PIGEON_LOFT[-1]["ref"]

    def check(self, *, ref: str, to: str, code: str) -> bool:
        return any(m["ref"] == ref and m["code"] == code for m in PIGEON_LOFT)


@pytest.fixture
def pigeons(settings):
    PIGEON_LOFT.clear()
    settings.TWOFA_PROVIDER_CLASSES = {"pigeon": f"{__name__}.PigeonProvider"}
    settings.TWOFA_PROVIDER = "pigeon"
    return PIGEON_LOFT


def test_a_login_code_goes_out_and_is_checked_by_a_registered_delivery_provider(
    gql, user_2fa, pigeons
):
    started = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]

    assert started["codeSent"] is True and pigeons[-1]["to"] == PHONE
    assert Challenge.objects.get().provider == "pigeon"
    result = gql(VERIFY_TOKEN, {"challenge": started["challenge"], "code": "424242"})
    assert not result.errors, result.body
    assert result.data["verifyToken"]["payload"]["amr"] == ["pwd", "sms"]


# --- A method: a PIN the user set elsewhere (here in PINS); nothing is sent. ---

PINS: dict[int, str] = {}


class PinMethod(SecondFactorMethod):
    key = "pin"
    amr = "pin"

    def available(self, state) -> bool:
        return state.user.pk in PINS

    def verify(self, challenge, code: str) -> bool:
        return PINS.get(challenge.user_id) == code

    def remove(self, user) -> None:
        PINS.pop(user.pk, None)


@pytest.fixture
def pin_user(settings, user):
    settings.TWOFA_METHOD_CLASSES = {"pin": f"{__name__}.PinMethod"}
    PINS.clear()
    PINS[user.pk] = "8642"
    return user


def password_step(username="alice"):
    request = RequestFactory().post("/graphql", REMOTE_ADDR="127.0.0.1")
    return login_start(request, username=username, password=PASSWORD)


def test_a_registered_method_alone_turns_2fa_on_and_answers_a_login(pin_user, outbox):
    started = password_step()

    assert started.tokens is None
    issued = started.pending.detail.issued
    assert issued.methods == ("pin",) and issued.code_sent is None
    assert outbox.messages() == []  # the method sends nothing
    with pytest.raises(InvalidCode):
        login_challenge_verify(issued.token, "1111", method="pin")
    tokens = login_challenge_verify(issued.token, "8642", method="pin")
    assert tokens.payload["amr"] == ["pwd", "pin"]


def test_a_registered_method_is_offered_beside_the_phone_and_can_be_preferred(
    pin_user, user_2fa, outbox
):
    assert TwoFactorState(user_2fa).methods == ["sms", "call", "pin"]
    MethodPreference.objects.create(user=user_2fa, method="pin")

    issued = password_step().pending.detail.issued

    assert issued.challenge.channel == "pin" and outbox.messages() == []
    with pytest.raises(BadUserInput):  # nothing went to the phone for this challenge
        login_challenge_verify(issued.token, "123456", method="sms")
    tokens = login_challenge_verify(issued.token, "8642", method="pin")
    assert tokens.payload["amr"] == ["pwd", "pin"]
