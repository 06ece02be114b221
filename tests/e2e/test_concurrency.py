"""Racing requests against a live server on PostgreSQL: counts stay exact.

These need a database that serves concurrent writers, so they run in the
PostgreSQL pass of CI (`DATABASE_URL=postgres://...`), not on SQLite.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.db import connection
from django.utils import timezone

from accounts.models import User
from accounts.tokens import token_pair_issue
from polls.models import Choice, Poll, Vote
from tests.documents import PASSWORD, PHONE, TOKEN_AUTH, VERIFY_TOKEN
from twofa.models import AuditEvent, Challenge, PhoneNumber

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)"
    ),
]

VOTE = "mutation($c: ID!) { vote(choiceId: $c) { poll { totalVotes } } }"


def race(url: str, calls: list[tuple[str, dict, str | None]]) -> list[dict]:
    """Send all calls at once (released together by a barrier); answers in order."""
    barrier = threading.Barrier(len(calls))

    def send(call):
        query, variables, token = call
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        barrier.wait(timeout=30)
        response = requests.post(
            f"{url}/graphql",
            json={"query": query, "variables": variables},
            headers=headers,
            timeout=30,
        )
        return response.json()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(send, calls))


def codes(answer: dict) -> list[str]:
    return [e["extensions"]["code"] for e in answer.get("errors", [])]


def verified_user(name: str) -> tuple[User, str]:
    user = User.objects.create_user(name, password=PASSWORD)
    PhoneNumber.objects.create(user=user, number=PHONE, verified_at=timezone.now())
    return user, token_pair_issue(user, amr=["pwd", "sms"], auth_time=timezone.now()).token


def test_twenty_simultaneous_wrong_codes_get_exactly_five_evaluated(live_server, outbox):
    user, _ = verified_user("alice")
    started = requests.post(
        f"{live_server.url}/graphql",
        json={"query": TOKEN_AUTH, "variables": {"username": "alice", "password": PASSWORD}},
        timeout=30,
    ).json()["data"]["tokenAuth"]
    wrong = f"{(int(outbox.last_code()) + 1) % 1_000_000:06d}"

    answers = race(
        live_server.url,
        [(VERIFY_TOKEN, {"challenge": started["challenge"], "code": wrong}, None)] * 20,
    )

    outcome = [codes(a)[0] for a in answers]
    assert outcome.count("INVALID_CODE") == 5, outcome
    assert set(outcome) - {"INVALID_CODE"} <= {"TOO_MANY_ATTEMPTS", "RATE_LIMITED"}
    assert Challenge.objects.get().attempts == 5
    assert AuditEvent.objects.filter(kind="wrong_code", user=user).count() == 5
    left = sorted(
        a["errors"][0]["extensions"]["attemptsLeft"]
        for a in answers
        if codes(a) == ["INVALID_CODE"]
    )
    assert left == [0, 1, 2, 3, 4]


def test_fifty_voters_at_once_are_fifty_votes(live_server):
    poll = Poll.objects.create(question="Now?")
    choice = Choice.objects.create(poll=poll, text="Yes")
    tokens = [verified_user(f"voter{i}")[1] for i in range(50)]

    answers = race(live_server.url, [(VOTE, {"c": str(choice.pk)}, t) for t in tokens])

    assert all("errors" not in a for a in answers), [a for a in answers if "errors" in a][:3]
    assert Vote.objects.filter(poll=poll).count() == 50
    final = requests.post(
        f"{live_server.url}/graphql",
        json={
            "query": "query($id: ID!) { poll(id: $id) { totalVotes choices { votes } } }",
            "variables": {"id": str(poll.pk)},
        },
        timeout=30,
    ).json()
    assert final["data"]["poll"] == {"totalVotes": 50, "choices": [{"votes": 50}]}


def test_one_user_voting_on_two_choices_at_once_has_one_vote(live_server):
    poll = Poll.objects.create(question="Left or right?")
    left, right = (Choice.objects.create(poll=poll, text=t) for t in ("Left", "Right"))
    _, token = verified_user("alice")

    calls = [(VOTE, {"c": str(c.pk)}, token) for c in (left, right)] * 5
    answers = race(live_server.url, calls)

    assert all("errors" not in a for a in answers), answers
    assert Vote.objects.filter(poll=poll).count() == 1
    assert all(a["data"]["vote"]["poll"]["totalVotes"] == 1 for a in answers)


def test_votes_moving_both_ways_at_once_keep_the_stored_counts(live_server):
    """Each move updates two choices' counts: racing moves in opposite
    directions must neither deadlock nor lose a count."""
    poll = Poll.objects.create(question="Left or right?")
    left, right = (Choice.objects.create(poll=poll, text=t) for t in ("Left", "Right"))
    calls = []
    for i in range(20):
        user, token = verified_user(f"mover{i}")
        start, goal = (left, right) if i % 2 else (right, left)
        Vote.objects.create(user=user, poll=poll, choice=start)
        calls += [(VOTE, {"c": str(goal.pk)}, token), (VOTE, {"c": str(start.pk)}, token)]

    answers = race(live_server.url, calls)

    assert all("errors" not in a for a in answers), [a for a in answers if "errors" in a][:3]
    poll.refresh_from_db()
    assert poll.vote_count == 20
    for choice in (left, right):
        choice.refresh_from_db()
        assert choice.vote_count == Vote.objects.filter(choice=choice).count()


def test_racing_logins_with_one_app_code_get_one_token(live_server):
    import base64

    import pyotp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = User.objects.create_user("racer", password=PASSWORD)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    app = pyotp.TOTP(base64.b32encode(device.bin_key).decode())
    login = requests.post(
        f"{live_server.url}/graphql",
        json={"query": TOKEN_AUTH, "variables": {"username": "racer", "password": PASSWORD}},
        timeout=30,
    ).json()["data"]["tokenAuth"]
    assert login["twoFactorRequired"] is True

    code = app.now()
    answers = race(
        live_server.url,
        [(VERIFY_TOKEN, {"challenge": login["challenge"], "code": code}, None)] * 10,
    )

    tokens = [a for a in answers if a.get("data") and a["data"]["verifyToken"]]
    assert len(tokens) == 1
    assert all(codes(a) for a in answers if a not in tokens)
    device.refresh_from_db()
    assert device.last_t >= 0


def test_twenty_resends_at_once_on_an_app_challenge_send_one_code(live_server, outbox):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user, _ = verified_user("appuser")
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    login = requests.post(
        f"{live_server.url}/graphql",
        json={"query": TOKEN_AUTH, "variables": {"username": "appuser", "password": PASSWORD}},
        timeout=30,
    ).json()["data"]["tokenAuth"]
    assert login["channel"] is None  # the app: nothing sent yet

    resend = "mutation($c: String!) { resendCode(challenge: $c) { sent } }"
    answers = race(live_server.url, [(resend, {"c": login["challenge"]}, None)] * 20)

    sent = [a for a in answers if a.get("data") and a["data"]["resendCode"]]
    assert len(sent) == 1, answers
    assert {c for a in answers if a not in sent for c in codes(a)} == {"RATE_LIMITED"}
    assert len(outbox.messages()) == 1


def test_a_login_racing_enrollments_to_its_number_keeps_the_one_live_code(live_server, outbox):
    verified_user("alice")
    strangers = []
    for i in range(5):
        User.objects.create_user(f"stranger{i}", password=PASSWORD)
        strangers.append(token_pair_issue(User.objects.get(username=f"stranger{i}"), amr=["pwd"]))
    enroll = "mutation($p: String!) { verifyPhone(phoneNumber: $p) { sent } }"
    login = (TOKEN_AUTH, {"username": "alice", "password": PASSWORD}, None)

    answers = race(live_server.url, [login] + [(enroll, {"p": PHONE}, s.token) for s in strangers])

    started = answers[0]["data"]["tokenAuth"]
    assert started["codeSent"] is True, answers[0]
    live = Challenge.objects.filter(phone_number=PHONE, status="pending").exclude(provider_ref="")
    assert [c.purpose for c in live] == ["login"]
    code = [m for m in outbox.messages() if m["purpose"] == "login"][-1]["code"]
    verified = requests.post(
        f"{live_server.url}/graphql",
        json={
            "query": VERIFY_TOKEN,
            "variables": {"challenge": started["challenge"], "code": code},
        },
        timeout=30,
    ).json()
    assert verified["data"]["verifyToken"]["token"]


def test_removing_the_app_and_the_phone_at_once_leaves_no_half_off_2fa(live_server):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from twofa.models import MethodPreference, RecoveryCode
    from twofa.selectors import TwoFactorState

    user, token = verified_user("alice")
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    RecoveryCode.objects.create(user=user, salt="s", digest="d" * 64)
    MethodPreference.objects.create(user=user, method="totp")

    answers = race(
        live_server.url,
        [
            ("mutation { removeTotp { token } }", {}, token),
            ("mutation { removePhone { token } }", {}, token),
        ],
    )

    # A request that reads its token after the other's change committed finds
    # its session ended; whichever way the race goes, no half-off state remains.
    assert all(codes(answer) in ([], ["UNAUTHENTICATED"]) for answer in answers), answers
    state = TwoFactorState(User.objects.get(pk=user.pk))
    if all(not codes(answer) for answer in answers):
        assert state.enabled is False and state.methods == []
    assert state.enabled or not RecoveryCode.objects.filter(user=user).exists()
    assert state.enabled or not MethodPreference.objects.filter(user=user).exists()
    assert state.enabled or AuditEvent.objects.filter(user=user, kind="disabled").count() == 1
