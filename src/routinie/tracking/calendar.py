"""Days and weeks in the user's time zone. Entries are stored in UTC; the user's zone decides
where a day starts and ends (DST included: a day may last 23 or 25 hours)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone


def zone_of(user: object) -> ZoneInfo:
    return ZoneInfo(getattr(user, "timezone", "UTC") or "UTC")


def today_for(user: object) -> date:
    return timezone.now().astimezone(zone_of(user)).date()


def exists_locally(moment: datetime) -> bool:
    """Whether a local time (aware, in its zone) is on the zone's clocks: False for a time the
    clocks jumped past when moving forward (02:30 on a spring-forward night)."""
    back = moment.astimezone(UTC).astimezone(moment.tzinfo)
    return back.replace(tzinfo=None) == moment.replace(tzinfo=None)


def start_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The UTC instant a local day begins."""
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def day_range(first: date, last: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """UTC instants [start, end) covering local days first..last (both inclusive)."""
    return start_of_day(first, zone), start_of_day(last + timedelta(days=1), zone)


def local_days(start: datetime, end: datetime, zone: ZoneInfo) -> list[tuple[date, float]]:
    """How many seconds of [start, end) fall on each local day, in order."""
    parts: list[tuple[date, float]] = []
    cursor = start
    day = start.astimezone(zone).date()
    while cursor < end:
        boundary = start_of_day(day + timedelta(days=1), zone)
        part_end = min(end, boundary)
        parts.append((day, (part_end - cursor).total_seconds()))
        cursor = part_end
        day += timedelta(days=1)
    return parts
