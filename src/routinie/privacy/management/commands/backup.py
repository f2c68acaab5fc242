"""`routinie backup PATH`: a consistent copy of the database while the platform runs (the copy
itself is core/backup's); it makes sure the erasure journal exists, which a restore needs."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from routinie.core.backup import BackupRefused, take_backup
from routinie.privacy import erasure_journal


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database to PATH while the platform runs (SQLite: a "
        "SQLite file; PostgreSQL: a pg_dump custom-format file). `routinie restore PATH` puts "
        "it back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the backup file to write (replaced whole)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            erasure_journal.ensure_exists()
            info = take_backup(options["path"])
        except OSError as error:
            raise CommandError(f"The erasure journal cannot be written: {error}") from error
        except BackupRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(
            f"Backup written to {options['path']} ({info.engine}, taken at "
            f"{info.taken_at:%Y-%m-%d %H:%M:%S} UTC)."
        )
