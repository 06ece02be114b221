"""`manage.py twofa_prune [--dry-run]`: retention, run once a day from cron.

Deletes finished challenges older than TWOFA_RETENTION_CHALLENGES_DAYS, audit
events older than TWOFA_RETENTION_AUDIT_DAYS, and the refresh tokens of logins
past their absolute expiry (accounts.tokens.refresh_tokens_expired: a rotated
token of a login still running is kept, so a replay of it still ends that
login). In batches of --batch-size rows, one short transaction each. The
daily send rollups are kept.
"""

from django.core.management.base import BaseCommand, CommandError

from accounts.tokens import refresh_tokens_expired
from core.retention import DEFAULT_BATCH_SIZE, batched_delete
from twofa.services.retention import audit_events_before, challenges_finished_before


class Command(BaseCommand):
    help = (
        "Delete finished 2FA challenges, old 2FA audit events and expired refresh-token "
        "families, in batches; print the counts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"Rows deleted per transaction (default {DEFAULT_BATCH_SIZE}).",
        )

    def handle(self, *args, dry_run: bool, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be 1 or more.")
        verb = "would delete" if dry_run else "deleted"
        for name, rows in (
            ("challenges", challenges_finished_before()),
            ("audit events", audit_events_before()),
            ("refresh tokens", refresh_tokens_expired()),
        ):
            count = batched_delete(rows, batch_size=batch_size, dry_run=dry_run)
            self.stdout.write(f"{name}: {verb} {count}")
