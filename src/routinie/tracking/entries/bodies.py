"""The bodies of tracking's API answers, built from plain values.

An entry has one shape whether it comes from a list row (encoded by orjson) or from a model
object (the single-entry answers, validated by ninja): `entry_body` builds both, with its times
already written as the API writes them, so both answer alike.
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from routinie.accounts.models import User
from routinie.core.date_range import EARLIEST_MOMENT, LATEST_MOMENT
from routinie.core.pagination import Page
from routinie.tracking.calendar import zone_of
from routinie.tracking.entries.breaks import Span, break_seconds, spans_of
from routinie.tracking.entries.rows import EntryRows, naive_utc, uuid_text
from routinie.tracking.entries.selectors import PROJECT_FIELDS, duration_seconds
from routinie.tracking.models import TimeEntry

Row = dict[str, Any]


def api_time(moment: datetime) -> str:
    """A time as the API writes it (the format of ninja's encoder, Django's JSON encoder):
    ISO 8601 with its offset, milliseconds only when there are any, `Z` for a zero offset."""
    text = moment.isoformat()
    if moment.microsecond:
        text = text[:23] + text[26:]
    if text.endswith("+00:00"):
        text = text[:-6] + "Z"
    return text


Shift = tuple[timedelta, str]  # a zone's offset during one UTC hour, and how it is written
Prefix = tuple[str, str]  # that hour's local "YYYY-MM-DDTHH", and how the offset is written


class ApiTimes:
    """UTC times written in one zone as `api_time` writes them, fast enough for a list of
    thousands: the zone's offset is looked up once per UTC hour (and written once), then each
    time is a sum and a format. An hour in which the offset changes (at most one or two a year)
    is converted time by time.

    `text_of` goes further for a time the database wrote as text: in a zone whose offset is
    whole hours, the local hour is looked up once per UTC hour and the minutes and seconds are
    copied from the text."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self._hours: dict[tuple[int, int, int, int], Shift | None] = {}
        self._prefixes: dict[str, Prefix | None] = {}

    def _shift(self, utc: datetime) -> Shift | None:
        if not _SHOWN_IN_ZONE[0] <= utc <= _SHOWN_IN_ZONE[1]:
            return None
        hour = utc.replace(minute=0, second=0, microsecond=0, tzinfo=UTC)
        first = hour.astimezone(self.zone)
        if (hour + _LAST_SECOND).astimezone(self.zone).utcoffset() != first.utcoffset():
            return None
        offset = first.isoformat()[19:]
        return first.utcoffset() or timedelta(0), "Z" if offset == "+00:00" else offset

    def _shift_at(self, utc: datetime) -> Shift | None:
        """`_shift` of `utc`'s hour, looked up once per hour."""
        key = (utc.year, utc.month, utc.day, utc.hour)
        try:
            return self._hours[key]
        except KeyError:
            shift = self._hours[key] = self._shift(utc)
            return shift

    def text(self, utc: datetime) -> str:
        """`utc` (naive UTC) in the zone, as the API writes it."""
        shift = self._shift_at(utc)
        if shift is None:
            if not _SHOWN_IN_ZONE[0] <= utc <= _SHOWN_IN_ZONE[1]:
                return api_time(utc.replace(tzinfo=UTC))
            return api_time(utc.replace(tzinfo=UTC).astimezone(self.zone))
        local = (utc + shift[0]).isoformat()
        return (local[:23] if utc.microsecond else local) + shift[1]

    def _prefix(self, utc: datetime) -> Prefix | None:
        shift = self._shift_at(utc)
        if shift is None or shift[0] % _HOUR:
            return None
        hour = utc.replace(minute=0, second=0, microsecond=0)
        return (hour + shift[0]).isoformat()[:13], shift[1]

    def text_of(self, written: str, utc: datetime) -> str:
        """`utc` (naive UTC) in the zone, as the API writes it; `written` is the database's
        text of it ("YYYY-MM-DD HH:MM:SS", then any fraction or offset)."""
        key = written[:13]
        try:
            prefix = self._prefixes[key]
        except KeyError:
            prefix = self._prefixes[key] = self._prefix(utc)
        if prefix is None:
            return self.text(utc)
        millis = f".{utc.microsecond // 1000:03d}" if utc.microsecond else ""
        return prefix[0] + written[13:19] + millis + prefix[1]


# A row stored before `core.date_range` was enforced (year 1, 9999) is written in UTC: in a
# zone it would overflow Python's dates, or carry a local mean time's offset in seconds.
_SHOWN_IN_ZONE = (
    EARLIEST_MOMENT.replace(tzinfo=None),
    LATEST_MOMENT.replace(tzinfo=None),
)
_HOUR = timedelta(hours=1)
_LAST_SECOND = timedelta(seconds=3599)


def entry_body(
    entry_id: str,
    description: str,
    project_id: str | None,
    routine_id: str | None,
    start: str,
    end: str | None,
    duration_seconds: int,
    tags: list[str],
    breaks: list[Row],
    break_seconds: int,
) -> Row:
    """An entry as the API shows it (times already written in the person's zone);
    `duration_seconds` is the worked time, its breaks left out."""
    return {
        "id": entry_id,
        "description": description,
        "project_id": project_id,
        "tags": tags,
        "start": start,
        "end": end,
        "duration_seconds": duration_seconds,
        "routine_id": routine_id,
        "breaks": breaks,
        "break_seconds": break_seconds,
    }


def _now() -> datetime:
    return timezone.now().astimezone(UTC).replace(tzinfo=None)


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def breaks_body(spans: list[Span], times: ApiTimes, now: datetime) -> tuple[list[Row], int]:
    """An entry's breaks (naive UTC) as the API shows them, and their seconds."""
    shown = [{"start": times.text(s), "end": times.text(e) if e else None} for s, e in spans]
    return shown, round(break_seconds(spans, now))


def entry_out(entry: TimeEntry, user: User) -> Row:
    """One entry object as the API shows it (its tags and breaks are read unless already
    loaded)."""
    times, now = ApiTimes(zone_of(user)), _now()
    start, end = _naive(entry.start), _naive(entry.end) if entry.end is not None else None
    spans = [(_naive(s), _naive(e) if e else None) for s, e in spans_of(entry)]
    breaks, paused = breaks_body(spans, times, now)
    return entry_body(
        str(entry.id),
        entry.description,
        _text(entry.project_id),
        _text(entry.routine_id),
        times.text(start),
        times.text(end) if end is not None else None,
        max(0, duration_seconds(start, end, now) - paused),
        [tag.name for tag in entry.tags.all()],
        breaks,
        paused,
    )


def page_body(page: Page[Any], item: Callable[[Any], Row]) -> Row:
    """A list answer: `{items, next_cursor}`, each row shown by `item`."""
    return {"items": [item(row) for row in page.items], "next_cursor": page.next_cursor}


def entry_list_body(page: EntryRows, user: User) -> Row:
    """The entry list's answer, from the rows as the database wrote them (one pass)."""
    times, now, tags, all_breaks = ApiTimes(zone_of(user)), _now(), page.tags, page.breaks
    none: list[Any] = []  # one shared empty list: the body is only ever encoded
    items = []
    for raw_id, description, project_id, routine_id, start_text, end_text in page.rows:
        entry_id = uuid_text(raw_id)
        start = naive_utc(start_text)
        end = end_written = None
        if end_text is not None:
            end = naive_utc(end_text)
            end_written = times.text_of(end_text, end)
        spans = all_breaks.get(entry_id)
        breaks, paused = breaks_body(spans, times, now) if spans else (none, 0)
        items.append(
            entry_body(
                entry_id,
                description,
                project_id and uuid_text(project_id),
                routine_id and uuid_text(routine_id),
                times.text_of(start_text, start),
                end_written,
                max(0, duration_seconds(start, end, now) - paused),
                tags.get(entry_id, none),
                breaks,
                paused,
            )
        )
    return {"items": items, "next_cursor": page.next_cursor}


def project_list_body(page: Page[Row]) -> Row:
    return page_body(page, lambda row: {field: row[field] for field in PROJECT_FIELDS})
