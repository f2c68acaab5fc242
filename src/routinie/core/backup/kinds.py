"""What a backup is: its engine and when it was taken; and the one refusal."""

from dataclasses import dataclass
from datetime import datetime

SQLITE_MAGIC = b"SQLite format 3\x00"
POSTGRES_MAGIC = b"PGDMP"


class BackupRefused(Exception):
    """A backup cannot be taken, read or restored; the message says why. Nothing was changed."""


@dataclass(frozen=True)
class BackupInfo:
    engine: str  # "sqlite" or "postgresql"
    taken_at: datetime  # aware, UTC: no later than the moment the copy is of
