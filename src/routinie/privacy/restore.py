"""Restoring a backup without bringing an erased person back (P18).

`restore(path)` checks the backup and the erasure journal before it changes anything, puts the
backup in place of the database (core/backup), then applies again every erasure the journal
recorded since the backup was taken (and a margin for clocks), and removes the export archives
on disk that no restored export points to (made after the backup: those of someone erased since
are among them). The journal holds account ids only, so what is said is counts.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.utils import timezone

from routinie.core.backup import BackupInfo, BackupRefused, inspect_backup, restore_backup
from routinie.privacy import erasure_journal
from routinie.privacy.erasure import erase_again
from routinie.privacy.export_archive import exports_dir
from routinie.privacy.models import DataExport

# Erasures recorded this long before the backup's time are applied again too: the clocks of the
# machines that record erasures and take backups may differ a little, and an erasure is
# recorded just before it commits. Applying one already in the backup changes nothing.
CLOCK_MARGIN = timedelta(minutes=10)


@dataclass(frozen=True)
class Restored:
    backup: BackupInfo
    recorded: int  # erasures the journal recorded since the backup
    erased_again: int  # accounts the backup held and the replay erased
    archives_removed: int  # export archives on disk no restored export points to


def check(path: Path, now: datetime | None = None) -> tuple[BackupInfo, list[str]]:
    """The backup, and the accounts to erase again after restoring it; refuses (BackupRefused)
    when restoring it could bring an erased person back. Changes nothing."""
    info = inspect_backup(path)
    now = now or timezone.now()
    if info.taken_at < now - erasure_journal.kept_for():
        raise BackupRefused(
            f"{path} was taken on {info.taken_at:%Y-%m-%d}, longer ago than the erasure journal "
            f"keeps its records (ERASURE_JOURNAL_DAYS = {erasure_journal.kept_for().days}): "
            "people erased since could come back. Nothing was changed."
        )
    if not erasure_journal.exists():
        raise BackupRefused(
            f"There is no erasure journal at {erasure_journal.journal_path()}: without it, "
            "people erased since the backup would come back. Put it back (ERASURE_JOURNAL), or, "
            "if no account was erased since the backup, create it empty and restore again. "
            "Nothing was changed."
        )
    try:
        return info, _erased_since(info)
    except erasure_journal.JournalUnreadable as error:
        raise BackupRefused(f"{error} Nothing was changed.") from error


def _erased_since(info: BackupInfo) -> list[str]:
    erasures = erasure_journal.erasures_since(info.taken_at - CLOCK_MARGIN)
    return list(dict.fromkeys(erasure.account_id for erasure in erasures))


def _remove_orphan_archives() -> int:
    """Archives (and half-written ones) whose export is not in the restored database."""
    removed = 0
    for file in sorted(exports_dir().glob("*.zip*")):
        try:
            export_id = uuid.UUID(file.name.split(".", 1)[0])
        except ValueError:
            continue  # not an archive's name
        if not DataExport.objects.filter(pk=export_id).exists():
            file.unlink(missing_ok=True)
            removed += 1
    return removed


def restore(path: Path) -> Restored:
    info, _ = check(path)
    restore_backup(path)
    # Read again: an erasure the running platform made while the backup was being put back is
    # in the journal now, and the restore may have undone it.
    try:
        accounts = _erased_since(info)
    except erasure_journal.JournalUnreadable as error:
        raise BackupRefused(
            f"The database was restored, but {error} Mend the journal and restore again: "
            "people erased since the backup may be back until then."
        ) from error
    erased = sum(erase_again(account_id=account_id) for account_id in accounts)
    return Restored(info, len(accounts), erased, _remove_orphan_archives())
