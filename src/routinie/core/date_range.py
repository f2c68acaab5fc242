"""The one range of dates the platform accepts, wherever a date or a time comes in: the API's
bodies and query parameters, the pages' forms, the imports. Outside it, Python's dates overflow
when a time is moved to a person's zone (year 1 in New York is year 0) and the reports' weeks
run past year 9999; no real time entry is outside it."""

from datetime import UTC, date, datetime, time

from routinie.core.errors import InvalidInput

EARLIEST = date(1970, 1, 1)
LATEST = date(2100, 12, 31)
# The same range as instants: a day of slack each side, so a local date in range is in range in
# every zone (UTC-12 to UTC+14) and nothing near the edges overflows when converted.
EARLIEST_MOMENT = datetime.combine(EARLIEST, time.min, tzinfo=UTC)
LATEST_MOMENT = datetime.combine(LATEST, time.max, tzinfo=UTC)

RANGE_TEXT = f"between {EARLIEST.isoformat()} and {LATEST.isoformat()}"


def date_in_range(day: date) -> bool:
    return EARLIEST <= day <= LATEST


def moment_in_range(moment: datetime) -> bool:
    return EARLIEST_MOMENT <= moment <= LATEST_MOMENT


def check_date(day: date, field: str) -> date:
    """`day`, or InvalidInput naming `field` when it is outside the range."""
    if not date_in_range(day):
        raise InvalidInput.on(field, f"A date must be {RANGE_TEXT}.", "out_of_range")
    return day


def check_moment(moment: datetime, field: str) -> datetime:
    """`moment` (aware), or InvalidInput naming `field` when it is outside the range."""
    if not moment_in_range(moment):
        raise InvalidInput.on(field, f"A time must be {RANGE_TEXT}.", "out_of_range")
    return moment
