"""`ApiTimes` (the entry list's fast writer of times) writes every instant exactly as the API's
encoder writes the same instant in the same zone, across offset changes, odd offsets (+05:45,
a 30-minute daylight-saving shift) and fractions of a second."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from routinie.tracking.entries.bodies import ApiTimes, api_time

ZONES = [
    "UTC",
    "Europe/Bucharest",
    "Europe/London",
    "America/New_York",
    "America/St_Johns",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Pacific/Apia",
]


def _expected(utc: datetime, zone: ZoneInfo) -> str:
    return api_time(utc.replace(tzinfo=UTC).astimezone(zone))


def test_every_ten_minutes_around_each_2026_offset_change():
    for name in ZONES:
        zone = ZoneInfo(name)
        times = ApiTimes(zone)
        moment = datetime(2026, 1, 1)
        while moment < datetime(2027, 1, 1):
            after = moment + timedelta(days=1)
            if (moment.replace(tzinfo=UTC).astimezone(zone).utcoffset()) != (
                after.replace(tzinfo=UTC).astimezone(zone).utcoffset()
            ):
                step = moment
                while step <= after:
                    assert times.text(step) == _expected(step, zone), (name, step)
                    step += timedelta(minutes=10, microseconds=1)
            moment = after


@settings(max_examples=400, deadline=None)
@given(
    utc=st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31)),
    name=st.sampled_from(ZONES),
)
def test_any_instant_in_any_zone(utc: datetime, name: str):
    zone = ZoneInfo(name)
    times = ApiTimes(zone)
    times.text(utc - timedelta(minutes=30))  # a neighbouring hour already looked up
    assert times.text(utc) == _expected(utc, zone)


def _as_written(utc: datetime, database: str) -> str:
    """How the database writes a UTC time as text (SQLite: Django's own format; PostgreSQL: the
    fraction without trailing zeros, then the offset)."""
    if database == "sqlite":
        return str(utc)
    text = utc.strftime("%Y-%m-%d %H:%M:%S")
    if utc.microsecond:
        text += f".{utc.microsecond:06d}".rstrip("0")
    return text + "+00"


@settings(max_examples=400, deadline=None)
@given(
    utc=st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31)),
    name=st.sampled_from(ZONES),
    database=st.sampled_from(["sqlite", "postgresql"]),
)
def test_a_time_as_the_database_wrote_it(utc: datetime, name: str, database: str):
    zone = ZoneInfo(name)
    times = ApiTimes(zone)
    earlier = utc - timedelta(minutes=17)
    times.text_of(_as_written(earlier, database), earlier)  # the hour's prefix already known
    assert times.text_of(_as_written(utc, database), utc) == _expected(utc, zone)


def test_the_database_text_around_each_2026_offset_change():
    for name in ZONES:
        zone, times = ZoneInfo(name), ApiTimes(ZoneInfo(name))
        step = datetime(2026, 1, 1)
        while step < datetime(2027, 1, 1):
            for database in ("sqlite", "postgresql"):
                written = _as_written(step, database)
                assert times.text_of(written, step) == _expected(step, zone), (name, step)
            step += timedelta(minutes=53, microseconds=7001)
