"""Download of a user's time entries as CSV or JSON, streamed in chunks (bounded memory).

The CSV is Routinie's own format, which the import recognises: a round trip loses nothing.
"""

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.http import StreamingHttpResponse
from django.utils import timezone

from routinie.accounts.models import User
from routinie.core.errors import InvalidInput
from routinie.core.spreadsheet_safety import guard_formula
from routinie.tracking.calendar import zone_of
from routinie.tracking.entries.breaks import Span, break_seconds
from routinie.tracking.entries.selectors import duration_seconds, entries_matching
from routinie.tracking.models import EntryBreak, TimeEntry
from routinie.tracking.ownership import owned
from routinie.tracking.reports.selectors import NO_FILTERS, Filters

CSV_COLUMNS = [
    "id",
    "description",
    "project",
    "project_id",
    "tags",
    "start",
    "end",
    "duration_seconds",
    "break_seconds",
    "breaks",
]
CHUNK = 2000


def _tags_of(entry_ids: list[Any]) -> dict[Any, list[str]]:
    """Tag names of these entries, in one query."""
    tags: dict[Any, list[str]] = {}
    links = TimeEntry.tags.through.objects.filter(timeentry_id__in=entry_ids)
    for entry_id, name in links.order_by("tag__name").values_list("timeentry_id", "tag__name"):
        tags.setdefault(entry_id, []).append(name)
    return tags


def _breaks_of(entry_ids: list[Any]) -> dict[Any, list[Span]]:
    """Breaks of these entries, oldest first, in one query."""
    spans: dict[Any, list[Span]] = {}
    rows = EntryBreak.objects.filter(entry_id__in=entry_ids).order_by("start")
    for entry_id, start, end in rows.values_list("entry_id", "start", "end"):
        spans.setdefault(entry_id, []).append((start, end))
    return spans


def _chunks(rows: Iterator[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _rows(
    user: User, first: date | None, last: date | None, filters: Filters = NO_FILTERS
) -> Iterator[dict[str, Any]]:
    """The entries as plain values, read in chunks with one tag query per chunk (no model
    objects: the export of ten years of entries stays fast and its memory flat)."""
    zone = zone_of(user)
    entries = entries_matching(
        filters.apply(owned(TimeEntry, user)).order_by("start", "id"),
        user=user,
        first=first,
        last=last,
    )
    columns = ("id", "description", "project__name", "project_id", "start", "end")
    now = timezone.now()
    for chunk in _chunks(entries.values_list(*columns).iterator(chunk_size=CHUNK)):
        tags = _tags_of([row[0] for row in chunk])
        breaks = _breaks_of([row[0] for row in chunk])
        for entry_id, description, project, project_id, start, end in chunk:
            spans = breaks.get(entry_id, [])
            paused = round(break_seconds(spans, now))
            yield {
                "id": str(entry_id),
                "description": description,
                "project": project or "",
                "project_id": str(project_id) if project_id else "",
                "tags": tags.get(entry_id, []),
                "start": start.astimezone(zone).isoformat(),
                "end": end.astimezone(zone).isoformat() if end else "",
                "duration_seconds": max(0, duration_seconds(start, end, now) - paused),
                "break_seconds": paused,
                "breaks": [
                    {
                        "start": s.astimezone(zone).isoformat(),
                        "end": e.astimezone(zone).isoformat() if e else None,
                    }
                    for s, e in spans
                ],
            }


def _csv_lines(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                **row,
                "description": guard_formula(row["description"]),
                "project": guard_formula(row["project"]),
                "tags": ", ".join(guard_formula(t) for t in row["tags"]),
                "breaks": "; ".join(f"{b['start']}/{b['end'] or ''}" for b in row["breaks"]),
            }
        )
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _json_chunks(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    yield '{"time_entries": ['
    for i, row in enumerate(rows):
        yield ("," if i else "") + json.dumps(row, ensure_ascii=False)
    yield "]}"


def export_entries(
    *,
    user: User,
    file_format: str,
    first: date | None = None,
    last: date | None = None,
    filters: Filters = NO_FILTERS,
) -> StreamingHttpResponse:
    """A streamed download of the user's entries (start in local days first..last)."""
    if file_format not in {"csv", "json"}:
        raise InvalidInput.on("format", "The format is csv or json.")
    rows = _rows(user, first, last, filters)
    if file_format == "csv":
        response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(_json_chunks(rows), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="routinie-time-entries.{file_format}"'
    return response
