import logging

from django.db import connection
from django.utils import timezone

from accounts.models import User
from core.exceptions import NotFound
from core.ids import pk_parse
from polls.models import Choice, Vote

logger = logging.getLogger("polls")


def vote_cast(user: User, choice_id) -> int:
    """Record the user's vote for a choice, moving an earlier vote on that poll.

    One statement: INSERT ... SELECT the choice's poll ... ON CONFLICT (user,
    poll) DO UPDATE ... RETURNING the poll. Concurrent votes by one user on one
    poll leave exactly one vote, and an unknown choice inserts nothing.
    Returns the poll's id.
    """
    pk = pk_parse(choice_id)
    if pk is None:
        raise NotFound("No choice with that id.")
    with connection.cursor() as cursor:
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        cursor.execute(_VOTE_UPSERT, [user.pk, now, pk])
        row = cursor.fetchone()
    if row is None:
        raise NotFound("No choice with that id.")
    logger.info("vote cast: user=%s poll=%s", user.pk, row[0])
    return row[0]


def _vote_upsert_sql() -> str:
    vote, choice = Vote._meta.db_table, Choice._meta.db_table
    # Table names come from our models, values go as parameters. The WHERE keeps
    # SQLite's parser from reading ON CONFLICT as part of the SELECT.
    return (
        f'INSERT INTO "{vote}" ("user_id", "poll_id", "choice_id", "voted_at") '  # noqa: S608
        f'SELECT %s, c."poll_id", c."id", %s FROM "{choice}" c WHERE c."id" = %s '
        'ON CONFLICT ("user_id", "poll_id") DO UPDATE SET '
        '"choice_id" = excluded."choice_id", "voted_at" = excluded."voted_at" '
        'RETURNING "poll_id"'
    )


_VOTE_UPSERT = _vote_upsert_sql()
