"""The PostgreSQL data sets of `make bench`: 200 polls with 10k or 1M votes.

Building 1M votes takes minutes, so each data set lives in its own database
(BENCH_PG_DB with the vote count appended, e.g. `pollstr_bench_1000000`) and is
reused while its marker table says it is complete; `--quick` never builds the
1M one. Votes are loaded with the count triggers off, then `recount_votes`
sets the counts, as an operator would after a bulk import.

    python -m bench.dataset --votes 1000000   # build (or find) one, print its URL
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/test")
PG_BENCH_DB = os.environ.get("BENCH_PG_DB", "pollstr_bench")
POLLS = 200
CHOICES = ("Yes", "No", "Maybe")
VOTER_PREFIX = "load"


def dataset_url(votes: int) -> str:
    return f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{PG_BENCH_DB}_{votes}"


def dataset_ready(votes: int) -> bool:
    import psycopg

    try:
        with psycopg.connect(dataset_url(votes), connect_timeout=5) as conn:
            row = conn.execute("SELECT votes FROM bench_dataset").fetchone()
    except psycopg.Error:
        return False
    return row is not None and row[0] == votes


def dataset_ensure(votes: int) -> str:
    """The URL of a complete data set with `votes` votes, built if missing and
    migrated to this checkout's models if built by an older one."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": dataset_url(votes),
    }
    env.pop("REDIS_URL", None)
    if dataset_ready(votes):
        # A data set outlives the code that built it: new columns and tables
        # arrive by migration (seconds), not by rebuilding the votes (minutes).
        command = [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"]
    else:
        command = [sys.executable, "-m", "bench.dataset", "--build", "--votes", str(votes)]
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=3600)
    return dataset_url(votes)


def _build(votes: int) -> None:
    """In a child process whose DATABASE_URL is the data set's database."""
    import psycopg

    name = dataset_url(votes).rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from polls.models import Choice, Poll
    from polls.services import vote_counts_recount

    call_command("migrate", verbosity=0)
    voters = votes // POLLS
    now = timezone.now()
    polls = Poll.objects.bulk_create(
        Poll(question=f"Question {n}?", published_at=now - timezone.timedelta(minutes=n))
        for n in range(POLLS)
    )
    Choice.objects.bulk_create(Choice(poll=p, text=t) for p in polls for t in CHOICES)
    User.objects.bulk_create(
        (User(username=f"{VOTER_PREFIX}{n}", password="!") for n in range(voters)),
        batch_size=5000,
    )
    # Each statement commits on its own: the vote rows' deferred foreign-key
    # checks must run before the trigger can be turned back on.
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE polls_vote DISABLE TRIGGER polls_vote_counts")
        cursor.execute(
            "INSERT INTO polls_vote (user_id, poll_id, choice_id, voted_at) "
            "SELECT u.id, c.poll_id, c.id, now() FROM accounts_user u "
            "JOIN polls_choice c ON c.id %% 3 = u.id %% 3 "
            "WHERE u.username LIKE %s",
            [f"{VOTER_PREFIX}%"],
        )
        cursor.execute("ALTER TABLE polls_vote ENABLE TRIGGER polls_vote_counts")
    drift = vote_counts_recount(fix=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # the planner's statistics for the new rows
        cursor.execute("CREATE TABLE bench_dataset (votes integer NOT NULL)")
        cursor.execute("INSERT INTO bench_dataset VALUES (%s)", [votes])
    print(f"built {name}: {POLLS} polls, {votes} votes, {len(drift)} counts set by the recount")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--votes", type=int, required=True)
    parser.add_argument("--build", action="store_true", help="build here (a child process)")
    args = parser.parse_args()
    if args.build:
        _build(args.votes)
    else:
        print(dataset_ensure(args.votes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
