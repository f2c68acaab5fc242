"""Parse time entries exported from Toggl Track, Clockify or Routinie itself.

Plain data in, plain data out: no database access. The format is recognised from the header
(never from the file name); every bad row is reported, not just the first.

Decisions worth knowing:
- Wall-clock times (Toggl, Clockify, and ISO values without an offset) are read in the
  `timezone` given. A time in a DST gap is refused; an ambiguous time (the repeated hour when
  clocks fall back) means its first occurrence, except that an end which would then come before
  its start means the second occurrence.
- Clockify dates follow the exporting user's settings. The layout is detected from every date in
  the file: a first number above 12 means day-first, a second above 12 means month-first; with no
  such evidence, dotted dates (DD.MM.YYYY) are day-first and everything else is month-first,
  Clockify's default.
- User and Email columns are never read, so they can never leak into the result.
"""

import codecs
import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from routinie.core.spreadsheet_safety import unguard_formula

FORMAT_TOGGL = "toggl"
FORMAT_CLOCKIFY = "clockify"
FORMAT_ROUTINIE_CSV = "routinie-csv"
FORMAT_ROUTINIE_JSON = "routinie-json"

MAX_DESCRIPTION = 500  # TimeEntry.description max_length
MAX_PROJECT = 100  # Project.name max_length
MAX_TAG = 50  # Tag.name max_length
MAX_DURATION = timedelta(days=7)
MAX_AHEAD = timedelta(days=1)

# Normalised header names (trimmed, case-folded, inner whitespace collapsed).
WALL_CLOCK_REQUIRED = ("start date", "start time", "end date", "end time")
ROUTINIE_REQUIRED = ("description", "project", "tags", "start", "end")
ROUTINIE_OPTIONAL = ("id", "project_id", "duration_seconds")
CLOCKIFY_ONLY = {"group", "duration (h)", "duration (decimal)"}

EXPECTED_HEADERS = (
    "Expected the header of a Toggl Track detailed report (columns Start date, Start time, "
    "End date, End time; optionally Description, Project, Tags), of a Clockify detailed report "
    "(Start Date, Start Time, End Date, End Time; optionally Description, Project, Tags), or of "
    "a Routinie CSV export (id, description, project, project_id, tags, start, end, "
    "duration_seconds; id, project_id and duration_seconds optional)."
)


@dataclass(frozen=True)
class ParsedEntry:
    """One valid time entry, normalised; start and end are in UTC."""

    row: int
    description: str
    project: str | None
    tags: list[str]
    start: datetime
    end: datetime


@dataclass(frozen=True)
class RowError:
    """What is wrong with one row (row 0 or 1: with the file as a whole)."""

    row: int
    message: str


class ImportRejected(Exception):
    """The file cannot be imported; `errors` lists every problem found."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = sorted(errors, key=lambda error: error.row)
        rows = sorted({error.row for error in self.errors})
        # Only counts and row numbers: the messages quote the user's data, which must stay out
        # of logs and tracebacks.
        super().__init__(f"{len(self.errors)} problem(s) in the file, rows {rows}")


def _reject(row: int, message: str) -> ImportRejected:
    return ImportRejected([RowError(row, message)])


def parse_time_entries(
    data: bytes, *, timezone: ZoneInfo, max_rows: int = 50_000
) -> tuple[str, list[ParsedEntry]]:
    """Parse an export into (format, entries); raise ImportRejected listing every bad row.

    The format is "toggl", "clockify", "routinie-csv" or "routinie-json".
    """
    text = _decode(data)
    if not text.strip():
        raise _reject(0, "The file is empty.")
    context = _Context(timezone=timezone, now=datetime.now(UTC))
    if text.lstrip()[0] in "[{":
        results = _parse_json(text, context, max_rows)
        return FORMAT_ROUTINIE_JSON, _collect(results)
    header, records = _read_header(text)
    rows = _data_rows(records, max_rows)
    if header.format == FORMAT_ROUTINIE_CSV:
        results = [_routinie_csv_row(header, row, record, context) for row, record in rows]
    else:
        layout = "ymd"
        if header.format == FORMAT_CLOCKIFY:
            layout = _detect_layout(
                _field(header, record, key)
                for _, record in rows
                for key in ("start date", "end date")
            )
        results = [_wall_clock_row(header, row, record, layout, context) for row, record in rows]
    return header.format, _collect(results)


def _collect(results: list[ParsedEntry | RowError]) -> list[ParsedEntry]:
    errors = [result for result in results if isinstance(result, RowError)]
    if errors:
        raise ImportRejected(errors)
    return [result for result in results if isinstance(result, ParsedEntry)]


# --- Bytes to text -----------------------------------------------------------------------------
def _decode(data: bytes) -> str:
    # Excel's "Unicode Text" is UTF-16 with a BOM; without a BOM we only accept UTF-8.
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise _reject(0, "The file starts like UTF-16 text but is damaged.") from None
    if data.startswith(b"PK\x03\x04"):
        raise _reject(
            0, "The file looks like a spreadsheet workbook (.xlsx); export or save it as CSV."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _reject(
            0,
            f"The file is not UTF-8 text (byte {exc.start + 1} is not valid UTF-8). Export it "
            'again, or save it from your spreadsheet program as "CSV UTF-8".',
        ) from None
    if "\x00" in text:
        raise _reject(
            0,
            "The file contains NUL characters, so it is not a UTF-8 text file (perhaps UTF-16 "
            'without a byte order mark). Save it as "CSV UTF-8".',
        )
    return text


# --- CSV structure -----------------------------------------------------------------------------
@dataclass(frozen=True)
class _Header:
    format: str
    width: int
    index: dict[str, int]  # normalised name → column number (the first column of that name)
    label: dict[str, str]  # normalised name → the name as written, for messages


def _norm(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").split()).casefold()


def _is_blank(record: list[str]) -> bool:
    # Spreadsheets save an empty row as a run of delimiters, which is as blank as an empty line.
    return all(not value.strip() for value in record)


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (row, record); a row is a record, as a spreadsheet numbers it, not a text line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    row = 0
    while True:
        row += 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _reject(row, f"Row {row} cannot be read as CSV: {exc}.") from None
        yield row, record


def _read_header(text: str) -> tuple[_Header, Iterator[tuple[int, list[str]]]]:
    found: list[tuple[int, list[str], str]] = []
    # Comma is what the tools write; semicolon and tab appear after a spreadsheet re-saves the
    # file in some locales (Excel's UTF-16 "Unicode Text" is tab-separated).
    for delimiter in (",", ";", "\t"):
        records = _records(text, delimiter)
        for row, record in records:
            if not _is_blank(record):
                header = _recognise(record)
                if isinstance(header, _Header):
                    return header, records
                found.append((row, record, header))
                break
        else:
            raise _reject(0, "The file is empty.")
    row, record, problem = found[0]
    listed = ", ".join(_quote(name) for name in record[:20])
    raise _reject(
        row,
        f"Row {row} is not a header this importer knows{problem}. "
        f"{EXPECTED_HEADERS} Found: {listed}.",
    )


def _recognise(record: list[str]) -> _Header | str:
    """The header's format, or why it is not one (a clause to append to the message)."""
    index: dict[str, int] = {}
    label: dict[str, str] = {}
    for column, name in enumerate(record):
        key = _norm(name)
        if key and key not in index:
            index[key] = column
            label[key] = name.strip()
    keys = set(index)

    def header(fmt: str) -> _Header:
        return _Header(format=fmt, width=len(record), index=index, label=label)

    if {"start", "end"} <= keys:
        missing = [key for key in ROUTINIE_REQUIRED if key not in keys]
        unexpected = sorted(keys - set(ROUTINIE_REQUIRED) - set(ROUTINIE_OPTIONAL))
        if not missing and not unexpected:
            return header(FORMAT_ROUTINIE_CSV)
        clauses = []
        if missing:
            clauses.append(f"lacks {', '.join(missing)}")
        if unexpected:
            clauses.append(f"has unexpected column(s) {', '.join(label[k] for k in unexpected)}")
        return f" (it looks like a Routinie export but {' and '.join(clauses)})"

    present = [key for key in WALL_CLOCK_REQUIRED if key in keys]
    if len(present) == len(WALL_CLOCK_REQUIRED):
        clockify = any(
            key in CLOCKIFY_ONLY or key.startswith(("billable rate", "billable amount"))
            for key in keys
        )
        toggl = any(key in {"duration", "amount"} or key.startswith("amount (") for key in keys)
        if clockify != toggl:
            return header(FORMAT_CLOCKIFY if clockify else FORMAT_TOGGL)
        # Without a telling column, the capitalisation is the only difference left:
        # Toggl writes "Start date", Clockify "Start Date". Both parsers read ISO dates alike.
        written = label["start date"]
        return header(FORMAT_TOGGL if written == "Start date" else FORMAT_CLOCKIFY)
    if len(present) >= 2:
        missing = [key.title() for key in WALL_CLOCK_REQUIRED if key not in keys]
        return f" (it looks like a Toggl Track or Clockify report but lacks {', '.join(missing)})"
    return ""


def _data_rows(
    records: Iterator[tuple[int, list[str]]], max_rows: int
) -> list[tuple[int, list[str]]]:
    rows: list[tuple[int, list[str]]] = []
    for row, record in records:
        if _is_blank(record):
            continue
        if len(rows) >= max_rows:
            # Stop reading at once: the limit exists so a huge file costs little.
            raise _reject(0, _too_many(max_rows))
        rows.append((row, record))
    return rows


def _too_many(max_rows: int) -> str:
    return (
        f"The file has more than {max_rows:,} entries, the most one import accepts; "
        "split it into smaller files."
    )


def _field(header: _Header, record: list[str], key: str) -> str:
    column = header.index.get(key)
    if column is None or column >= len(record):
        return ""
    return record[column]


def _width_problem(header: _Header, record: list[str]) -> str | None:
    extra = record[header.width :]
    if any(value.strip() for value in extra):
        return (
            f"the row has {len(record)} values but the header has {header.width} columns "
            "(a value containing a comma may have lost its quotes)"
        )
    return None


# --- Dates and times ---------------------------------------------------------------------------
_YEAR_FIRST = re.compile(r"(\d{4})([/.\-])(\d{1,2})\2(\d{1,2})")
_YEAR_LAST = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?\s*[Mm]\.?)?")
_LAYOUT_NAMES = {"dmy": "DD{0}MM{0}YYYY", "mdy": "MM{0}DD{0}YYYY", "ymd": "YYYY{0}MM{0}DD"}


def _detect_layout(values: Iterable[str]) -> str:
    """Day-first ("dmy") or month-first ("mdy"), judged from every date in the file."""
    day_first = month_first = dotted = 0
    for value in values:
        match = _YEAR_LAST.fullmatch(value.strip())
        if not match:
            continue
        first, second = int(match[1]), int(match[3])
        if first > 12 >= second:
            day_first += 1
        elif second > 12 >= first:
            month_first += 1
        dotted += match[2] == "."
    if day_first or month_first:
        # A file that mixes both has bad rows either way; the majority decides which they are.
        return "dmy" if day_first > month_first else "mdy"
    # Clockify offers DD.MM.YYYY but no month-first dotted layout; otherwise its default wins.
    return "dmy" if dotted else "mdy"


def _parse_date(value: str, layout: str, strict_iso: bool) -> date | None:
    value = value.strip()
    if strict_iso:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return None
        year, month, day = int(value[:4]), int(value[5:7]), int(value[8:])
    elif match := _YEAR_FIRST.fullmatch(value):
        year, month, day = int(match[1]), int(match[3]), int(match[4])
    elif match := _YEAR_LAST.fullmatch(value):
        first, second, year = int(match[1]), int(match[3]), int(match[4])
        day, month = (first, second) if layout == "dmy" else (second, first)
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _parse_time(value: str, allow_12_hour: bool) -> time | None:
    match = _TIME.fullmatch(value.strip())
    if not match:
        return None
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if match[4]:
        if not allow_12_hour or not 1 <= hour <= 12:
            return None
        # 12:xx AM is just after midnight and 12:xx PM just after noon.
        hour = hour % 12 + (12 if match[4] in "Pp" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


@dataclass(frozen=True)
class _Instant:
    """A point in time; `later` is the second occurrence of an ambiguous wall-clock time."""

    utc: datetime
    later: datetime | None = None


@dataclass(frozen=True)
class _Context:
    timezone: ZoneInfo
    now: datetime


def _localize(naive: datetime, context: _Context) -> _Instant | None:
    """The UTC instant of a wall-clock time in the user's zone; None inside a DST gap."""
    first = naive.replace(tzinfo=context.timezone, fold=0)
    if first.astimezone(UTC).astimezone(context.timezone).replace(tzinfo=None) != naive:
        return None
    second = naive.replace(tzinfo=context.timezone, fold=1).astimezone(UTC)
    first_utc = first.astimezone(UTC)
    return _Instant(first_utc, second if second != first_utc else None)


def _gap_message(side: str, naive: datetime, context: _Context) -> str:
    return (
        f"the {side} time {naive:%Y-%m-%d %H:%M} does not exist in {context.timezone.key} "
        "(the clocks jumped forward past it)"
    )


def _quote(value: str) -> str:
    value = value.strip()
    return f'"{value[:40]}…"' if len(value) > 40 else f'"{value}"'


# --- Rows --------------------------------------------------------------------------------------
def _wall_clock_row(
    header: _Header, row: int, record: list[str], layout: str, context: _Context
) -> ParsedEntry | RowError:
    """A Toggl or Clockify row: separate local date and time columns."""
    problems: list[str] = []
    if width := _width_problem(header, record):
        problems.append(width)
    toggl = header.format == FORMAT_TOGGL
    instants: list[_Instant | None] = []
    for side in ("start", "end"):
        date_key, time_key = f"{side} date", f"{side} time"
        date_value, time_value = _field(header, record, date_key), _field(header, record, time_key)
        day = _parse_date(date_value, layout, strict_iso=toggl)
        clock = _parse_time(time_value, allow_12_hour=not toggl)
        if day is None:
            separator = next((c for c in date_value if c in "/.-"), "-" if toggl else "/")
            expected = _LAYOUT_NAMES["ymd" if toggl else layout].format(separator)
            problems.append(_bad_value(header.label[date_key], date_value, f"a date {expected}"))
        if clock is None:
            expected = "HH:MM:SS (24-hour)" if toggl else "like 14:05, 2:05 PM or 02:05:30 PM"
            problems.append(_bad_value(header.label[time_key], time_value, f"a time {expected}"))
        instant = None
        if day is not None and clock is not None:
            naive = datetime.combine(day, clock)
            instant = _localize(naive, context)
            if instant is None:
                problems.append(_gap_message(side, naive, context))
        instants.append(instant)
    return _finish(
        row,
        description=_field(header, record, "description"),
        project=_field(header, record, "project"),
        tags=_field(header, record, "tags").split(","),
        start=instants[0],
        end=instants[1],
        problems=problems,
        context=context,
    )


def _bad_value(column: str, value: str, expected: str) -> str:
    if not value.strip():
        return f"{column} is empty (expected {expected})"
    return f"{column} {_quote(value)} is not {expected}"


def _parse_iso(column: str, value: str, context: _Context, problems: list[str]) -> _Instant | None:
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
        problems.append(_bad_value(column, value, example))
        return None
    if parsed.tzinfo is not None:
        return _Instant(parsed.astimezone(UTC))
    instant = _localize(parsed, context)
    if instant is None:
        problems.append(_gap_message(column, parsed, context))
    return instant


def _routinie_csv_row(
    header: _Header, row: int, record: list[str], context: _Context
) -> ParsedEntry | RowError:
    problems: list[str] = []
    if width := _width_problem(header, record):
        problems.append(width)
    start = _parse_iso("start", _field(header, record, "start"), context, problems)
    end = None
    if not _field(header, record, "end").strip():
        problems.append("a running timer (no end) cannot be imported")
    else:
        end = _parse_iso("end", _field(header, record, "end"), context, problems)
    return _finish(
        row,
        description=unguard_formula(_field(header, record, "description")),
        project=unguard_formula(_field(header, record, "project")),
        tags=[unguard_formula(t.strip()) for t in _field(header, record, "tags").split(",")],
        start=start,
        end=end,
        problems=problems,
        context=context,
    )


def _parse_json(text: str, context: _Context, max_rows: int) -> list[ParsedEntry | RowError]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _reject(
            0, f"The file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None
    except RecursionError:
        raise _reject(0, "The file is not valid JSON (it is nested too deeply).") from None
    if isinstance(document, dict) and isinstance(document.get("time_entries"), list):
        items = document["time_entries"]
    elif isinstance(document, list):
        items = document
    else:
        raise _reject(
            0,
            'The JSON file holds neither a list of time entries nor an object with a "time_entries"'
            " list.",
        )
    if len(items) > max_rows:
        raise _reject(0, _too_many(max_rows))
    return [_json_item(number, item, context) for number, item in enumerate(items, start=1)]


def _json_item(row: int, item: object, context: _Context) -> ParsedEntry | RowError:
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
    return _finish(
        row,
        description=description,
        project=project,
        tags=tag_list,
        start=start,
        end=end,
        problems=problems,
        context=context,
    )


def _clean_tags(raw: Iterable[str]) -> list[str]:
    tags: list[str] = []
    for tag in raw:
        tag = tag.strip()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def _finish(
    row: int,
    *,
    description: str,
    project: str,
    tags: Iterable[str],
    start: _Instant | None,
    end: _Instant | None,
    problems: list[str],
    context: _Context,
) -> ParsedEntry | RowError:
    """Checks shared by every format; the entry, or one RowError naming all its problems."""
    description = description.strip()
    project = project.strip()
    clean_tags = _clean_tags(tags)
    if len(description) > MAX_DESCRIPTION:
        problems.append(
            f"the description has {len(description)} characters, more than {MAX_DESCRIPTION}"
        )
    if len(project) > MAX_PROJECT:
        problems.append(f"the project name has {len(project)} characters, more than {MAX_PROJECT}")
    for tag in clean_tags:
        if len(tag) > MAX_TAG:
            problems.append(f"tag {_quote(tag)} has {len(tag)} characters, more than {MAX_TAG}")
    start_utc = end_utc = None
    if start is not None and end is not None:
        start_utc, end_utc = start.utc, end.utc
        if end_utc < start_utc and end.later is not None and end.later >= start_utc:
            # The end fell in the repeated hour and only its second occurrence makes sense.
            end_utc = end.later
        if end_utc < start_utc:
            problems.append(
                f"it ends ({_local(end_utc, context)}) before it starts "
                f"({_local(start_utc, context)})"
            )
        elif end_utc - start_utc > MAX_DURATION:
            problems.append(
                f"it lasts {_duration(end_utc - start_utc)}, longer than the 7-day maximum "
                "for one entry"
            )
        if start_utc > context.now + MAX_AHEAD:
            problems.append(
                f"it starts {_local(start_utc, context)}, more than 1 day in the future"
            )
    if problems or start_utc is None or end_utc is None:
        message = "; ".join(problems)
        return RowError(row, message[:1].upper() + message[1:] + ".")
    return ParsedEntry(
        row=row,
        description=description,
        project=project or None,
        tags=clean_tags,
        start=start_utc,
        end=end_utc,
    )


def _local(moment: datetime, context: _Context) -> str:
    return f"{moment.astimezone(context.timezone):%Y-%m-%d %H:%M} {context.timezone.key}"


def _duration(span: timedelta) -> str:
    hours, seconds = divmod(span.seconds, 3600)
    return f"{span.days} days {hours} h {seconds // 60} min"
