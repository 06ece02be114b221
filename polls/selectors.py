"""Reads on polls: the counts come from the rows, the order is always explicit.

Every query whose order is part of the contract says ORDER BY itself (polls
newest first, ties by id; choices by id): tests assert it in the SQL, since
PostgreSQL's hash aggregation and parallel plans return rows in any order.
"""

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from core.ids import pk_parse
from polls.models import Choice, Poll, Vote

POLL_ORDER = ("-published_at", "-id")
CHOICE_ORDER = ("id",)


def _prefetches(user: User | None) -> list[Prefetch]:
    prefetches = [Prefetch("choices", queryset=Choice.objects.order_by(*CHOICE_ORDER))]
    if user is not None:
        prefetches.append(
            Prefetch("votes", queryset=Vote.objects.filter(user=user), to_attr="my_votes")
        )
    return prefetches


def polls_with_counts(*, user: User | None = None) -> QuerySet[Poll]:
    """Polls, newest first, with their choices and the caller's vote, in a
    constant number of queries.

    Counts are the rows' `vote_count`. When a user is given, each poll gets a
    `my_votes` list holding at most the user's one vote.
    """
    return Poll.objects.order_by(*POLL_ORDER).prefetch_related(*_prefetches(user))


def poll_with_counts(poll_id, *, user: User | None = None) -> Poll | None:
    pk = pk_parse(poll_id)
    return polls_with_counts(user=user).filter(pk=pk).first() if pk else None
