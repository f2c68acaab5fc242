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
import textwrap
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from routinie.accounts.models import User
from routinie.core.errors import RateLimited
from routinie.core.spreadsheet_safety import guard_formula
from routinie.privacy.models import DataExport
from routinie.privacy.registry import TABLES, Rule, Table

logger = logging.getLogger(__name__)

Status = DataExport.Status
RUNNING = (Status.QUEUED, Status.BUILDING)

ARCHIVE_LIFETIME = timedelta(days=7)  # registry.EXPORT_RETENTION
EXPORTS_PER_DAY = 5
DAY = timedelta(days=1)
# A queued or building export older than this was lost (its worker died): it no longer blocks
# a new one, and its task, if it ever runs, finds it taken and does nothing.
LOST_AFTER = timedelta(hours=2)
CHUNK = 2000

# Secrets (the registry's fields flagged `secret`) are never exported. Each either lets its
# holder sign in or act as the user (a session key, the signed session data) or is a hash of
# such a secret (the password hash, a token's hash) that would only help someone guess the
# secret. The user gains nothing from a copy, and an archive lying in a downloads folder must
# not be a way into the account. README.txt lists them as left out, with the reason.


# --- What goes into the archive, from the registry --------------------------------------------
@dataclass(frozen=True)
class Column:
    name: str  # the registry's field name
    column: str  # the key in the JSON and the CSV header: the attname (FKs: "<name>_id")
    rule: Rule


@dataclass(frozen=True)
class LeftOut:
    name: str
    rule: Rule
    why: str


@dataclass(frozen=True)
class Part:
    """One owned table of the registry: its two files and their columns."""

    table: Table
    model: type[models.Model]
    base: str  # file name without extension, e.g. "tracking_timeentry"
    columns: tuple[Column, ...]
    left_out: tuple[LeftOut, ...]

    @property
    def files(self) -> tuple[str, str]:
        return f"{self.base}.json", f"{self.base}.csv"

    def rows(self, user_id: Any) -> Iterator[tuple[Any, ...]]:
        """The user's rows, streamed in chunks (never the whole table in memory)."""
        rows = self.model._default_manager.filter(**{self.table.owner or "pk": user_id})
        names = [c.column for c in self.columns]
        return rows.order_by("pk").values_list(*names).iterator(chunk_size=CHUNK)


def _many_to_many_file(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    through = field.remote_field.through  # type: ignore[union-attr]
    return _base(through)


def _base(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}_{model._meta.model_name}"


def _part(table: Table) -> Part:
    model = apps.get_model(table.label)
    columns: list[Column] = []
    left_out: list[LeftOut] = []
    for name, rule in table.fields.items():
        field = model._meta.get_field(name)
        if rule.secret:
            left_out.append(LeftOut(name, rule, "a secret: never exported"))
        elif field.many_to_many:
            where = _many_to_many_file(model, name)
            left_out.append(LeftOut(name, rule, f"in {where}.json and {where}.csv"))
        else:
            columns.append(Column(name, field.attname, rule))
    return Part(table, model, _base(model), tuple(columns), tuple(left_out))


def archive_parts() -> list[Part]:
    """Every table of the registry that belongs to a user, in registry order."""
    return [_part(table) for table in TABLES if table.owner is not None]


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


# --- README.txt, from the registry ------------------------------------------------------------
WIDTH = 78
INTRO = """\
This archive holds every personal field Routinie keeps about your account, as listed in our
register of personal data (the same register generates the page "The data we keep",
/privacy/data/). Each table is here twice, with the same rows and columns:

  <name>.json  a JSON list with one object per row;
  <name>.csv   the same rows as a spreadsheet: UTF-8, comma-separated, a header line.

Dates and times are ISO 8601, in UTC. A column ending in "_id" holds the id of a row of
another file (or of a row that is not yours, such as the staff member in staff accesses).
In the CSV files a text starting with =, +, -, @, a tab or a carriage return gets a
leading apostrophe (') so that a spreadsheet does not run it as a formula; the JSON files
hold every text unchanged.

Left out on purpose: secrets. Your password is kept only as a hash, your API tokens only
as hashes and your sessions by their keys; none of these is in this archive, so that a copy
of it can never be used to sign in as you. They are listed below as "a secret".
"""


def _wrapped(text: str, indent: str, then: str | None = None) -> str:
    return textwrap.fill(
        text,
        WIDTH,
        initial_indent=indent,
        subsequent_indent=indent if then is None else then,
        break_on_hyphens=False,
        break_long_words=False,
    )


def _rule_text(rule: Rule) -> str:
    purpose = rule.purpose[:1].upper() + rule.purpose[1:]
    if not rule.personal:
        return f"{purpose}. Not personal. Kept: {rule.retention}."
    return f"{purpose}. Category: {rule.category}. Kept: {rule.retention}."


def _rows_text(count: int) -> str:
    return "1 row" if count == 1 else f"{count} rows"


def readme(parts: list[Part], counts: dict[str, int], exported_at: datetime) -> str:
    """README.txt: the export's date, then each file and each column, from the registry."""
    moment = exported_at.astimezone(UTC).replace(microsecond=0)
    title = "Your data from Routinie"
    lines = [
        title,
        "=" * len(title),
        "",
        f"Exported on {moment.day} {moment:%B %Y} at {moment:%H:%M} UTC"
        f" ({moment:%Y-%m-%dT%H:%M:%SZ}).",
        "",
        INTRO,
        "Files",
        "-----",
    ]
    for part in parts:
        json_file, csv_file = part.files
        lines += [
            "",
            f"{json_file}, {csv_file}",
            _wrapped(
                f"{part.table.holds[:1].upper()}{part.table.holds[1:]}: "
                f"{_rows_text(counts.get(part.base, 0))}.",
                "  ",
            ),
        ]
        for column in part.columns:
            lines += [f"  - {column.column}", _wrapped(_rule_text(column.rule), "      ")]
        for left in part.left_out:
            lines += [
                _wrapped(f"- {left.name}: {left.why}", "  ", "      "),
                _wrapped(_rule_text(left.rule), "      "),
            ]
    lines += ["", "README.txt", "  This file.", ""]
    return "\n".join(lines)


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


def export_of(user: Any, export_id: Any) -> DataExport | None:
    """The user's export with this id, or None (also for someone else's)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return DataExport.objects.filter(pk=export_id, user=user).first()


def latest_export(user: Any) -> DataExport | None:
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
