"""`manage.py seed_demo`: the demo user and poll `make run` starts with.

With `--reset` (`make reset-demo`), the demo user and the demo poll are put
back as they were first made: the user deleted with everything hanging off it
(its phone, authenticator app, recovery codes, challenges, sessions, votes) and
created again with the demo password, the poll's votes (and any choice added
since) deleted, so it keeps its id and its choices' ids. Other users and polls
are left alone.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from polls.models import Choice, Poll

DEMO_USERNAME = "test"
DEMO_PASSWORD = "test1234"
DEMO_QUESTION = "Which second factor do you trust most?"
DEMO_CHOICES = ["SMS code", "Voice call", "Authenticator app"]


class Command(BaseCommand):
    help = "Create the demo user (test / test1234, no 2FA) and the demo poll. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Put the demo user and poll back as first made (2FA, sessions and votes go).",
        )

    @transaction.atomic
    def handle(self, *args, reset=False, **options):
        if reset:
            User.objects.filter(username=DEMO_USERNAME).delete()
            # The poll and its choices keep their ids (GraphiQL's Vote tab names choice 1).
            for poll in Poll.objects.filter(question=DEMO_QUESTION):
                poll.votes.all().delete()
                poll.choices.exclude(text__in=DEMO_CHOICES).delete()
        user, created = User.objects.get_or_create(username=DEMO_USERNAME)
        if created:
            # A development account: its password is public, so validators are skipped.
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        poll, _ = Poll.objects.get_or_create(question=DEMO_QUESTION)
        for text in DEMO_CHOICES:
            Choice.objects.get_or_create(poll=poll, text=text)
        self.stdout.write(
            f"Demo data {'reset' if reset else 'ready'}: user {DEMO_USERNAME!r} "
            f"({'created' if created else 'exists'}), "
            f"poll #{poll.pk} with {poll.choices.count()} choices."
        )
