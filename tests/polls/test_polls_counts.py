"""Vote counts live on the poll and choice rows, kept exact by the vote itself.

Reading polls never counts the vote table; casting, moving and deleting votes
(directly or through a deleted user or choice) keep the stored counts equal to
the vote rows, and `manage.py recount_votes` repairs any drift.
"""

from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from polls.models import Choice, Poll, Vote
from polls.services import vote_cast

PAGE = "{ polls { id totalVotes myVote { id } choices { id votes } } }"


def counts(poll: Poll) -> tuple[int, dict[str, int]]:
    poll.refresh_from_db()
    return poll.vote_count, {c.text: c.vote_count for c in poll.choices.order_by("id")}


def voters(count: int) -> list[User]:
    return [User.objects.create_user(username=f"voter{n}", password="x") for n in range(count)]


def test_reading_polls_does_not_count_the_vote_table(gql, poll):
    with CaptureQueriesContext(connection) as captured:
        assert gql(PAGE).data["polls"]
    sql = " ".join(q["sql"] for q in captured.captured_queries).upper()
    assert "COUNT(" not in sql
    assert "POLLS_VOTE" not in sql


def test_casting_and_moving_votes_keeps_the_counts(poll):
    tea, coffee, _ = poll.choices.order_by("id")
    alice, bob = voters(2)

    vote_cast(alice, tea.pk)
    vote_cast(bob, tea.pk)
    assert counts(poll) == (2, {"Tea": 2, "Coffee": 0, "Neither": 0})

    vote_cast(alice, coffee.pk)
    vote_cast(alice, coffee.pk)  # the same choice again changes nothing
    assert counts(poll) == (2, {"Tea": 1, "Coffee": 1, "Neither": 0})


def test_a_deleted_user_takes_their_votes_out_of_the_counts(poll):
    tea, coffee, _ = poll.choices.order_by("id")
    alice, bob = voters(2)
    vote_cast(alice, tea.pk)
    vote_cast(bob, coffee.pk)

    alice.delete()

    assert counts(poll) == (1, {"Tea": 0, "Coffee": 1, "Neither": 0})


def test_a_deleted_choice_takes_its_votes_out_of_the_poll_total(poll):
    tea, coffee, _ = poll.choices.order_by("id")
    alice, bob, carol = voters(3)
    vote_cast(alice, tea.pk)
    vote_cast(bob, tea.pk)
    vote_cast(carol, coffee.pk)

    tea.delete()

    assert counts(poll) == (1, {"Coffee": 1, "Neither": 0})


def test_bulk_written_votes_are_counted(poll):
    tea, coffee, _ = poll.choices.order_by("id")
    users = voters(4)
    Vote.objects.bulk_create(
        Vote(user=u, poll=poll, choice=tea if n % 2 else coffee) for n, u in enumerate(users)
    )
    assert counts(poll) == (4, {"Tea": 2, "Coffee": 2, "Neither": 0})

    Vote.objects.filter(choice=tea).update(choice=coffee)
    assert counts(poll) == (4, {"Tea": 0, "Coffee": 4, "Neither": 0})

    Vote.objects.filter(user__in=users[:3]).delete()
    assert counts(poll) == (1, {"Tea": 0, "Coffee": 1, "Neither": 0})


def test_recount_votes_reports_and_fixes_drift(poll):
    tea, _, _ = poll.choices.order_by("id")
    vote_cast(voters(1)[0], tea.pk)
    Poll.objects.filter(pk=poll.pk).update(vote_count=7)
    Choice.objects.filter(pk=tea.pk).update(vote_count=0)

    out = StringIO()
    call_command("recount_votes", stdout=out)

    assert counts(poll) == (1, {"Tea": 1, "Coffee": 0, "Neither": 0})
    report = out.getvalue()
    assert f"poll {poll.pk}: 7 -> 1" in report
    assert f"choice {tea.pk}: 0 -> 1" in report
    assert "fixed 2 counts" in report


def test_recount_votes_with_nothing_to_fix(poll):
    vote_cast(voters(1)[0], poll.choices.first().pk)
    out = StringIO()
    call_command("recount_votes", "--check", stdout=out)
    assert "no drift" in out.getvalue()


def test_recount_votes_check_reports_without_fixing(poll):
    Poll.objects.filter(pk=poll.pk).update(vote_count=3)
    out = StringIO()
    try:
        call_command("recount_votes", "--check", stdout=out)
    except SystemExit as exc:
        assert exc.code == 1
    else:
        raise AssertionError("--check with drift must exit non-zero")
    assert f"poll {poll.pk}: 3 -> 0" in out.getvalue()
    assert counts(poll)[0] == 3


def test_saving_a_poll_read_before_a_vote_keeps_that_vote(poll):
    stale = Poll.objects.get(pk=poll.pk)
    stale_choice = Choice.objects.get(pk=poll.choices.first().pk)
    vote_cast(voters(1)[0], stale_choice.pk)

    stale.question = "Tea, coffee or water?"
    stale.save()  # what the admin's form does
    stale_choice.text = "Green tea"
    stale_choice.save()

    assert counts(poll) == (1, {"Green tea": 1, "Coffee": 0, "Neither": 0})
