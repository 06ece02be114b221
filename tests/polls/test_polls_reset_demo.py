"""`make reset-demo` (seed_demo --reset): the demo user and poll back as `make run` first made them."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from polls.models import Poll
from tests.documents import PHONE, TOKEN_AUTH
from twofa.models import PhoneNumber

pytestmark = pytest.mark.django_db

POLL = """{ pollsConnection(first: 10) { totalCount edges { node {
  id question totalVotes choices { id text votes } } } } }"""
VOTE = "mutation($c: ID!) { vote(choiceId: $c) { poll { totalVotes } } }"


def demo_poll(gql) -> dict:
    edges = gql(POLL).data["pollsConnection"]["edges"]
    [poll] = [e["node"] for e in edges if e["node"]["question"].startswith("Which second")]
    return poll


def test_reset_puts_the_demo_user_and_poll_back(gql, verified_login, user_2fa, poll):
    call_command("seed_demo", verbosity=0)
    first_poll = demo_poll(gql)
    # An afternoon of trying flows: the demo user gets 2FA and a new password; votes are cast.
    demo = User.objects.get(username="test")
    PhoneNumber.objects.create(user=demo, number=PHONE, verified_at=timezone.now())
    demo.set_password("another-password-1")
    demo.save()
    token = verified_login()["token"]  # alice, another user, votes on both polls
    seeded = Poll.objects.get(question=first_poll["question"])
    demo_choice = seeded.choices.first()
    seeded.choices.create(text="Carrier pigeon")
    assert gql(VOTE, {"c": str(demo_choice.pk)}, token=token).data["vote"]
    assert gql(VOTE, {"c": str(poll.choices.first().pk)}, token=token).data["vote"]
    assert demo_poll(gql)["totalVotes"] == 1

    call_command("seed_demo", "--reset", verbosity=0)

    login = gql(TOKEN_AUTH, {"username": "test", "password": "test1234"})
    assert login.data["tokenAuth"]["twoFactorRequired"] is False
    assert User.objects.filter(username="test").count() == 1
    assert demo_poll(gql) == first_poll  # the same ids, no votes, the three choices
    # Nobody else's data is touched.
    assert User.objects.filter(username="alice").exists()
    assert Poll.objects.get(pk=poll.pk).choices.first().vote_count == 1


def test_reset_on_an_empty_database_seeds(gql):
    call_command("seed_demo", "--reset", verbosity=0)

    assert [(c["text"], c["votes"]) for c in demo_poll(gql)["choices"]] == [
        ("SMS code", 0),
        ("Voice call", 0),
        ("Authenticator app", 0),
    ]
    login = gql(TOKEN_AUTH, {"username": "test", "password": "test1234"})
    assert login.data["tokenAuth"]["twoFactorRequired"] is False
