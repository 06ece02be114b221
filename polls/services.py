import logging

from django.utils import timezone

from accounts.models import User
from core.exceptions import NotFound
from core.ids import pk_parse
from polls.models import Choice, Vote

logger = logging.getLogger("polls")


def vote_cast(user: User, choice_id) -> int:
    """Record the user's vote for a choice, moving an earlier vote on that poll.

    One INSERT ... ON CONFLICT DO UPDATE, so concurrent votes by one user on
    one poll still leave exactly one vote. Returns the poll's id.
    """
    pk = pk_parse(choice_id)
    choice = Choice.objects.filter(pk=pk).only("id", "poll_id").first() if pk else None
    if choice is None:
        raise NotFound("No choice with that id.")
    Vote.objects.bulk_create(
        [Vote(user=user, poll_id=choice.poll_id, choice=choice, voted_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["user", "poll"],
        update_fields=["choice", "voted_at"],
    )
    logger.info("vote cast: user=%s poll=%s", user.pk, choice.poll_id)
    return choice.poll_id
