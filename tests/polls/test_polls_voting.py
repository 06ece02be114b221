"""Reading polls is public; voting needs a 2FA-verified token and counts one vote per user."""

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.tokens import token_pair_issue
from polls.models import Choice, Poll, Vote
from twofa.models import PhoneNumber

POLLS = (
    "{ polls { id question publishedAt totalVotes choices { id text votes } myVote { id text } } }"
)
POLL = "query($id: ID!) { poll(id: $id) { question totalVotes } }"
VOTE = "mutation($c: ID!) { vote(choiceId: $c) { poll { id totalVotes myVote { text } choices { text votes } } } }"


def verified_token(user) -> str:
    return token_pair_issue(user, amr=["pwd", "sms"], auth_time=timezone.now()).token


def make_voter(name: str) -> User:
    voter = User.objects.create_user(username=name, password="x")
    PhoneNumber.objects.create(user=voter, number="+14155552671", verified_at=timezone.now())
    return voter


def test_anyone_can_read_polls(gql, poll):
    result = gql(POLLS)
    (read,) = result.data["polls"]
    assert read["question"] == "Tea or coffee?"
    assert read["totalVotes"] == 0
    assert [c["text"] for c in read["choices"]] == ["Tea", "Coffee", "Neither"]
    assert read["myVote"] is None
    assert read["publishedAt"].startswith(str(timezone.now().year))


def test_one_poll_by_id(gql, poll):
    assert gql(POLL, {"id": str(poll.pk)}).data == {
        "poll": {"question": "Tea or coffee?", "totalVotes": 0}
    }
    for unknown in ("999999", "abc", "-1", "99999999999999999999999"):
        result = gql(POLL, {"id": unknown})
        assert result.body == {"data": {"poll": None}}, unknown


def test_voting_needs_a_token(gql, poll):
    result = gql(VOTE, {"c": str(poll.choices.first().pk)})
    assert result.codes == ["UNAUTHENTICATED"]
    assert not Vote.objects.exists()


def test_voting_needs_a_second_factor(gql, user_2fa, poll):
    token = token_pair_issue(user_2fa, amr=["pwd"]).token
    result = gql(VOTE, {"c": str(poll.choices.first().pk)}, token=token)
    assert result.codes == ["TWO_FACTOR_REQUIRED"]
    assert not Vote.objects.exists()


def test_a_verified_user_votes_and_can_move_the_vote(gql, user_2fa, poll):
    tea, coffee, _ = poll.choices.all()
    token = verified_token(user_2fa)

    first = gql(VOTE, {"c": str(tea.pk)}, token=token).data["vote"]["poll"]
    assert first["totalVotes"] == 1
    assert first["myVote"] == {"text": "Tea"}

    moved = gql(VOTE, {"c": str(coffee.pk)}, token=token).data["vote"]["poll"]
    assert moved["totalVotes"] == 1
    assert moved["myVote"] == {"text": "Coffee"}
    assert {c["text"]: c["votes"] for c in moved["choices"]} == {
        "Tea": 0,
        "Coffee": 1,
        "Neither": 0,
    }
    assert Vote.objects.count() == 1


def test_total_votes_counts_distinct_voters(gql, poll):
    tea, coffee, _ = poll.choices.all()
    for name, choice in (("v1", tea), ("v2", tea), ("v3", coffee)):
        gql(VOTE, {"c": str(choice.pk)}, token=verified_token(make_voter(name)))

    (read,) = gql(POLLS).data["polls"]
    assert read["totalVotes"] == 3
    assert {c["text"]: c["votes"] for c in read["choices"]} == {"Tea": 2, "Coffee": 1, "Neither": 0}


@pytest.mark.parametrize("choice_id", ["999999", "abc", "", "99999999999999999999999", "1.5"])
def test_voting_for_an_unknown_choice(gql, user_2fa, poll, choice_id):
    result = gql(VOTE, {"c": choice_id}, token=verified_token(user_2fa))
    assert result.codes == ["NOT_FOUND"]
    assert not Vote.objects.exists()


def test_my_vote_is_per_user(gql, user_2fa, poll):
    tea = poll.choices.first()
    gql(VOTE, {"c": str(tea.pk)}, token=verified_token(user_2fa))

    other = token_pair_issue(make_voter("bob"), amr=["pwd"]).token
    (read,) = gql(POLLS, token=other).data["polls"]
    assert read["myVote"] is None
    (mine,) = gql(POLLS, token=verified_token(user_2fa)).data["polls"]
    assert mine["myVote"]["text"] == "Tea"


def test_a_bad_token_still_reads_polls(gql, poll):
    result = gql(POLLS, token="stale")
    assert not result.errors
    assert result.data["polls"][0]["myVote"] is None


def _polls_create(count: int, voter) -> None:
    polls = Poll.objects.bulk_create(Poll(question=f"Q{n}") for n in range(count))
    choices = Choice.objects.bulk_create(
        Choice(poll=poll, text=text) for poll in polls for text in ("a", "b", "c")
    )
    Vote.objects.bulk_create(
        Vote(user=voter, poll=poll, choice=choices[3 * n + n % 3]) for n, poll in enumerate(polls)
    )


@pytest.mark.parametrize("count", [1, 100, 1000])
def test_reading_polls_costs_a_constant_number_of_queries(
    gql, user_2fa, count, django_assert_max_num_queries
):
    _polls_create(count, user_2fa)
    token = verified_token(user_2fa)
    query = "{ polls { id totalVotes myVote { id } choices { id text votes } } }"

    # The user lookup, then polls, choices with counts, and the caller's votes.
    with django_assert_max_num_queries(4):
        result = gql(query, token=token)
    assert len(result.data["polls"]) == count
    assert all(p["totalVotes"] == 1 and p["myVote"] for p in result.data["polls"])
    assert sum(c["votes"] for p in result.data["polls"] for c in p["choices"]) == count


def test_a_vote_is_one_upsert_plus_the_poll_it_returns(
    gql, user_2fa, poll, django_assert_num_queries
):
    token = verified_token(user_2fa)
    choice = poll.choices.first()

    # The user lookup, the upsert, then the poll, its choices and the caller's vote.
    with django_assert_num_queries(5) as captured:
        result = gql(VOTE, {"c": str(choice.pk)}, token=token)
    assert result.data["vote"]["poll"]["myVote"]["text"] == choice.text
    writes = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    assert len(writes) == 1 and "ON CONFLICT" in writes[0]
