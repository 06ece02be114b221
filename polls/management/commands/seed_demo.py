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

    @transaction.atomic
    def handle(self, *args, **options):
        user, created = User.objects.get_or_create(username=DEMO_USERNAME)
        if created:
            # A development account: its password is public, so validators are skipped.
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        poll, _ = Poll.objects.get_or_create(question=DEMO_QUESTION)
        for text in DEMO_CHOICES:
            Choice.objects.get_or_create(poll=poll, text=text)
        self.stdout.write(
            f"Demo data ready: user {DEMO_USERNAME!r} ({'created' if created else 'exists'}), "
            f"poll #{poll.pk} with {poll.choices.count()} choices."
        )
