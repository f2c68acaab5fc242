"""`routinie stats-refresh`: compute the key figures and the published figures now, as the
periodic job does."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from routinie.stats.releases import refresh_statistics
from routinie.stats.tasks import schedule_daily_stats_refresh


class Command(BaseCommand):
    help = (
        "Compute every account's key figures, store the staff distributions and publish the "
        "public figures when due (every STATS_RELEASE_DAYS days), as the daily job does."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--release-now",
            action="store_true",
            help="publish the public figures now even if the last release is recent "
            "(spends epsilon from the budget)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="compute and count; write and publish nothing"
        )
        parser.add_argument(
            "--schedule", action="store_true", help="also queue the daily run on the worker"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"] and options["release_now"]:
            raise CommandError("--dry-run publishes nothing: leave out --release-now.")
        outcome = refresh_statistics(release_now=options["release_now"], dry_run=options["dry_run"])
        figures = outcome.key_figures
        verb = "would write" if options["dry_run"] else "written"
        self.stdout.write(
            f"Key figures: {figures.accounts} accounts, {verb} {figures.written}, "
            f"unchanged {figures.unchanged}, removed {figures.removed}."
        )
        if outcome.staff_release is not None:
            self.stdout.write("Staff figures: stored.")
        if outcome.public_release is not None:
            release = outcome.public_release
            self.stdout.write(f"Public figures: released, epsilon {release.epsilon:g} spent.")
        elif not options["dry_run"] and not outcome.refused:
            self.stdout.write(
                "Public figures: the last release is recent; none due (--release-now to publish)."
            )
        if options["schedule"] and schedule_daily_stats_refresh():
            self.stdout.write("The daily statistics job is queued on the task worker.")
        if figures.failed:
            self.stderr.write(figures.failed.summary())
        if outcome.refused:
            raise CommandError(f"Public figures: refused. {outcome.refused}")
        if figures.failed:
            raise CommandError("Some accounts failed: see above (the exit status is 1).")
