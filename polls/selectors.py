from django.db.models import Count, Prefetch, QuerySet

from accounts.models import User
from core.ids import pk_parse
from polls.models import Choice, Poll, Vote


def polls_with_counts(*, user: User | None = None) -> QuerySet[Poll]:
    """Polls with vote counts and the caller's vote, in a constant number of queries.

    Each poll gets `total_votes`, each choice `vote_count`, and, when a user is
    given, each poll a `my_votes` list holding at most the user's one vote.
    """
    prefetches = [Prefetch("choices", queryset=Choice.objects.annotate(vote_count=Count("votes")))]
    if user is not None:
        prefetches.append(
            Prefetch(
                "votes",
                queryset=Vote.objects.filter(user=user).select_related("choice"),
                to_attr="my_votes",
            )
        )
    return Poll.objects.annotate(total_votes=Count("votes")).prefetch_related(*prefetches)


def poll_with_counts(poll_id, *, user: User | None = None) -> Poll | None:
    pk = pk_parse(poll_id)
    return polls_with_counts(user=user).filter(pk=pk).first() if pk else None
