"""`routinie purge`: run every retention now, as the daily job does."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from routinie.privacy.retention import purge, schedule_daily_purge


class Command(BaseCommand):
    help = "Remove everything past its retention period and print how much (counts only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")
        parser.add_argument(
            "--schedule", action="store_true", help="also queue the daily run on the worker"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = purge(dry_run=options["dry_run"])
        verb = "would remove" if options["dry_run"] else "removed"
        for name, count in counts.items():
            self.stdout.write(f"{name}: {verb} {count}")
        if options["schedule"] and schedule_daily_purge():
            self.stdout.write("The daily purge is queued on the task worker.")
