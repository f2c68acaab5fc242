"""SQLite: a backup is a SQLite file made with SQLite's online backup API (a consistent copy
while the platform reads and writes), in rollback-journal mode so it is one self-contained file,
with a table `routinie_backup` holding when it was taken.

A restore copies the backup through the same API into the live database: one write transaction
under SQLite's own lock, so it lands whole or not at all, the WAL stays consistent, and the
running processes read the restored rows at once (their open connections see the new file
content, not a replaced inode)."""

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path

from django.db import connections

from routinie.core.backup.kinds import BackupInfo, BackupRefused
from routinie.core.files import fsync_path

LOCK_WAIT_SECONDS = 20.0


def _database() -> Path:
    return Path(str(connections["default"].settings_dict["NAME"])).resolve()


def _private_empty_file(path: Path) -> None:
    """An empty file (a valid empty SQLite database) only this user can read: it will hold
    personal data."""
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


@contextmanager
def _temporary_beside(path: Path) -> Iterator[Path]:
    """A private scratch file in `path`'s directory (so a rename to `path` is atomic)."""
    scratch = path.with_name(f".{path.name}.{os.getpid()}.part")
    _private_empty_file(scratch)
    try:
        yield scratch
    finally:
        for leftover in (scratch, scratch.with_name(scratch.name + "-journal")):
            leftover.unlink(missing_ok=True)


def take(path: Path) -> BackupInfo:
    database = _database()
    if path.resolve() == database:
        raise BackupRefused(f"{path} is the database itself: write the backup somewhere else.")
    # Recorded before the copy starts, so it is never later than the moment copied.
    taken_at = datetime.now(UTC)
    try:
        with _temporary_beside(path) as scratch:
            with (
                closing(sqlite3.connect(database, timeout=LOCK_WAIT_SECONDS)) as source,
                closing(sqlite3.connect(scratch)) as target,
            ):
                source.backup(target)  # every page in one step: one consistent snapshot
                target.execute("PRAGMA journal_mode=DELETE")
                target.execute("CREATE TABLE routinie_backup (taken_at TEXT NOT NULL)")
                target.execute("INSERT INTO routinie_backup VALUES (?)", (taken_at.isoformat(),))
                target.commit()
            fsync_path(scratch)
            os.replace(scratch, path)
            fsync_path(path.parent)
    except (sqlite3.Error, OSError) as error:
        raise BackupRefused(f"The backup could not be written to {path}: {error}.") from error
    return BackupInfo("sqlite", taken_at)


def _open_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _read_mark(connection: sqlite3.Connection, path: Path) -> datetime:
    try:
        if connection.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise BackupRefused(f"{path} is damaged (SQLite's quick_check fails).")
        rows = connection.execute("SELECT taken_at FROM routinie_backup").fetchall()
        connection.execute("SELECT 1 FROM django_migrations LIMIT 1").fetchall()
    except sqlite3.DatabaseError as error:
        raise BackupRefused(
            f"{path} is an SQLite database, but not a backup made by `routinie backup` ({error})."
        ) from error
    try:
        (taken_at,) = (datetime.fromisoformat(row[0]) for row in rows)
    except (ValueError, TypeError) as error:
        raise BackupRefused(f"{path} does not say when it was taken.") from error
    if taken_at.tzinfo is None:
        raise BackupRefused(f"{path} does not say when it was taken.")
    return taken_at


def inspect(path: Path) -> BackupInfo:
    try:
        with closing(_open_read_only(path)) as connection:
            return BackupInfo("sqlite", _read_mark(connection, path))
    except sqlite3.Error as error:
        raise BackupRefused(f"{path} cannot be read as SQLite ({error}).") from error


def restore(path: Path) -> None:
    database = _database()
    database.parent.mkdir(parents=True, exist_ok=True)
    try:
        # The backup itself is never written to: a staging copy loses the mark first.
        with (
            _temporary_beside(database) as staging,
            closing(_open_read_only(path)) as backup,
            closing(sqlite3.connect(staging)) as staged,
        ):
            _read_mark(backup, path)
            backup.backup(staged)
            staged.execute("DROP TABLE routinie_backup")
            staged.commit()
            with closing(sqlite3.connect(database, timeout=LOCK_WAIT_SECONDS)) as live:
                staged.backup(live)  # one write transaction: whole or not at all
    except (sqlite3.Error, OSError) as error:
        raise BackupRefused(
            f"The database could not be restored from {path} ({error}); it was not changed."
        ) from error
