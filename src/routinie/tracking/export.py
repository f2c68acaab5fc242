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

from routinie.core.errors import InvalidInput
from routinie.tracking.calendar import day_range, zone_of
from routinie.tracking.importing import FORMULA_STARTS
from routinie.tracking.selectors import entries_of

CSV_COLUMNS = [
    "id",
    "description",
    "project",
    "project_id",
    "tags",
    "start",
    "end",
    "duration_seconds",
]
CHUNK = 2000


def _rows(user: Any, first: date | None, last: date | None) -> Iterator[dict[str, Any]]:
    zone = zone_of(user)
    entries = entries_of(user).select_related("project").order_by("start", "id")
    if first is not None:
        entries = entries.filter(start__gte=day_range(first, first, zone)[0])
    if last is not None:
        entries = entries.filter(start__lt=day_range(last, last, zone)[1])
    now = timezone.now()
    for entry in entries.iterator(chunk_size=CHUNK):
        end = entry.end or now
        yield {
            "id": str(entry.id),
            "description": entry.description,
            "project": entry.project.name if entry.project else "",
            "project_id": str(entry.project_id) if entry.project_id else "",
            "tags": [t.name for t in entry.tags.all()],
            "start": entry.start.astimezone(zone).isoformat(),
            "end": entry.end.astimezone(zone).isoformat() if entry.end else "",
            "duration_seconds": max(0, round((end - entry.start).total_seconds())),
        }


def guard_formula(text: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (CSV injection);
    Routinie's own import takes it off again."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


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
    *, user: Any, file_format: str, first: date | None = None, last: date | None = None
) -> StreamingHttpResponse:
    """A streamed download of the user's entries (start in local days first..last)."""
    if file_format not in {"csv", "json"}:
        raise InvalidInput.on("format", "The format is csv or json.")
    rows = _rows(user, first, last)
    if file_format == "csv":
        response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(_json_chunks(rows), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="routinie-time-entries.{file_format}"'
    return response
