"""When a reminder is due: a wall time in the person's zone, turned into UTC instants, exact
across zones and daylight-saving changes. Plain functions of their arguments (no clock read
here), so the tests give them any "now".

- A wall time the clocks skip (02:30 on a spring-forward night) is due at the first instant
  after the gap: the moment the clocks jumped (03:00 in Berlin).
- A wall time the clocks pass twice (02:30 on a fall-back night) is due at its first pass
  (`fold=0`): once, since each day has one due instant.
"""

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from routinie.core.errors import InvalidInput

WALL_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")
ONE_DAY = timedelta(days=1)


def parse_wall_time(raw: str | None, field: str) -> time | None:
    """ "07:30" (24-hour, two digits each) → a time; None → None; else InvalidInput."""
    if raw is None:
        return None
    match = WALL_TIME.fullmatch(raw)
    if match is None:
        raise InvalidInput.on(field, 'A reminder time is written like "07:30" (00:00 to 23:59).')
    return time(int(match[1]), int(match[2]))


def wall_time_text(value: time | None) -> str | None:
    return None if value is None else f"{value:%H:%M}"


def _offset(instant: datetime, zone: ZoneInfo) -> timedelta:
    return instant.astimezone(zone).utcoffset() or timedelta(0)


def reminder_instant(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """The UTC instant `wall` o'clock of local `day` comes (see the module's gap and fold rule)."""
    first = datetime.combine(day, wall, tzinfo=zone).astimezone(UTC)  # fold=0
    if first.astimezone(zone).replace(tzinfo=None) == datetime.combine(day, wall):
        return first
    # In a gap: fold=0 read the wall time with the offset before the jump, which lands after
    # it; fold=1 with the offset after, which lands before it. The jump lies between: find
    # the first instant (to the second) that has the later offset.
    before = datetime.combine(day, wall, tzinfo=zone).replace(fold=1).astimezone(UTC)
    after_offset = _offset(first, zone)
    low, high = before, first  # low has the earlier offset, high the later
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if middle <= low:
            break
        if _offset(middle, zone) == after_offset:
            high = middle
        else:
            low = middle
    return high


def reminder_day(instant: datetime, wall: time, zone: ZoneInfo) -> date | None:
    """The local day whose reminder falls at `instant`; None when none does (the zone or the
    time changed since the instant was stored)."""
    local_day = instant.astimezone(zone).date()
    for day in (local_day, local_day - ONE_DAY):  # a gap can push past midnight
        if reminder_instant(day, wall, zone) == instant:
            return day
    return None


def next_reminder(wall: time, zone: ZoneInfo, *, after: datetime) -> datetime:
    """The first due instant strictly after `after`."""
    day = after.astimezone(zone).date() - ONE_DAY
    while (instant := reminder_instant(day, wall, zone)) <= after:
        day += ONE_DAY
    return instant
