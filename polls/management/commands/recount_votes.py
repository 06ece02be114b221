"""`manage.py recount_votes`: recount the stored vote counts from the vote rows.

The vote table's triggers keep `Poll.vote_count` and `Choice.vote_count` exact;
this is the check after anything that bypasses them (a restore, a bulk load
with triggers disabled) and the repair if they drifted.
"""

from django.core.management.base import BaseCommand

from polls.services import vote_counts_recount


class Command(BaseCommand):
    help = "Recount polls' and choices' vote counts from the vote rows; report any drift fixed."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Report drift without fixing it; exit 1 if there is any.",
        )

    def handle(self, *args, check: bool, **options):
        drift = vote_counts_recount(fix=not check)
        for kind, pk, stored, actual in drift:
            self.stdout.write(f"{kind} {pk}: {stored} -> {actual}")
        if not drift:
            self.stdout.write("no drift: every stored count matches the vote rows")
        elif check:
            self.stdout.write(f"{len(drift)} counts drifted (not fixed: --check)")
            raise SystemExit(1)
        else:
            self.stdout.write(self.style.SUCCESS(f"fixed {len(drift)} counts"))
