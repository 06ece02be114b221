"""Writes on polls: casting a vote, and recounting the stored vote counts."""

import logging

from django.db import connection, transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import NotFound
from core.ids import pk_parse
from polls.models import Choice, Poll, Vote

logger = logging.getLogger("polls")


def vote_cast(user: User, choice_id) -> int:
    """Record the user's vote for a choice, moving an earlier vote on that poll.

    One statement: INSERT ... SELECT the choice's poll ... ON CONFLICT (user,
    poll) DO UPDATE ... RETURNING the poll. Concurrent votes by one user on one
    poll leave exactly one vote, and an unknown choice inserts nothing. The vote
    table's triggers (polls/migrations/0002) update the poll's and the choices'
    counts inside that statement. Returns the poll's id.
    """
    pk = pk_parse(choice_id)
    if pk is None:
        raise NotFound(_("No choice with that id."))
    with connection.cursor() as cursor:
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        cursor.execute(_VOTE_UPSERT, [user.pk, now, pk])
        row = cursor.fetchone()
    if row is None:
        raise NotFound(_("No choice with that id."))
    logger.info("vote cast: user=%s poll=%s", user.pk, row[0])
    return row[0]


def _vote_upsert_sql() -> str:
    vote, choice = Vote._meta.db_table, Choice._meta.db_table
    # Table names come from our models, values go as parameters. The WHERE keeps
    # SQLite's parser from reading ON CONFLICT as part of the SELECT. Setting the
    # same choice again is still an UPDATE; the triggers only count a change.
    return (
        f'INSERT INTO "{vote}" ("user_id", "poll_id", "choice_id", "voted_at") '  # noqa: S608
        f'SELECT %s, c."poll_id", c."id", %s FROM "{choice}" c WHERE c."id" = %s '
        'ON CONFLICT ("user_id", "poll_id") DO UPDATE SET '
        '"choice_id" = excluded."choice_id", "voted_at" = excluded."voted_at" '
        'RETURNING "poll_id"'
    )


_VOTE_UPSERT = _vote_upsert_sql()


def vote_counts_recount(*, fix: bool) -> list[tuple[str, int, int, int]]:
    """Compare every stored count with the vote rows; fix the ones that differ.

    Returns (kind, id, stored, actual) for each drifted poll or choice. Each fix
    is one UPDATE that recounts inside the statement; a vote committed in the
    instant between that statement's snapshot and its row lock can still be
    missed, so a fix is best run when voting is quiet (or run twice).
    """
    drift: list[tuple[str, int, int, int]] = []
    with transaction.atomic():
        for kind, model, field in (("poll", Poll, "poll"), ("choice", Choice, "choice")):
            actual = Subquery(
                Vote.objects.filter(**{field: OuterRef("pk")})
                .order_by()
                .values(field)
                .annotate(n=Count("*"))
                .values("n")
            )
            rows = (
                model.objects.annotate(actual=Coalesce(actual, Value(0)))
                .order_by("pk")
                .values_list("pk", "vote_count", "actual")
            )
            wrong = [(kind, pk, stored, n) for pk, stored, n in rows if stored != n]
            if fix:
                for _, pk, _, _ in wrong:
                    model.objects.filter(pk=pk).update(vote_count=Coalesce(actual, Value(0)))
            drift += wrong
    if drift and fix:
        logger.warning("vote counts recounted: %d drifted", len(drift))
    return drift
