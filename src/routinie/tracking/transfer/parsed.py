"""What every import format parses into, and the checks all formats share: one valid entry
(`ParsedEntry`) or what is wrong with a row (`RowError`), never both. Plain data, no database."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from routinie.core.date_range import RANGE_TEXT
from routinie.core.errors import InvalidInput
from routinie.core.storable_text import has_unstorable
from routinie.tracking.entries.breaks import check_breaks
from routinie.tracking.entries.durations import parse_duration

FORMAT_TOGGL = "toggl"
FORMAT_CLOCKIFY = "clockify"
FORMAT_ROUTINIE_CSV = "routinie-csv"
FORMAT_ROUTINIE_JSON = "routinie-json"

MAX_DESCRIPTION = 500  # TimeEntry.description max_length
MAX_PROJECT = 100  # Project.name max_length
MAX_TAG = 50  # Tag.name max_length
MAX_DURATION = timedelta(days=7)
MAX_AHEAD = timedelta(days=1)


@dataclass(frozen=True)
class ParsedEntry:
    """One valid time entry, normalised; start and end are in UTC."""

    row: int
    description: str
    project: str | None
    tags: list[str]
    start: datetime
    end: datetime
    # A Kimai-style break column (a length): one break of it in the middle of the entry.
    breaks: tuple[tuple[datetime, datetime], ...] = ()


@dataclass(frozen=True)
class RowError:
    """What is wrong with one row (row 0 or 1: with the file as a whole); `where` names the
    place when a row number alone does not (a file of an archive, a column)."""

    row: int
    message: str
    where: str = ""


class ImportRejected(Exception):
    """The file cannot be imported; `errors` lists every problem found."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = sorted(errors, key=lambda error: error.row)
        rows = sorted({error.row for error in self.errors})
        # Only counts and row numbers: the messages quote the user's data, which must stay out
        # of logs and tracebacks.
        super().__init__(f"{len(self.errors)} problem(s) in the file, rows {rows}")


def reject(row: int, message: str) -> ImportRejected:
    return ImportRejected([RowError(row, message)])


@dataclass(frozen=True)
class Instant:
    """A point in time; `later` is the second occurrence of an ambiguous wall-clock time."""

    utc: datetime
    later: datetime | None = None


@dataclass(frozen=True)
class ImportContext:
    timezone: ZoneInfo
    now: datetime


def localize(naive: datetime, context: ImportContext) -> Instant | None:
    """The UTC instant of a wall-clock time in the user's zone; None inside a DST gap."""
    first = naive.replace(tzinfo=context.timezone, fold=0)
    if first.astimezone(UTC).astimezone(context.timezone).replace(tzinfo=None) != naive:
        return None
    second = naive.replace(tzinfo=context.timezone, fold=1).astimezone(UTC)
    first_utc = first.astimezone(UTC)
    return Instant(first_utc, second if second != first_utc else None)


def gap_message(side: str, naive: datetime, context: ImportContext) -> str:
    return (
        f"the {side} time {naive:%Y-%m-%d %H:%M} does not exist in {context.timezone.key} "
        "(the clocks jumped forward past it)"
    )


def range_message(side: str, naive: datetime) -> str:
    return f"the {side} date {naive:%Y-%m-%d} is not {RANGE_TEXT}"


def quoted(value: str) -> str:
    value = value.strip()
    return f'"{value[:40]}…"' if len(value) > 40 else f'"{value}"'


def bad_value(column: str, value: str, expected: str) -> str:
    if not value.strip():
        return f"{column} is empty (expected {expected})"
    return f"{column} {quoted(value)} is not {expected}"


def too_many(max_rows: int) -> str:
    return (
        f"The file has more than {max_rows:,} entries, the most one import accepts; "
        "split it into smaller files."
    )


def _clean_tags(raw: Iterable[str]) -> list[str]:
    tags: list[str] = []
    for tag in raw:
        tag = tag.strip()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def finish_row(
    row: int,
    *,
    description: str,
    project: str,
    tags: Iterable[str],
    start: Instant | None,
    end: Instant | None,
    problems: list[str],
    context: ImportContext,
    break_text: str = "",
    exact_breaks: Sequence[tuple[Instant | None, Instant | None]] = (),
) -> ParsedEntry | RowError:
    """Checks shared by every format; the entry, or one RowError naming all its problems.
    `break_text` is a break column's length (Kimai's "Break": 0:30, 0.5, 30m), placed as one
    break in the middle of the entry: its worked time is what the file says. `exact_breaks`
    are a Routinie export's own breaks (None where unreadable: a problem already noted)."""
    description = description.strip()
    project = project.strip()
    clean_tags = _clean_tags(tags)
    if len(description) > MAX_DESCRIPTION:
        problems.append(
            f"the description has {len(description)} characters, more than {MAX_DESCRIPTION}"
        )
    if len(project) > MAX_PROJECT:
        problems.append(f"the project name has {len(project)} characters, more than {MAX_PROJECT}")
    if any(has_unstorable(text) for text in (description, project, *clean_tags)):
        problems.append("a text holds a character that cannot be stored (NUL)")
    for tag in clean_tags:
        if len(tag) > MAX_TAG:
            problems.append(f"tag {quoted(tag)} has {len(tag)} characters, more than {MAX_TAG}")
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
    paused = _break_length(break_text, problems)
    if problems or start_utc is None or end_utc is None:
        message = "; ".join(problems)
        return RowError(row, message[:1].upper() + message[1:] + ".")
    breaks: tuple[tuple[datetime, datetime], ...] = ()
    if exact_breaks:
        spans = [(a.utc, b.utc) for a, b in exact_breaks if a is not None and b is not None]
        try:
            breaks = tuple(
                (a, b) for a, b in check_breaks(start_utc, end_utc, spans) if b is not None
            )
        except InvalidInput as error:
            return RowError(row, f"Its breaks: {error.detail}")
    if paused:
        if paused >= end_utc - start_utc:
            return RowError(row, f"The break ({break_text.strip()}) is not shorter than the entry.")
        middle = start_utc + (end_utc - start_utc - paused) / 2
        breaks = ((middle, middle + paused),)
    return ParsedEntry(
        row=row,
        description=description,
        project=project or None,
        tags=clean_tags,
        start=start_utc,
        end=end_utc,
        breaks=breaks,
    )


def _break_length(text: str, problems: list[str]) -> timedelta | None:
    """A break column's length (None when empty or zero); a problem noted when unreadable."""
    text = text.strip()
    if not text or re.fullmatch(r"[0:.,]+", text):
        return None
    try:
        return timedelta(seconds=parse_duration(text, field="break"))
    except InvalidInput:
        problems.append(bad_value("the break", text, "a length like 0:30, 0.5 or 30m"))
        return None


def _local(moment: datetime, context: ImportContext) -> str:
    return f"{moment.astimezone(context.timezone):%Y-%m-%d %H:%M} {context.timezone.key}"


def _duration(span: timedelta) -> str:
    hours, seconds = divmod(span.seconds, 3600)
    return f"{span.days} days {hours} h {seconds // 60} min"
