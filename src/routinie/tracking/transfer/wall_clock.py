"""Toggl's and Clockify's rows: a local date and a local time in separate columns, read in the
importing person's time zone. The formats differ in how they write them (`toggl`, `clockify`).
A "Break" column (Kimai's: its length) keeps the break (`parsed.finish_row`)."""

import re
from datetime import date, datetime, time

from routinie.core.date_range import date_in_range
from routinie.tracking.transfer.csv_files import CsvHeader, field_value, width_problem
from routinie.tracking.transfer.parsed import (
    FORMAT_TOGGL,
    ImportContext,
    Instant,
    ParsedEntry,
    RowError,
    bad_value,
    finish_row,
    gap_message,
    localize,
    range_message,
)

_YEAR_FIRST = re.compile(r"(\d{4})([/.\-])(\d{1,2})\2(\d{1,2})")
YEAR_LAST = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?\s*[Mm]\.?)?")
_LAYOUT_NAMES = {"dmy": "DD{0}MM{0}YYYY", "mdy": "MM{0}DD{0}YYYY", "ymd": "YYYY{0}MM{0}DD"}


def _parse_date(value: str, layout: str, strict_iso: bool) -> date | None:
    value = value.strip()
    if strict_iso:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return None
        year, month, day = int(value[:4]), int(value[5:7]), int(value[8:])
    elif match := _YEAR_FIRST.fullmatch(value):
        year, month, day = int(match[1]), int(match[3]), int(match[4])
    elif match := YEAR_LAST.fullmatch(value):
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


def wall_clock_row(
    header: CsvHeader, row: int, record: list[str], layout: str, context: ImportContext
) -> ParsedEntry | RowError:
    """A Toggl or Clockify row: separate local date and time columns."""
    problems: list[str] = []
    if width := width_problem(header, record):
        problems.append(width)
    toggl = header.format == FORMAT_TOGGL
    instants: list[Instant | None] = []
    for side in ("start", "end"):
        date_key, time_key = f"{side} date", f"{side} time"
        date_value, time_value = (
            field_value(header, record, date_key),
            field_value(header, record, time_key),
        )
        day = _parse_date(date_value, layout, strict_iso=toggl)
        clock = _parse_time(time_value, allow_12_hour=not toggl)
        if day is None:
            separator = next((c for c in date_value if c in "/.-"), "-" if toggl else "/")
            expected = _LAYOUT_NAMES["ymd" if toggl else layout].format(separator)
            problems.append(bad_value(header.label[date_key], date_value, f"a date {expected}"))
        if clock is None:
            expected = "HH:MM:SS (24-hour)" if toggl else "like 14:05, 2:05 PM or 02:05:30 PM"
            problems.append(bad_value(header.label[time_key], time_value, f"a time {expected}"))
        instant = None
        if day is not None and clock is not None:
            naive = datetime.combine(day, clock)
            instant = localize(naive, context) if date_in_range(day) else None
            if not date_in_range(day):
                problems.append(range_message(side, naive))
            elif instant is None:
                problems.append(gap_message(side, naive, context))
        instants.append(instant)
    return finish_row(
        row,
        description=field_value(header, record, "description"),
        project=field_value(header, record, "project"),
        tags=field_value(header, record, "tags").split(","),
        start=instants[0],
        end=instants[1],
        problems=problems,
        context=context,
        break_text=field_value(header, record, "break"),
    )
