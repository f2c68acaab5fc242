"""The data export (P18): a zip of every personal field the registry lists for one user.

The archive is generated from the registry (`registry.TABLES`), like /privacy/data/: every table
with an owner gives `<app>_<model>.json` (a JSON list of objects) and `<app>_<model>.csv` with
the fields the registry lists for it, minus those it flags `secret`; `README.txt`
explains each file and each column with the registry's purpose, category and retention.

Rows are streamed from the database in chunks and written straight into the zip, so building
takes the same memory for ten entries as for a million. The archive is built in the background
(`routinie.privacy.tasks.build_export`); the task claims the export with a conditional update,
so two workers never build the same one, and running it twice is harmless.
"""

import csv
import io
import logging
import os
import uuid
import zipfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from routinie.accounts.models import User
from routinie.core.errors import RateLimited
from routinie.core.spreadsheet_safety import guard_formula
from routinie.privacy.export_parts import Part, archive_parts
from routinie.privacy.export_readme import readme
from routinie.privacy.models import DataExport

logger = logging.getLogger(__name__)

Status = DataExport.Status
RUNNING = (Status.QUEUED, Status.BUILDING)

ARCHIVE_LIFETIME = timedelta(days=7)  # registry.EXPORT_RETENTION
EXPORTS_PER_DAY = 5
DAY = timedelta(days=1)
# A queued or building export older than this was lost (its worker died): it no longer blocks
# a new one, and its task, if it ever runs, finds it taken and does nothing.
LOST_AFTER = timedelta(hours=2)

# Secrets (the registry's fields flagged `secret`) are never exported. Each either lets its
# holder sign in or act as the user (a session key, the signed session data) or is a hash of
# such a secret (the password hash, a token's hash) that would only help someone guess the
# secret. The user gains nothing from a copy, and an archive lying in a downloads folder must
# not be a way into the account. README.txt lists them as left out, with the reason.


# --- Where archives lie ----------------------------------------------------------------------
def exports_dir() -> Path:
    return Path(settings.DATA_DIR) / "exports"


def archive_path(export: DataExport) -> Path:
    """The archive's path: from the export's id only (a UUID), never from user input."""
    return exports_dir() / f"{uuid.UUID(str(export.pk))}.zip"


def _partial_path(final: Path) -> Path:
    return final.with_name(final.name + ".part")


def delete_archive_file(export: DataExport) -> bool:
    """Remove the export's archive (and a half-written one) if present; True if one was there.

    Needs no database: it works for an export whose row is already deleted (account erasure,
    the retention purge)."""
    final = archive_path(export)
    removed = False
    for path in (final, _partial_path(final)):
        try:
            path.unlink()
            removed = True
        except FileNotFoundError:
            pass
    return removed


# --- Writing the archive ------------------------------------------------------------------------
def _private_file(path: Path) -> IO[bytes]:
    """A new file only this process's user can read (it holds personal data)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    return os.fdopen(descriptor, "wb")


_ENCODER = DjangoJSONEncoder(ensure_ascii=False)


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return guard_formula(value)
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, dict)):  # a JSON field
        return guard_formula(_ENCODER.encode(value))
    encoded = _ENCODER.default(value)  # dates, times, UUIDs, decimals: as in the JSON
    return str(encoded)


def _text(archive: zipfile.ZipFile, name: str) -> io.TextIOWrapper:
    binary = archive.open(name, "w", force_zip64=True)  # any size
    return io.TextIOWrapper(binary, encoding="utf-8", newline="")


def _write_json(archive: zipfile.ZipFile, part: Part, user_id: Any) -> int:
    keys = [c.column for c in part.columns]
    count = 0
    with _text(archive, part.files[0]) as out:
        out.write("[")
        for row in part.rows(user_id):
            out.write(",\n" if count else "\n")
            out.write(_ENCODER.encode(dict(zip(keys, row, strict=True))))
            count += 1
        out.write("\n]\n" if count else "]\n")
    return count


def _write_csv(archive: zipfile.ZipFile, part: Part, user_id: Any) -> None:
    with _text(archive, part.files[1]) as out:
        writer = csv.writer(out)
        writer.writerow([c.column for c in part.columns])
        for row in part.rows(user_id):
            writer.writerow([_csv_cell(value) for value in row])


def write_archive(
    target: IO[bytes],
    user: User,
    *,
    exported_at: datetime,
    on_progress: Callable[[int], None] = lambda percent: None,
) -> dict[str, int]:
    """Write the user's archive into `target`; returns the row count of each table's files.

    `on_progress` gets a percentage after each table (never 100: that is for "ready")."""
    parts = archive_parts()
    counts: dict[str, int] = {}
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, part in enumerate(parts, start=1):
            counts[part.base] = _write_json(archive, part, user.pk)
            _write_csv(archive, part, user.pk)
            on_progress(done * 100 // (len(parts) + 1))
        with _text(archive, "README.txt") as out:
            out.write(readme(parts, counts, exported_at))
    return counts


# --- Building (the task's body) ---------------------------------------------------------------
class _Abandoned(Exception):
    """The export was deleted or given up while building: its file must go."""


def _claim(export_id: str) -> DataExport | None:
    try:
        pk = uuid.UUID(str(export_id))
    except ValueError:
        return None
    claimed = DataExport.objects.filter(pk=pk, status=Status.QUEUED).update(
        status=Status.BUILDING, progress=0
    )
    if not claimed:  # another worker has it, or it is done, lost or deleted
        return None
    return DataExport.objects.select_related("user").filter(pk=pk).first()


def _set_progress(export: DataExport, percent: int) -> None:
    if not DataExport.objects.filter(pk=export.pk, status=Status.BUILDING).update(progress=percent):
        raise _Abandoned


def build_archive(export_id: str) -> bool:
    """Build one export's archive; True when it is ready. Safe to run twice, or concurrently."""
    export = _claim(export_id)
    if export is None:
        return False
    final = archive_path(export)
    partial = _partial_path(final)
    try:
        exports_dir().mkdir(parents=True, exist_ok=True)
        with _private_file(partial) as target:
            write_archive(
                target,
                export.user,
                exported_at=timezone.now(),
                on_progress=lambda percent: _set_progress(export, percent),
            )
        os.replace(partial, final)
        finished = timezone.now()
        ready = DataExport.objects.filter(pk=export.pk, status=Status.BUILDING).update(
            status=Status.READY,
            progress=100,
            file_name=final.name,
            size_bytes=final.stat().st_size,
            finished_at=finished,
            expires_at=finished + ARCHIVE_LIFETIME,
        )
        if not ready:
            raise _Abandoned
    except _Abandoned:
        delete_archive_file(export)
        logger.info("Export %s was deleted or given up while building.", export.pk)
        return False
    except Exception:
        logger.exception("Export %s failed.", export.pk)
        delete_archive_file(export)
        DataExport.objects.filter(pk=export.pk, status=Status.BUILDING).update(
            status=Status.FAILED, finished_at=timezone.now()
        )
        return False
    logger.info("Export %s is ready.", export.pk)
    return True


# --- Starting, finding, downloading -----------------------------------------------------------
def _give_up_lost(user: User, now: datetime) -> None:
    lost = DataExport.objects.filter(user=user, status__in=RUNNING, created_at__lt=now - LOST_AFTER)
    for export in lost:
        if DataExport.objects.filter(pk=export.pk, status__in=RUNNING).update(
            status=Status.FAILED, finished_at=now
        ):
            delete_archive_file(export)


def start_export(*, user: User) -> DataExport:
    """Ask for an archive: a new queued export, or the one already queued or building.

    At most `EXPORTS_PER_DAY` exports a day (RateLimited after that)."""
    now = timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one start at a time
        _give_up_lost(user, now)
        running = (
            DataExport.objects.filter(user=user, status__in=RUNNING).order_by("-created_at").first()
        )
        if running is not None:
            return running
        today = list(
            DataExport.objects.filter(user=user, created_at__gt=now - DAY)
            .order_by("created_at")
            .values_list("created_at", flat=True)
        )
        if len(today) >= EXPORTS_PER_DAY:
            frees_up = today[-EXPORTS_PER_DAY] + DAY
            raise RateLimited(
                f"You can export your data {EXPORTS_PER_DAY} times a day. Please try again later.",
                max(1, int((frees_up - now).total_seconds()) + 1),
            )
        export = DataExport.objects.create(user=user, created_at=now)
        from routinie.privacy.tasks import build_export

        export_id = str(export.pk)
        transaction.on_commit(lambda: build_export.enqueue(export_id))
    return export


def export_of(user: User, export_id: Any) -> DataExport | None:
    """The user's export with this id, or None (also for someone else's)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return DataExport.objects.filter(pk=export_id, user=user).first()


def latest_export(user: User) -> DataExport | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return DataExport.objects.filter(user=user).order_by("-created_at").first()


EXPIRED = "expired"


def state_of(export: DataExport, now: datetime | None = None) -> str:
    """queued, building, ready, failed, or "expired" (ready, but past its 7 days)."""
    now = now or timezone.now()
    if export.status == Status.READY and (export.expires_at is None or export.expires_at <= now):
        return EXPIRED
    return str(export.status)


def download_name(export: DataExport, zone_name: str = "UTC") -> str:
    """routinie-export-YYYY-MM-DD.zip, the day the archive was made in the user's time zone."""
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    day = (export.finished_at or export.created_at).astimezone(zone)
    return f"routinie-export-{day:%Y-%m-%d}.zip"
