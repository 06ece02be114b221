"""Migration 0002 counts the votes cast before it, then the triggers keep counting."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import User

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("polls", "0001_initial")]
AFTER = [("polls", "0002_vote_counts")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_the_migration_backfills_counts_from_the_vote_rows():
    old = migrate(BEFORE)
    try:
        Poll, Choice, Vote = (old.get_model("polls", m) for m in ("Poll", "Choice", "Vote"))
        poll = Poll.objects.create(question="Before the counts?")
        yes, no = (Choice.objects.create(poll=poll, text=t) for t in ("Yes", "No"))
        for n, choice in enumerate((yes, yes, no)):
            user = User.objects.create_user(username=f"u{n}", password="x")
            Vote.objects.create(user_id=user.pk, poll=poll, choice=choice)

    finally:
        new = migrate(AFTER)

    Poll, Choice = new.get_model("polls", "Poll"), new.get_model("polls", "Choice")
    assert Poll.objects.get(pk=poll.pk).vote_count == 3
    assert dict(Choice.objects.values_list("text", "vote_count")) == {"Yes": 2, "No": 1}
