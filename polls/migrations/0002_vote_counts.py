"""Vote counts stored on polls and choices, kept by triggers on the vote table.

The triggers run inside the statement that inserts, moves or deletes a vote, so
the vote upsert (polls/services.py), bulk writes and Django's cascades (a
deleted user, choice or poll) all keep the counts without a second round trip.
Each trigger updates the poll row before the choice rows, and two choices in id
order, so racing votes lock rows in one order and never deadlock each other.
The counts are backfilled from the vote rows after the triggers exist; on
PostgreSQL the migration's table locks hold votes back until it commits.
"""

from django.db import migrations, models

POSTGRESQL = """
CREATE FUNCTION polls_vote_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE polls_poll SET vote_count = vote_count + 1 WHERE id = NEW.poll_id;
        UPDATE polls_choice SET vote_count = vote_count + 1 WHERE id = NEW.choice_id;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE polls_poll SET vote_count = vote_count - 1 WHERE id = OLD.poll_id;
        UPDATE polls_choice SET vote_count = vote_count - 1 WHERE id = OLD.choice_id;
    ELSE
        IF NEW.poll_id <> OLD.poll_id THEN
            UPDATE polls_poll SET vote_count = vote_count + CASE WHEN id = NEW.poll_id THEN 1 ELSE -1 END
            WHERE id = LEAST(OLD.poll_id, NEW.poll_id);
            UPDATE polls_poll SET vote_count = vote_count + CASE WHEN id = NEW.poll_id THEN 1 ELSE -1 END
            WHERE id = GREATEST(OLD.poll_id, NEW.poll_id);
        END IF;
        IF NEW.choice_id <> OLD.choice_id THEN
            UPDATE polls_choice SET vote_count = vote_count + CASE WHEN id = NEW.choice_id THEN 1 ELSE -1 END
            WHERE id = LEAST(OLD.choice_id, NEW.choice_id);
            UPDATE polls_choice SET vote_count = vote_count + CASE WHEN id = NEW.choice_id THEN 1 ELSE -1 END
            WHERE id = GREATEST(OLD.choice_id, NEW.choice_id);
        END IF;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER polls_vote_counts AFTER INSERT OR DELETE OR UPDATE OF poll_id, choice_id
    ON polls_vote FOR EACH ROW EXECUTE FUNCTION polls_vote_counts();
"""

POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS polls_vote_counts ON polls_vote;
DROP FUNCTION IF EXISTS polls_vote_counts();
"""

# SQLite has no row locks to order (one writer at a time); an upsert's DO UPDATE
# fires the UPDATE trigger.
SQLITE = [
    """
CREATE TRIGGER polls_vote_counts_insert AFTER INSERT ON polls_vote BEGIN
    UPDATE polls_poll SET vote_count = vote_count + 1 WHERE id = NEW.poll_id;
    UPDATE polls_choice SET vote_count = vote_count + 1 WHERE id = NEW.choice_id;
END
""",
    """
CREATE TRIGGER polls_vote_counts_delete AFTER DELETE ON polls_vote BEGIN
    UPDATE polls_poll SET vote_count = vote_count - 1 WHERE id = OLD.poll_id;
    UPDATE polls_choice SET vote_count = vote_count - 1 WHERE id = OLD.choice_id;
END
""",
    """
CREATE TRIGGER polls_vote_counts_update AFTER UPDATE OF poll_id, choice_id ON polls_vote
WHEN NEW.poll_id <> OLD.poll_id OR NEW.choice_id <> OLD.choice_id BEGIN
    UPDATE polls_poll SET vote_count = vote_count - 1 WHERE id = OLD.poll_id;
    UPDATE polls_poll SET vote_count = vote_count + 1 WHERE id = NEW.poll_id;
    UPDATE polls_choice SET vote_count = vote_count - 1 WHERE id = OLD.choice_id;
    UPDATE polls_choice SET vote_count = vote_count + 1 WHERE id = NEW.choice_id;
END
""",
]

SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS polls_vote_counts_{kind}" for kind in ("insert", "delete", "update")
]

BACKFILL = [
    "UPDATE polls_poll SET vote_count = "
    "(SELECT COUNT(*) FROM polls_vote WHERE polls_vote.poll_id = polls_poll.id)",
    "UPDATE polls_choice SET vote_count = "
    "(SELECT COUNT(*) FROM polls_vote WHERE polls_vote.choice_id = polls_choice.id)",
]


def triggers_create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = [POSTGRESQL]
    elif vendor == "sqlite":
        statements = SQLITE
    else:
        raise NotImplementedError(f"vote count triggers for {vendor}")
    for statement in [*statements, *BACKFILL]:
        schema_editor.execute(statement, params=None)


def triggers_drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in [POSTGRESQL_DROP] if vendor == "postgresql" else SQLITE_DROP:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('polls', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='choice',
            name='vote_count',
            field=models.IntegerField(default=0, editable=False, help_text="Votes, kept by the vote table's triggers."),
        ),
        migrations.AddField(
            model_name='poll',
            name='vote_count',
            field=models.IntegerField(default=0, editable=False, help_text="Votes, kept by the vote table's triggers."),
        ),
        migrations.AddIndex(
            model_name='poll',
            index=models.Index(fields=['-published_at', '-id'], name='poll_newest_first'),
        ),
        migrations.RunPython(triggers_create, triggers_drop),
    ]
