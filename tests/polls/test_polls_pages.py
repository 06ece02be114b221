"""Polls page by page: a Relay-style connection with keyset cursors.

Newest first, ties by id; a poll published between two pages neither repeats
nor skips an item; ids are the plain ids `vote` takes; a bad cursor or page
size is BAD_USER_INPUT. The order is explicit in the SQL, not left to luck.
"""

import base64
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tokens import token_pair_issue
from polls.models import Choice, Poll

PAGE = """query($first: Int, $after: String) {
  pollsConnection(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id question totalVotes myVote { id } choices { id text votes } } }
  }
}"""
VOTE = "mutation($c: ID!) { vote(choiceId: $c) { poll { id totalVotes } } }"


def page(gql, token=None, **variables) -> dict:
    result = gql(PAGE, variables, token=token)
    assert not result.errors, result.body
    return result.data["pollsConnection"]


def questions(connection_: dict) -> list[str]:
    return [edge["node"]["question"] for edge in connection_["edges"]]


def polls_create(count: int, *, start=None) -> list[Poll]:
    """Polls one minute apart, the newest last."""
    start = start or timezone.now() - timedelta(days=1)
    polls = []
    for n in range(count):
        polls.append(
            Poll.objects.create(question=f"Q{n}", published_at=start + timedelta(minutes=n))
        )
        for text in ("a", "b"):
            Choice.objects.create(poll=polls[-1], text=text)
    return polls


def test_no_polls_is_an_empty_page(gql, db):
    assert page(gql) == {
        "totalCount": 0,
        "pageInfo": {
            "hasNextPage": False,
            "hasPreviousPage": False,
            "startCursor": None,
            "endCursor": None,
        },
        "edges": [],
    }


def test_pages_walk_every_poll_once_newest_first(gql, db):
    polls_create(7)

    first = page(gql, first=3)
    second = page(gql, first=3, after=first["pageInfo"]["endCursor"])
    last = page(gql, first=3, after=second["pageInfo"]["endCursor"])

    assert questions(first) == ["Q6", "Q5", "Q4"]
    assert questions(second) == ["Q3", "Q2", "Q1"]
    assert questions(last) == ["Q0"]
    assert [p["pageInfo"]["hasNextPage"] for p in (first, second, last)] == [True, True, False]
    assert first["pageInfo"]["startCursor"] == first["edges"][0]["cursor"]
    assert first["pageInfo"]["endCursor"] == first["edges"][-1]["cursor"]
    assert {p["totalCount"] for p in (first, second, last)} == {7}
    assert page(gql, first=3, after=last["pageInfo"]["endCursor"])["edges"] == []


def test_an_exactly_full_last_page_has_no_next_page(gql, db):
    polls_create(4)
    first = page(gql, first=2)
    last = page(gql, first=2, after=first["pageInfo"]["endCursor"])
    assert questions(last) == ["Q1", "Q0"]
    assert last["pageInfo"]["hasNextPage"] is False


def test_a_poll_published_between_pages_neither_repeats_nor_skips(gql, db):
    polls_create(5)
    first = page(gql, first=2)
    Poll.objects.create(question="Breaking", published_at=timezone.now())

    rest = page(gql, first=10, after=first["pageInfo"]["endCursor"])

    assert questions(first) + questions(rest) == ["Q4", "Q3", "Q2", "Q1", "Q0"]
    assert questions(page(gql, first=1)) == ["Breaking"]


def test_polls_published_at_the_same_instant_are_ordered_by_id(gql, db):
    at = timezone.now()
    same = [Poll.objects.create(question=f"Same {n}", published_at=at) for n in range(5)]

    seen = []
    after = None
    while True:
        current = page(gql, first=2, after=after)
        seen += questions(current)
        if not current["pageInfo"]["hasNextPage"]:
            break
        after = current["pageInfo"]["endCursor"]

    assert seen == [p.question for p in reversed(same)]


def test_the_default_and_the_largest_page(gql, db, settings):
    settings.POLLS_PAGE_SIZE = 2
    settings.POLLS_PAGE_SIZE_MAX = 3
    polls_create(5)

    assert len(page(gql)["edges"]) == 2
    assert len(page(gql, first=3)["edges"]) == 3
    too_many = gql(PAGE, {"first": 4})
    assert too_many.codes == ["BAD_USER_INPUT"]
    assert "3" in too_many.error["message"]
    assert too_many.data is None


@pytest.mark.parametrize("first", [0, -1])
def test_a_page_of_nothing_or_less_is_refused(gql, db, first):
    assert gql(PAGE, {"first": first}).codes == ["BAD_USER_INPUT"]


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "nonsense",
        "eyJ4IjoxfQ==",
        "WyIyMDI2LTAxLTAxIiwgMV0=",
        "W251bGwsIG51bGxd",
        "%%%",
        "ŵ",
        base64.urlsafe_b64encode(b"[" * 150).decode(),
        base64.urlsafe_b64encode(b"[" * 100_000).decode(),
    ],
)
def test_a_bad_cursor_is_bad_user_input(gql, db, cursor):
    polls_create(1)
    result = gql(PAGE, {"first": 1, "after": cursor})
    assert result.codes == ["BAD_USER_INPUT"]
    assert result.data is None


def test_ids_are_plain_and_vote_takes_them(gql, user_2fa):
    (poll,) = polls_create(1)
    token = token_pair_issue(user_2fa, amr=["pwd", "sms"], auth_time=timezone.now()).token

    node = page(gql, token=token)["edges"][0]["node"]
    assert node["id"] == str(poll.pk)
    choice_id = node["choices"][1]["id"]
    assert choice_id == str(poll.choices.order_by("id")[1].pk)

    voted = gql(VOTE, {"c": choice_id}, token=token).data["vote"]["poll"]
    assert voted == {"id": node["id"], "totalVotes": 1}
    after = page(gql, token=token)["edges"][0]["node"]
    assert after["myVote"] == {"id": choice_id}
    assert [c["votes"] for c in after["choices"]] == [0, 1]


def test_rows_inserted_out_of_order_come_back_in_order(gql, db):
    now = timezone.now()
    # Ids ascend while publication dates jump around; choices are created
    # after other polls' choices so a poll's choice ids are not contiguous.
    dates = {"Middle": now - timedelta(hours=2), "Newest": now, "Oldest": now - timedelta(days=3)}
    polls = {q: Poll.objects.create(question=q, published_at=at) for q, at in dates.items()}
    for text in ("1st", "2nd", "3rd"):
        for poll in polls.values():
            Choice.objects.create(poll=poll, text=text)

    with CaptureQueriesContext(connection) as captured:
        result = page(gql, first=10)

    assert questions(result) == ["Newest", "Middle", "Oldest"]
    for edge in result["edges"]:
        assert [c["text"] for c in edge["node"]["choices"]] == ["1st", "2nd", "3rd"]
    sql = [q["sql"] for q in captured.captured_queries]
    poll_query = next(s for s in sql if 'FROM "polls_poll"' in s and "LIMIT" in s)
    assert poll_query.endswith(
        'ORDER BY "polls_poll"."published_at" DESC, "polls_poll"."id" DESC LIMIT 11'
    )
    choice_query = next(s for s in sql if 'FROM "polls_choice"' in s)
    assert choice_query.endswith('ORDER BY "polls_choice"."id" ASC')


def test_the_old_list_says_its_order_in_the_sql(gql, db):
    polls_create(2)
    with CaptureQueriesContext(connection) as captured:
        assert gql("{ polls { question choices { text } } }").data
    sql = [q["sql"] for q in captured.captured_queries]
    (poll_query,) = [s for s in sql if 'FROM "polls_poll"' in s]
    assert poll_query.endswith('ORDER BY "polls_poll"."published_at" DESC, "polls_poll"."id" DESC')


def test_a_page_costs_a_constant_number_of_queries(gql, user_2fa, django_assert_max_num_queries):
    polls_create(30)
    token = token_pair_issue(user_2fa, amr=["pwd", "sms"], auth_time=timezone.now()).token
    # The user, the page, its choices, the caller's votes on it, the total.
    with django_assert_max_num_queries(5):
        assert len(page(gql, token=token, first=25)["edges"]) == 25


def test_the_old_list_is_deprecated_with_a_reason(gql, db, settings):
    settings.GRAPHIQL_ENABLED = True
    result = gql(
        '{ __type(name: "Query") { fields(includeDeprecated: true) '
        "{ name isDeprecated deprecationReason } } }"
    )
    fields = {f["name"]: f for f in result.data["__type"]["fields"]}
    assert fields["polls"]["isDeprecated"] is True
    assert "pollsConnection" in fields["polls"]["deprecationReason"]
    assert fields["pollsConnection"]["isDeprecated"] is False


@pytest.mark.parametrize(("size", "largest"), [(0, 100), (101, 100), (20, 0)])
def test_page_sizes_that_refuse_every_request_are_a_configuration_error(settings, size, largest):
    from polls.checks import check_page_sizes

    settings.POLLS_PAGE_SIZE = size
    settings.POLLS_PAGE_SIZE_MAX = largest
    assert [e.id for e in check_page_sizes(None)] == ["polls.E001"]
    settings.POLLS_PAGE_SIZE, settings.POLLS_PAGE_SIZE_MAX = 20, 100
    assert check_page_sizes(None) == []
