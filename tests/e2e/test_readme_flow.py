"""The README's walk-through, over real HTTP against a live server.

A new user signs up, logs in with a password, is refused a vote until they
enroll a phone, enrolls, votes, logs in again with a code, moves their vote,
and refreshes their token without losing its second factor.

It runs with each provider: the console provider, Twilio Verify and Vonage
Verify (their real SDKs talking to local stand-ins), and the chain
`twilio,vonage` while the Twilio stand-in is down.
"""

import pytest
import requests

from polls.models import Choice, Poll

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "+14155552671"


class Api:
    def __init__(self, base_url: str):
        self.url = f"{base_url}/graphql"
        self.session = requests.Session()

    def __call__(self, query: str, variables: dict | None = None, token: str | None = None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = self.session.post(
            self.url,
            json={"query": query, "variables": variables or {}},
            headers=headers,
            timeout=10,
        )
        assert response.headers["Content-Type"].startswith("application/json")
        return response.json()


class Phone:
    """The user's phone: where the codes of the chosen provider arrive."""

    def __init__(self, provider: str, inbox):
        self.provider = provider
        self.inbox = inbox

    def count(self) -> int:
        if self.provider == "console":
            return len(self.inbox.messages())
        return len(self.inbox.messages)

    def last(self) -> dict:
        if self.provider == "console":
            message = self.inbox.last()
            return {"to": message["to"], "channel": message["channel"], "code": message["code"]}
        message = self.inbox.messages[-1]
        # Vonage receives numbers without the "+".
        return {
            "to": "+" + message.to.removeprefix("+"),
            "channel": message.channel,
            "code": message.code,
        }


@pytest.fixture(params=["console", "twilio", "vonage", "twilio,vonage"])
def phone(request) -> Phone:
    if request.param == "console":
        return Phone("console", request.getfixturevalue("outbox"))
    if request.param == "twilio,vonage":
        twilio, vonage = request.getfixturevalue("failover")
        twilio.stop()
        return Phone("vonage", vonage)
    return Phone(request.param, request.getfixturevalue(f"{request.param}_api"))


def codes(body: dict) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


VOTE = "mutation($c: ID!) { vote(choiceId: $c) { poll { totalVotes myVote { text } choices { text votes } } } }"
TOKEN_AUTH = """mutation { tokenAuth(username: "dana", password: "a-long-pass-phrase") {
  twoFactorRequired token refreshToken payload challenge channel phoneNumber expiresIn message } }"""


def test_signup_enroll_vote_login_with_code_and_refresh(live_server, phone):
    poll = Poll.objects.create(question="Best season?")
    summer, winter = (Choice.objects.create(poll=poll, text=t) for t in ("Summer", "Winter"))
    api = Api(live_server.url)

    # Sign up and log in with a password: no 2FA yet, so tokens come straight back.
    body = api(
        'mutation { register(username: "dana", password: "a-long-pass-phrase", '
        'email: "dana@example.com") { user { username twoFactor { enabled } } } }'
    )
    assert body["data"]["register"]["user"] == {"username": "dana", "twoFactor": {"enabled": False}}
    login = api(TOKEN_AUTH)["data"]["tokenAuth"]
    assert login["twoFactorRequired"] is False
    assert login["payload"]["amr"] == ["pwd"]
    password_token = login["token"]

    # A password-only token can't vote.
    body = api(VOTE, {"c": str(summer.pk)}, password_token)
    assert codes(body) == ["TWO_FACTOR_REQUIRED"]

    # Enroll a phone: the code arrives (here, in the console outbox or at a stand-in).
    body = api(
        "mutation($p: String!) { verifyPhone(phoneNumber: $p) { sent phoneNumber channel expiresIn } }",
        {"p": PHONE},
        password_token,
    )
    assert body["data"]["verifyPhone"] == {
        "sent": True,
        "phoneNumber": "+1******2671",
        "channel": "SMS",
        "expiresIn": pytest.approx(600, abs=5),
    }
    message = phone.last()
    assert (message["to"], message["channel"]) == (PHONE, "sms")

    body = api(
        "mutation($p: String!, $c: String!) { registerPhone(phoneNumber: $p, code: $c) "
        "{ user { twoFactor { enabled phoneNumber } } token refreshToken payload } }",
        {"p": PHONE, "c": message["code"]},
        password_token,
    )
    enrolled = body["data"]["registerPhone"]
    assert enrolled["user"]["twoFactor"] == {"enabled": True, "phoneNumber": "+1******2671"}
    assert enrolled["payload"]["amr"] == ["pwd", "sms"]

    # With the 2FA-verified token from enrollment, the vote counts.
    body = api(VOTE, {"c": str(summer.pk)}, enrolled["token"])
    assert body["data"]["vote"]["poll"]["totalVotes"] == 1
    assert body["data"]["vote"]["poll"]["myVote"] == {"text": "Summer"}

    # The next login needs the code.
    login = api(TOKEN_AUTH)["data"]["tokenAuth"]
    assert login["twoFactorRequired"] is True
    assert login["token"] is None and login["refreshToken"] is None
    assert login["channel"] == "SMS" and login["phoneNumber"] == "+1******2671"
    assert phone.count() == 2 and phone.last()["to"] == PHONE
    right_code = phone.last()["code"]
    wrong_code = f"{(int(right_code) + 1) % 1_000_000:06d}"

    verify = "mutation($ch: String!, $c: String!) { verifyToken(challenge: $ch, code: $c) { token refreshToken payload refreshExpiresIn } }"
    body = api(verify, {"ch": login["challenge"], "c": wrong_code})
    assert codes(body) == ["INVALID_CODE"]
    assert body["errors"][0]["extensions"]["attemptsLeft"] == 4

    body = api(verify, {"ch": login["challenge"], "c": right_code})
    tokens = body["data"]["verifyToken"]
    assert tokens["payload"]["amr"] == ["pwd", "sms"]
    assert isinstance(tokens["payload"]["auth_time"], int)

    # Voting again moves the vote; it is still one voter.
    body = api(VOTE, {"c": str(winter.pk)}, tokens["token"])
    result = body["data"]["vote"]["poll"]
    assert result["totalVotes"] == 1
    assert result["myVote"] == {"text": "Winter"}
    assert {c["text"]: c["votes"] for c in result["choices"]} == {"Summer": 0, "Winter": 1}

    # Refreshing keeps the second factor; the old refresh token is spent.
    refresh = (
        "mutation($r: String!) { refreshToken(refreshToken: $r) { token refreshToken payload } }"
    )
    body = api(refresh, {"r": tokens["refreshToken"]})
    refreshed = body["data"]["refreshToken"]
    assert refreshed["payload"]["amr"] == ["pwd", "sms"]
    assert refreshed["payload"]["auth_time"] == tokens["payload"]["auth_time"]
    assert codes(api(refresh, {"r": tokens["refreshToken"]})) == ["INVALID_REFRESH_TOKEN"]

    body = api(VOTE, {"c": str(summer.pk)}, refreshed["token"])
    assert body["data"]["vote"]["poll"]["myVote"] == {"text": "Summer"}
