"""Racing refreshes of one login against a live server on PostgreSQL.

Two tabs refreshing at once must not end the login; a replay racing the
legitimate refresh must not let a token of that login survive, whichever
request the database serves first.
"""

from datetime import timedelta

import pytest
import requests
from django.db import connection
from django.utils import timezone

from accounts.models import RefreshToken, User
from tests.documents import PASSWORD, TOKEN_AUTH
from tests.e2e.test_concurrency import codes, race
from twofa.models import AuditEvent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)"
    ),
]

REFRESH = "mutation($r: String!) { refreshToken(refreshToken: $r) { token refreshToken } }"


def login(url: str) -> str:
    return requests.post(
        f"{url}/graphql",
        json={"query": TOKEN_AUTH, "variables": {"username": "alice", "password": PASSWORD}},
        timeout=30,
    ).json()["data"]["tokenAuth"]["refreshToken"]


def refresh(url: str, token: str) -> dict:
    return requests.post(
        f"{url}/graphql", json={"query": REFRESH, "variables": {"r": token}}, timeout=30
    ).json()


def test_tabs_refreshing_at_once_get_one_new_pair_and_keep_the_login(live_server):
    User.objects.create_user("alice", password=PASSWORD)
    token = login(live_server.url)

    answers = race(live_server.url, [(REFRESH, {"r": token}, None)] * 10)

    winners = [a["data"]["refreshToken"] for a in answers if "errors" not in a]
    assert len(winners) == 1, answers
    assert sorted(codes(a)[0] for a in answers if "errors" in a) == ["INVALID_REFRESH_TOKEN"] * 9
    assert "errors" not in refresh(live_server.url, winners[0]["refreshToken"])
    assert not AuditEvent.objects.filter(kind="refresh_token_reused").exists()


def test_a_late_replay_racing_the_next_refresh_leaves_no_token_of_the_login(live_server):
    User.objects.create_user("alice", password=PASSWORD)
    for _ in range(5):
        stolen = login(live_server.url)
        current = refresh(live_server.url, stolen)["data"]["refreshToken"]["refreshToken"]
        RefreshToken.objects.filter(rotated_at__isnull=False).update(
            rotated_at=timezone.now() - timedelta(minutes=5)
        )

        answers = race(
            live_server.url, [(REFRESH, {"r": stolen}, None), (REFRESH, {"r": current}, None)]
        )

        assert codes(answers[0]) == ["INVALID_REFRESH_TOKEN"]
        assert not RefreshToken.objects.filter(revoked_at__isnull=True).exists()
        if "errors" not in answers[1]:
            newest = answers[1]["data"]["refreshToken"]["refreshToken"]
            assert codes(refresh(live_server.url, newest)) == ["INVALID_REFRESH_TOKEN"]
    assert AuditEvent.objects.filter(kind="refresh_token_reused").count() == 5
