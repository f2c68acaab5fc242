"""The week as the page draws it: days, blocks on a grid of 15-minute slots, lanes for entries
that overlap, and the totals. Blocks are placed by the wall clock of the person's time zone;
durations and totals are real time (a DST day may hold 23 or 25 hours)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from routinie.core.date_range import date_in_range
from routinie.core.weeks import week_start_of
from routinie.tracking.calendar import start_of_day
from routinie.tracking.entries.breaks import break_seconds, spans_of
from routinie.tracking.models import TimeEntry

SLOT_MINUTES = 15
SLOTS = 24 * 60 // SLOT_MINUTES  # 96 rows a day
MAX_LANES = 4


@dataclass
class Block:
    """The part of one entry that falls on one day."""

    entry: TimeEntry
    day: date
    top: int  # first slot (0 = midnight)
    span: int  # slots it covers, at least 1
    seconds: int  # real time of this part
    starts_here: bool  # this part holds the entry's start (it can be moved)
    ends_here: bool  # this part holds the entry's end (its lower edge can be dragged)
    start_text: str
    end_text: str
    lane: int = 0
    lanes: int = 1

    @property
    def running(self) -> bool:
        return self.entry.end is None

    @property
    def minutes(self) -> int:
        """The whole entry's length in minutes (what a move keeps)."""
        end = self.entry.end or self.entry.start
        return round((end - self.entry.start).total_seconds() / 60)

    @property
    def bottom(self) -> int:
        return self.top + self.span


@dataclass
class Day:
    day: date
    blocks: list[Block] = field(default_factory=list)
    seconds: int = 0
    lanes: int = 1


def parse_week(text: str | None, today: date, week_start: int) -> tuple[date, bool]:
    """The first day of the week holding `?week=` (any day of it), or of today's week; the
    flag says whether the text was refused."""
    if not text:
        return week_start_of(today, week_start), False
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return week_start_of(today, week_start), True
    if not date_in_range(day):
        return week_start_of(today, week_start), True
    return week_start_of(day, week_start), False


def _minutes(moment: datetime, zone: ZoneInfo) -> int:
    local = moment.astimezone(zone)
    return local.hour * 60 + local.minute


def _parts(
    entry: TimeEntry, zone: ZoneInfo, now: datetime
) -> list[tuple[date, datetime, datetime]]:
    """(local day, part start, part end) for each day the entry touches."""
    # In UTC: arithmetic between two times of one zone would count wall-clock time, not real.
    start = entry.start.astimezone(UTC)
    end = (entry.end or max(now, entry.start)).astimezone(UTC)
    parts = []
    day = start.astimezone(zone).date()
    cursor = start
    while True:
        boundary = start_of_day(day + timedelta(days=1), zone)
        part_end = min(end, boundary)
        parts.append((day, cursor, part_end))
        if part_end >= end:
            return parts
        cursor, day = part_end, day + timedelta(days=1)


def _paused(entry: TimeEntry, start: datetime, end: datetime) -> float:
    """The entry's break seconds inside one of its parts (an open break until the part's end)."""
    return break_seconds(spans_of(entry), end, within=(start, end))


def _block(entry: TimeEntry, day: date, start: datetime, end: datetime, zone: ZoneInfo) -> Block:
    first = start == start_of_day(day, zone)
    last = end == start_of_day(day + timedelta(days=1), zone)
    top_minutes = 0 if first else _minutes(start, zone)
    end_minutes = 24 * 60 if last else _minutes(end, zone)
    top = min(top_minutes // SLOT_MINUTES, SLOTS - 1)
    bottom = -(-end_minutes // SLOT_MINUTES)  # a part ending at 09:05 reaches the 09:00 slot
    return Block(
        entry=entry,
        day=day,
        top=top,
        span=max(1, min(bottom, SLOTS) - top),
        seconds=max(0, round((end - start).total_seconds() - _paused(entry, start, end))),
        starts_here=start == entry.start,
        ends_here=entry.end is not None and end == entry.end,
        start_text=start.astimezone(zone).strftime("%H:%M"),
        end_text="now"
        if entry.end is None and end != start_of_day(day + timedelta(days=1), zone)
        else end.astimezone(zone).strftime("%H:%M"),
    )


def _assign_lanes(blocks: list[Block]) -> int:
    """Side-by-side lanes for blocks that overlap; returns the most lanes any group needs."""
    blocks.sort(key=lambda b: (b.top, -b.span))
    most, group_end = 1, -1
    group: list[Block] = []
    lane_ends: list[int] = []

    def close(group: list[Block], lanes: int) -> None:
        for block in group:
            block.lanes = min(lanes, MAX_LANES)

    for block in blocks:
        if block.top >= group_end and group:
            close(group, len(lane_ends))
            group, lane_ends = [], []
        free = next((i for i, e in enumerate(lane_ends) if e <= block.top), None)
        if free is None:
            lane_ends.append(block.top + block.span)
            free = len(lane_ends) - 1
        else:
            lane_ends[free] = block.top + block.span
        block.lane = min(free, MAX_LANES - 1)
        group.append(block)
        group_end = max(group_end, block.top + block.span)
        most = max(most, len(lane_ends))
    close(group, len(lane_ends))
    return min(most, MAX_LANES)


def week_days(entries: list[TimeEntry], first: date, zone: ZoneInfo, now: datetime) -> list[Day]:
    """The seven days from `first`, each with its blocks (an entry crossing midnight shows on
    both days) and its real total."""
    days = {first + timedelta(days=i): Day(first + timedelta(days=i)) for i in range(7)}
    for entry in entries:
        for day, start, end in _parts(entry, zone, now):
            if day in days:
                block = _block(entry, day, start, end, zone)
                days[day].blocks.append(block)
                days[day].seconds += block.seconds
    for column in days.values():
        column.lanes = _assign_lanes(column.blocks)
    return list(days.values())


def seconds_by_project_and_day(
    entries: list[TimeEntry], first: date, zone: ZoneInfo, now: datetime
) -> dict[tuple[str, date], int]:
    """Tracked seconds per (project id or "", day) in the seven days from `first`."""
    totals: dict[tuple[str, date], int] = defaultdict(int)
    for day in week_days(entries, first, zone, now):
        for block in day.blocks:
            totals[(str(block.entry.project_id or ""), day.day)] += block.seconds
    return dict(totals)
