"""The outside review's SMS-pumping run, over real HTTP against a live server and the
Twilio stand-in: voice calls to premium-rate numbers reach no provider, and a flood
from many accounts on many networks stops at the global ceiling."""

import pytest
import requests
from django.utils import timezone

from accounts.models import User
from accounts.tokens import token_pair_issue

pytestmark = pytest.mark.django_db(transaction=True)

VERIFY_PHONE = """
mutation($p: String!, $channel: Channel) { verifyPhone(phoneNumber: $p, channel: $channel) { sent } }
"""


def verify_phone(live_server, token: str, number: str, channel: str, client: str = "") -> dict:
    headers = {"Authorization": f"Bearer {token}"}
    if client:
        headers["X-Forwarded-For"] = client
    response = requests.post(
        f"{live_server.url}/graphql",
        json={"query": VERIFY_PHONE, "variables": {"p": number, "channel": channel}},
        headers=headers,
        timeout=10,
    )
    assert response.status_code == 200
    return response.json()


def codes(answer: dict) -> list[str]:
    return [e["extensions"]["code"] for e in answer.get("errors", [])]


def fresh_token(name: str) -> str:
    user = User.objects.create_user(name, password="a-long-pass-phrase")
    return token_pair_issue(user, amr=["pwd"], auth_time=timezone.now()).token


def test_calls_to_premium_rate_numbers_reach_no_provider(live_server, twilio_api):
    token = fresh_token("pumper")
    answers = [
        verify_phone(live_server, token, f"+1900555{i:04d}", "CALL") for i in range(100, 120)
    ]

    assert {tuple(codes(a)) for a in answers} == {("INVALID_PHONE",)}
    assert twilio_api.received == []


def test_a_flood_from_many_networks_stops_at_the_ceiling(live_server, twilio_api, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TWOFA_SEND_LIMIT_GLOBAL = 4
    answers = [
        verify_phone(live_server, fresh_token(f"u{i}"), f"+1415555{i:04d}", "SMS", f"203.0.113.{i}")
        for i in range(100, 108)
    ]

    assert [codes(a) for a in answers] == [[]] * 4 + [["RATE_LIMITED"]] * 4
    assert len(twilio_api.of("start")) == 4
