"""`routinie purge`: run every retention now, as the daily job does."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from routinie.core.account_jobs import Failures
from routinie.privacy.retention import purge, schedule_daily_purge


class Command(BaseCommand):
    help = (
        "Remove everything past its retention period and print how much (counts only); a row "
        "that cannot be removed is skipped, reported by its id, and the exit status is 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")
        parser.add_argument(
            "--schedule", action="store_true", help="also queue the daily run on the worker"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        failed = Failures("Purge")
        counts = purge(dry_run=options["dry_run"], failed=failed)
        verb = "would remove" if options["dry_run"] else "removed"
        for name, count in counts.items():
            self.stdout.write(f"{name}: {verb} {count}")
        if options["schedule"] and schedule_daily_purge():
            self.stdout.write("The daily purge is queued on the task worker.")
        if failed:
            self.stderr.write(failed.summary())
            raise CommandError("Some rows could not be removed: see above (the exit status is 1).")
