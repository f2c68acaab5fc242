"""A consistent copy of the database while the platform runs, and putting one back.

`take_backup(path)` writes the copy (SQLite: a SQLite file made with SQLite's online backup
API; PostgreSQL: a `pg_dump` custom-format file), `inspect_backup(path)` says what a file is and
when it was taken (or refuses it), and `restore_backup(path)` puts it in place of the database,
whole or not at all. Each records when it was taken inside the file, so the erasures recorded
since can be applied again (privacy/restore.py). The engine's details are in `sqlite_copy.py`
and `postgres_dump.py`; this module only says which one a file and the platform are.
"""

from pathlib import Path

from django.db import connections

from routinie.core.backup import postgres_dump, sqlite_copy
from routinie.core.backup.kinds import (
    POSTGRES_MAGIC,
    SQLITE_MAGIC,
    BackupInfo,
    BackupRefused,
)

__all__ = ["BackupInfo", "BackupRefused", "inspect_backup", "restore_backup", "take_backup"]

ENGINES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
FILE_KINDS = {"sqlite": "an SQLite database", "postgresql": "a PostgreSQL dump (pg_dump)"}


def _platform_engine() -> str:
    vendor = connections["default"].vendor
    if vendor not in ENGINES:
        raise BackupRefused(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _engine_of_file(path: Path) -> str:
    if not path.exists():
        raise BackupRefused(f"There is no file {path}.")
    if not path.is_file():
        raise BackupRefused(f"{path} is not a file.")
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise BackupRefused(f"{path} cannot be read ({error.strerror}).") from error
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(POSTGRES_MAGIC):
        return "postgresql"
    raise BackupRefused(f"{path} is not a backup made by `routinie backup`.")


def take_backup(path: Path) -> BackupInfo:
    """Write a consistent copy of the database to `path` (replacing it whole once complete)."""
    engine = _platform_engine()
    if path.is_dir():
        raise BackupRefused(f"{path} is a directory: give the backup file's name.")
    if not path.parent.is_dir():
        raise BackupRefused(f"There is no directory {path.parent}.")
    if engine == "sqlite":
        return sqlite_copy.take(path)
    return postgres_dump.take(path)


def inspect_backup(path: Path) -> BackupInfo:
    """What the backup at `path` is and when it was taken; refuses anything else, and a backup
    of the other engine than the platform's."""
    engine = _platform_engine()
    found = _engine_of_file(path)
    if found != engine:
        raise BackupRefused(
            f"{path} is {FILE_KINDS[found]}, but this platform runs on {ENGINES[engine]}: "
            f"a backup is restored on the engine it was taken from."
        )
    if engine == "sqlite":
        return sqlite_copy.inspect(path)
    return postgres_dump.inspect(path)


def restore_backup(path: Path) -> BackupInfo:
    """Put the backup at `path` in place of the database, whole or not at all."""
    info = inspect_backup(path)
    connections.close_all()
    if info.engine == "sqlite":
        sqlite_copy.restore(path)
    else:
        postgres_dump.restore(path)
    return info
