"""Routinie's own exports, CSV and JSON: ISO times (with an offset, or local without one) and
the export's guard against spreadsheet formulas taken off again."""

import json
from datetime import UTC, datetime

from routinie.core.date_range import date_in_range
from routinie.core.spreadsheet_safety import unguard_formula
from routinie.tracking.transfer.csv_files import CsvHeader, field_value, width_problem
from routinie.tracking.transfer.parsed import (
    ImportContext,
    Instant,
    ParsedEntry,
    RowError,
    bad_value,
    finish_row,
    gap_message,
    localize,
    range_message,
    reject,
    too_many,
)


def _parse_iso(
    column: str, value: str, context: ImportContext, problems: list[str]
) -> Instant | None:
    example = "a date and time like 2026-11-24T09:30:00+02:00"
    value = value.strip()
    parsed = None
    # A bare date would silently mean midnight; an entry needs a time of day.
    if len(value) > 10:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
    if parsed is None:
        problems.append(bad_value(column, value, example))
        return None
    if not date_in_range(parsed.date()):
        problems.append(range_message(column, parsed))
        return None
    if parsed.tzinfo is not None:
        return Instant(parsed.astimezone(UTC))
    instant = localize(parsed, context)
    if instant is None:
        problems.append(gap_message(column, parsed, context))
    return instant


def _spans(
    pairs: list[tuple[str, str]], context: ImportContext, problems: list[str]
) -> list[tuple[Instant | None, Instant | None]]:
    """An export's breaks (start and end as written) as instants."""
    return [
        (
            _parse_iso("break start", start, context, problems),
            _parse_iso("break end", end, context, problems),
        )
        for start, end in pairs
    ]


def _csv_breaks(cell: str) -> list[tuple[str, str]]:
    """The CSV export's breaks cell: "start/end; start/end" (ISO 8601)."""
    return [
        (part.partition("/")[0], part.partition("/")[2]) for part in cell.split(";") if part.strip()
    ]


def _json_breaks(value: object, problems: list[str]) -> list[tuple[str, str]]:
    """The JSON export's breaks: a list of {start, end} objects."""
    if value is None:
        return []
    if isinstance(value, list) and all(
        isinstance(b, dict) and isinstance(b.get("start"), str) and isinstance(b.get("end"), str)
        for b in value
    ):
        return [(b["start"], b["end"]) for b in value]
    problems.append("breaks must be a list of {start, end} with both times as text")
    return []


def routinie_csv_rows(
    header: CsvHeader, rows: list[tuple[int, list[str]]], context: ImportContext
) -> list[ParsedEntry | RowError]:
    """Every row of a Routinie CSV export, parsed or refused."""
    return [_routinie_csv_row(header, row, record, context) for row, record in rows]


def _routinie_csv_row(
    header: CsvHeader, row: int, record: list[str], context: ImportContext
) -> ParsedEntry | RowError:
    problems: list[str] = []
    if width := width_problem(header, record):
        problems.append(width)
    start = _parse_iso("start", field_value(header, record, "start"), context, problems)
    end = None
    if not field_value(header, record, "end").strip():
        problems.append("a running timer (no end) cannot be imported")
    else:
        end = _parse_iso("end", field_value(header, record, "end"), context, problems)
    return finish_row(
        row,
        description=unguard_formula(field_value(header, record, "description")),
        project=unguard_formula(field_value(header, record, "project")),
        tags=[unguard_formula(t.strip()) for t in field_value(header, record, "tags").split(",")],
        start=start,
        end=end,
        problems=problems,
        context=context,
        exact_breaks=_spans(_csv_breaks(field_value(header, record, "breaks")), context, problems),
    )


def parse_json(text: str, context: ImportContext, max_rows: int) -> list[ParsedEntry | RowError]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise reject(
            0, f"The file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None
    except RecursionError:
        raise reject(0, "The file is not valid JSON (it is nested too deeply).") from None
    if isinstance(document, dict) and isinstance(document.get("time_entries"), list):
        items = document["time_entries"]
    elif isinstance(document, list):
        items = document
    else:
        raise reject(
            0,
            'The JSON file holds neither a list of time entries nor an object with a "time_entries"'
            " list.",
        )
    if len(items) > max_rows:
        raise reject(0, too_many(max_rows))
    return [_json_item(number, item, context) for number, item in enumerate(items, start=1)]


def _json_item(row: int, item: object, context: ImportContext) -> ParsedEntry | RowError:
    if not isinstance(item, dict):
        return RowError(row, f"Item {row} is not an object with start, end and description.")
    problems: list[str] = []

    def text(key: str) -> str:
        value = item.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            problems.append(f"{key} must be text")
            return ""
        return value

    # Read in the export's column order, so the problems are listed in that order too.
    description, project = text("description"), text("project")
    tags = item.get("tags")
    tag_list: list[str] = []
    if isinstance(tags, list) and all(isinstance(tag, str) for tag in tags):
        tag_list = tags
    elif tags is not None:
        problems.append("tags must be a list of text values")
    start = None
    if item.get("start") is None:
        problems.append("start is missing")
    elif isinstance(item["start"], str):
        start = _parse_iso("start", item["start"], context, problems)
    else:
        problems.append("start must be text like 2026-11-24T09:30:00+02:00")
    end = None
    if item.get("end") is None or item.get("end") == "":
        problems.append("a running timer (no end) cannot be imported")
    elif isinstance(item["end"], str):
        end = _parse_iso("end", item["end"], context, problems)
    else:
        problems.append("end must be text like 2026-11-24T10:30:00+02:00")
    breaks = _spans(_json_breaks(item.get("breaks"), problems), context, problems)
    return finish_row(
        row,
        description=description,
        project=project,
        tags=tag_list,
        start=start,
        end=end,
        problems=problems,
        context=context,
        exact_breaks=breaks,
    )
