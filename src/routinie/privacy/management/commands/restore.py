"""`routinie restore PATH`: put a backup back, then apply again every erasure made since."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from routinie.core.backup import BackupRefused
from routinie.privacy.restore import restore


class Command(BaseCommand):
    help = (
        "Replace the database with the backup at PATH (made by `routinie backup`), then erase "
        "again every account the erasure journal recorded since the backup was taken."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the backup file to restore")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done = restore(options["path"])
        except BackupRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(
            f"Restored the database from the backup taken at "
            f"{done.backup.taken_at:%Y-%m-%d %H:%M:%S} UTC."
        )
        self.stdout.write(
            f"Erasure journal: {done.recorded} account(s) erased since the backup; "
            f"{done.erased_again} erased again, {done.recorded - done.erased_again} not in it."
        )
        self.stdout.write(
            f"Export archives: {done.archives_removed} made after the backup removed."
        )
