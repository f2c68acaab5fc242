"""The erasure journal: every account erasure, recorded outside the database, so a restore of a
backup taken before it applies it again (privacy/restore.py) and an erased person stays erased.

One line per erasure, `<time, ISO 8601 UTC> <account id>`, nothing else: no name, no e-mail
address. The file is append-only: each record is one `write` to a file opened with O_APPEND,
then fsync'd, under an exclusive lock (a `.lock` file beside it) that the trim takes too. It is
written when the account's row is deleted, before the deletion commits (write-ahead): if the
record cannot be written the erasure fails and nothing is deleted. A record whose deletion then
rolled back names an account whose erasure was asked for; a restore erases it, as was asked.

The daily purge trims records older than ERASURE_JOURNAL_DAYS, which must be longer than
backups are kept: `routinie restore` refuses a backup older than that.
"""

import fcntl
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings

from routinie.core.files import fsync_path

ACCOUNT_ID = re.compile(r"[0-9A-Za-z-]{1,64}")


class JournalUnreadable(Exception):
    """The journal has a line that is not a record; the message says where."""


@dataclass(frozen=True)
class Erasure:
    account_id: str  # the account's primary key (a random UUID), as text
    at: datetime

    def line(self) -> bytes:
        return f"{self.at.astimezone(UTC).isoformat()} {self.account_id}\n".encode()


def journal_path() -> Path:
    return Path(settings.ERASURE_JOURNAL)


def kept_for() -> timedelta:
    return timedelta(days=settings.ERASURE_JOURNAL_DAYS)


@contextmanager
def _locked() -> Iterator[Path]:
    path = journal_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield path
    finally:
        os.close(lock)  # closing releases the lock


def _append(path: Path, payload: bytes) -> None:
    created = not path.exists()
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        if payload:
            os.write(descriptor, payload)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    if created:
        fsync_path(path.parent)


def record(account_id: object, at: datetime | None = None) -> Erasure:
    """Append one erasure to the journal, durably, before returning."""
    erasure = Erasure(str(account_id), at or datetime.now(UTC))
    if not ACCOUNT_ID.fullmatch(erasure.account_id):
        raise ValueError(f"not an account id: {erasure.account_id!r}")
    with _locked() as path:
        _append(path, erasure.line())
    return erasure


def ensure_exists() -> Path:
    """Create the journal empty if there is none yet (a restore refuses a missing one)."""
    with _locked() as path:
        _append(path, b"")
    return path


def _parse(line: str, number: int) -> Erasure:
    try:
        at_text, id_text = line.split(" ")
        at = datetime.fromisoformat(at_text)
        if at.tzinfo is None:
            raise ValueError("no time zone")
        if not ACCOUNT_ID.fullmatch(id_text):
            raise ValueError("no account id")
        return Erasure(id_text, at)
    except ValueError as error:
        raise JournalUnreadable(
            f"{journal_path()} line {number} is not an erasure record ({error})."
        ) from error


def _read(path: Path) -> list[Erasure]:
    with path.open(encoding="ascii", errors="replace") as file:
        return [
            _parse(line.rstrip("\n"), number)
            for number, line in enumerate(file, start=1)
            if line.strip()
        ]


def exists() -> bool:
    return journal_path().is_file()


def erasures_since(moment: datetime) -> list[Erasure]:
    """Every erasure recorded at or after `moment`, oldest first (JournalUnreadable if any
    line is not a record: a restore must not go on with part of the journal)."""
    with _locked() as path:
        records = _read(path) if path.exists() else []
    return [erasure for erasure in records if erasure.at >= moment]


def _is_old(line: str, number: int, oldest: datetime) -> bool:
    try:
        return _parse(line, number).at < oldest
    except JournalUnreadable:
        return False  # never dropped: a restore reports it


def trim(now: datetime, *, dry_run: bool = False) -> int:
    """Remove the records older than ERASURE_JOURNAL_DAYS (the file replaced atomically, a
    line that is not a record kept); returns how many."""
    with _locked() as path:
        if not path.exists():
            return 0
        lines = path.read_bytes().decode("ascii", "replace").splitlines()
        keep = [
            line
            for number, line in enumerate(lines, start=1)
            if line.strip() and not _is_old(line, number, now - kept_for())
        ]
        removed = len([line for line in lines if line.strip()]) - len(keep)
        if dry_run or not removed:
            return removed
        scratch = path.with_name(path.name + ".trim")
        with open(os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as file:
            file.write("".join(f"{line}\n" for line in keep).encode("ascii", "replace"))
            file.flush()
            os.fsync(file.fileno())
        os.replace(scratch, path)
        fsync_path(path.parent)
        return removed
