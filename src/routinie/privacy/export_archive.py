"""The data export (P18): a zip of every personal field the registry lists for one user.

The archive is generated from the registry (`registry.TABLES`), like /privacy/data/: every table
with an owner gives `<app>_<model>.json` (a JSON list of objects) and `<app>_<model>.csv` with
the fields the registry lists for it, minus those it flags `secret`; `README.txt`
explains each file and each column with the registry's purpose, category and retention.

Rows are streamed from the database in chunks and written straight into the zip, so building
takes the same memory for ten entries as for a million. The archive is built in the background
(`routinie.privacy.tasks.build_export`); the task claims the export with a conditional update,
so two workers never build the same one, and running it twice is harmless.

A worker can die while it builds (kill -9, out of memory). The task queue then runs the task
again (`core/task_leases.py`), and that run takes the export over: it becomes the export's next
`attempt`, removes the dead run's partial file, starts again at 0 % and writes its own
`<id>.<attempt>.zip.part`. A run that is no longer the owner (it was only frozen, and another
took over) stops at its next step and removes only its own partial file; only the owner may
move its file into place, in the same transaction that marks the export ready. An export whose
task is gone for good (failed, or never queued) is given up when its person asks for a new
one, and a starting worker removes the partial files of runs that are over.
"""

import csv
import io
import logging
import os
import time
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
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from routinie.accounts.models import User
from routinie.core.errors import RateLimited
from routinie.core.replica import run_lag_tolerant
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
# Without the database task queue (TASKS_BACKEND=immediate, which builds in the request), a
# queued or building export older than this was lost: it no longer blocks a new one. With the
# queue, an export is lost as soon as no run of its task is waiting or running.
LOST_AFTER = timedelta(hours=2)
LIVE_TASK_STATES = ("READY", "RUNNING")

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


def partial_path(export: DataExport, attempt: int) -> Path:
    """Where build run `attempt` writes the archive before it is complete."""
    return exports_dir() / f"{uuid.UUID(str(export.pk))}.{attempt}.zip.part"


def _partial_files(export: DataExport) -> list[Path]:
    """Every half-written archive of the export (of any run), on disk now."""
    return sorted(exports_dir().glob(f"{uuid.UUID(str(export.pk))}.*part"))


def _unlink(path: Path) -> bool:
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def delete_partial_files(export: DataExport, *, keep: int | None = None) -> int:
    """Remove the export's half-written archives (but run `keep`'s); how many were there."""
    kept = partial_path(export, keep) if keep is not None else None
    return sum(_unlink(path) for path in _partial_files(export) if path != kept)


def delete_archive_file(export: DataExport) -> bool:
    """Remove the export's archive (and any half-written one) if present; True if one was there.

    Needs no database: it works for an export whose row is already deleted (account erasure,
    the retention purge)."""
    removed = _unlink(archive_path(export))
    return bool(delete_partial_files(export)) or removed


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
    """The export was deleted, given up or taken over by another run while building."""


def _claim(export_id: str, *, take_over: bool) -> DataExport | None:
    """The export, now owned by this run (its next `attempt`, progress 0), or None.

    A queued export is claimed; a building one only when `take_over` (the task runs again
    because the worker of the first run died): the dead run's partial file is removed."""
    try:
        pk = uuid.UUID(str(export_id))
    except ValueError:
        return None
    claimable = [Status.QUEUED, Status.BUILDING] if take_over else [Status.QUEUED]
    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=pk, status__in=claimable)
            .first()
        )
        if export is None:  # another worker has it, or it is done, lost or deleted
            return None
        export.attempt += 1
        export.status = Status.BUILDING
        export.progress = 0
        export.save(update_fields=["attempt", "status", "progress"])
    if delete_partial_files(export, keep=export.attempt):
        logger.info("Export %s: a stopped run's partial file removed.", export.pk)
    return export


def _owned(export: DataExport) -> QuerySet[DataExport]:
    return DataExport.objects.filter(pk=export.pk, status=Status.BUILDING, attempt=export.attempt)


def _set_progress(export: DataExport, percent: int) -> None:
    if not _owned(export).update(progress=percent):
        raise _Abandoned
    _wait_at_test_gate()


def _wait_at_test_gate() -> None:
    """Tests only (EXPORT_TEST_GATE): hold the build while the gate file exists."""
    gate = settings.EXPORT_TEST_GATE
    while gate and Path(gate).exists():
        time.sleep(0.05)


def _finish(export: DataExport, partial: Path, final: Path) -> None:
    """Mark the export ready and move its file into place, together, if this run owns it."""
    finished = timezone.now()
    with transaction.atomic():
        ready = _owned(export).update(
            status=Status.READY,
            progress=100,
            file_name=final.name,
            size_bytes=partial.stat().st_size,
            finished_at=finished,
            expires_at=finished + ARCHIVE_LIFETIME,
        )
        if not ready:
            raise _Abandoned
        os.replace(partial, final)  # a failure here rolls the "ready" back


def _write_partial(export: DataExport, partial: Path) -> None:
    """Write the archive into this run's partial file (anew when it runs again). Its reads of
    the person's data tolerate lag: with a replica, they come from it once it has the person's
    last write (asking for the export was one); the progress is written to the primary."""
    with _private_file(partial) as target:
        write_archive(
            target,
            export.user,
            exported_at=timezone.now(),
            on_progress=lambda percent: _set_progress(export, percent),
        )


def build_archive(export_id: str, *, take_over: bool = False) -> bool:
    """Build one export's archive; True when it is ready. Safe to run twice, or concurrently;
    `take_over` (a run again after a worker died) restarts a building export."""
    export = _claim(export_id, take_over=take_over)
    if export is None:
        return False
    final = archive_path(export)
    partial = partial_path(export, export.attempt)
    try:
        exports_dir().mkdir(parents=True, exist_ok=True)
        run_lag_tolerant(export.user_id, lambda: _write_partial(export, partial))
        _finish(export, partial, final)
    except _Abandoned:
        _unlink(partial)  # its own file only: another run may own the export now
        if not DataExport.objects.filter(pk=export.pk).exclude(status=Status.FAILED).exists():
            delete_archive_file(export)  # deleted or given up: nothing of it may stay
        logger.info("Export %s was deleted, given up or taken over while building.", export.pk)
        return False
    except Exception:
        logger.exception("Export %s failed.", export.pk)
        _unlink(partial)
        _owned(export).update(status=Status.FAILED, finished_at=timezone.now())
        return False
    logger.info("Export %s is ready.", export.pk)
    return True


def give_up(export_id: Any) -> bool:
    """Mark a queued or building export failed and remove its files (its task failed for
    good); True when it was still running."""
    export = DataExport.objects.filter(pk=export_id).first()
    if export is None:
        return False
    now = timezone.now()
    if not DataExport.objects.filter(pk=export.pk, status__in=RUNNING).update(
        status=Status.FAILED, finished_at=now
    ):
        return False
    delete_archive_file(export)
    return True


def remove_partial_files_of_finished_runs() -> int:
    """Remove every partial archive whose run is over (a worker's start-up): the export is
    gone, no longer building, or owned by a later run. Returns how many were removed."""
    folder = exports_dir()
    if not folder.is_dir():
        return 0
    removed = 0
    for path in folder.glob("*.part"):
        export_id, _, rest = path.name.partition(".")
        attempt = rest.split(".")[0] if rest.endswith("zip.part") else ""
        try:
            pk = uuid.UUID(export_id)
        except ValueError:
            continue  # not ours
        current = DataExport.objects.filter(pk=pk, status=Status.BUILDING)
        if not attempt.isdigit() or not current.filter(attempt=int(attempt)).exists():
            removed += _unlink(path)
    return removed


# --- Starting, finding, downloading -----------------------------------------------------------
def _queued_in_the_database() -> bool:
    from routinie.privacy.tasks import build_export

    return isinstance(build_export.get_backend(), DatabaseBackend)


def _has_live_task(export: DataExport) -> bool:
    """Whether a run of the export's task is waiting or running (the database queue)."""
    from routinie.privacy.tasks import build_export

    return DBTaskResult.objects.filter(
        task_path=build_export.module_path,
        status__in=LIVE_TASK_STATES,
        args_kwargs__args__0=str(export.pk),
    ).exists()


def _give_up_lost(user: User, now: datetime) -> None:
    """Exports that will never finish stop blocking a new one (and their files go)."""
    running = DataExport.objects.filter(user=user, status__in=RUNNING)
    if _queued_in_the_database():
        lost = [export for export in running if not _has_live_task(export)]
    else:
        lost = list(running.filter(created_at__lt=now - LOST_AFTER))
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
        if _queued_in_the_database():  # the export and its task commit together
            build_export.enqueue(export_id)
        else:  # the immediate backend builds at once: after the export is committed
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
