"""When a reminder is due, exact across zones and daylight-saving changes: the pure functions
of `tracking.reminders.times`, with real zoneinfo zones and "now" given."""

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from routinie.core.errors import InvalidInput
from routinie.tracking.reminders.times import (
    next_reminder,
    parse_wall_time,
    reminder_day,
    reminder_instant,
)

BERLIN = ZoneInfo("Europe/Berlin")
KATHMANDU = ZoneInfo("Asia/Kathmandu")  # +05:45
ST_JOHNS = ZoneInfo("America/St_Johns")  # -03:30, daylight saving at 02:00 local


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_an_ordinary_day_is_the_wall_time_in_the_zone():
    assert reminder_instant(date(2026, 3, 28), time(7, 30), BERLIN) == utc(2026, 3, 28, 6, 30)
    assert reminder_instant(date(2026, 3, 30), time(7, 30), BERLIN) == utc(2026, 3, 30, 5, 30)


def test_a_time_skipped_by_spring_forward_comes_when_the_clocks_jump():
    # Berlin, 29 March 2026: 02:00 CET becomes 03:00 CEST (01:00 UTC); 02:30 never happens.
    due = reminder_instant(date(2026, 3, 29), time(2, 30), BERLIN)
    assert due == utc(2026, 3, 29, 1, 0)
    assert due.astimezone(BERLIN).strftime("%H:%M %Z") == "03:00 CEST"
    assert reminder_day(due, time(2, 30), BERLIN) == date(2026, 3, 29)


def test_a_time_passed_twice_on_fall_back_comes_once_at_its_first_pass():
    # Berlin, 25 October 2026: 03:00 CEST becomes 02:00 CET; 02:30 happens twice.
    due = reminder_instant(date(2026, 10, 25), time(2, 30), BERLIN)
    assert due == utc(2026, 10, 25, 0, 30)
    after_first = next_reminder(time(2, 30), BERLIN, after=due)
    assert after_first == utc(2026, 10, 26, 1, 30)  # not the second 02:30 (01:30 UTC the 25th)


def test_the_day_after_a_change_keeps_the_wall_time():
    assert next_reminder(time(7, 30), BERLIN, after=utc(2026, 3, 28, 6, 30)) == utc(
        2026, 3, 29, 5, 30
    )
    assert next_reminder(time(7, 30), BERLIN, after=utc(2026, 10, 24, 5, 30)) == utc(
        2026, 10, 25, 6, 30
    )


def test_a_quarter_hour_zone_is_exact():
    assert reminder_instant(date(2026, 6, 1), time(7, 30), KATHMANDU) == utc(2026, 6, 1, 1, 45)
    # 00:10 local is the evening before in UTC: the day is still the local one
    due = reminder_instant(date(2026, 6, 1), time(0, 10), KATHMANDU)
    assert due == utc(2026, 5, 31, 18, 25)
    assert reminder_day(due, time(0, 10), KATHMANDU) == date(2026, 6, 1)


def test_st_johns_half_hour_zone_across_its_spring_forward():
    # 8 March 2026: 02:00 NST (-03:30) becomes 03:00 NDT (-02:30), at 05:30 UTC.
    assert reminder_instant(date(2026, 3, 7), time(7, 0), ST_JOHNS) == utc(2026, 3, 7, 10, 30)
    assert reminder_instant(date(2026, 3, 8), time(7, 0), ST_JOHNS) == utc(2026, 3, 8, 9, 30)
    gap = reminder_instant(date(2026, 3, 8), time(2, 30), ST_JOHNS)
    assert gap == utc(2026, 3, 8, 5, 30)
    assert gap.astimezone(ST_JOHNS).strftime("%H:%M") == "03:00"


def test_next_reminder_is_today_when_the_time_is_still_ahead_else_tomorrow():
    now = utc(2026, 6, 1, 5, 0)  # 07:00 in Berlin
    assert next_reminder(time(7, 30), BERLIN, after=now) == utc(2026, 6, 1, 5, 30)
    assert next_reminder(time(6, 30), BERLIN, after=now) == utc(2026, 6, 2, 4, 30)
    assert next_reminder(time(7, 0), BERLIN, after=now) == utc(2026, 6, 2, 5, 0)


def test_every_day_of_a_year_has_exactly_one_instant_in_each_zone():
    for zone in (BERLIN, KATHMANDU, ST_JOHNS, ZoneInfo("Australia/Lord_Howe")):
        for wall in (time(0, 0), time(2, 30), time(23, 59)):
            instant = next_reminder(wall, zone, after=utc(2026, 1, 1))
            seen = []
            for _ in range(366):
                seen.append(reminder_day(instant, wall, zone))
                following = next_reminder(wall, zone, after=instant)
                assert timedelta(hours=22) <= following - instant <= timedelta(hours=26)
                instant = following
            assert len(set(seen)) == 366
            assert all(b - a == timedelta(days=1) for a, b in pairwise(seen))


def test_a_stored_instant_from_another_zone_matches_no_day():
    instant = reminder_instant(date(2026, 6, 1), time(7, 30), BERLIN)
    assert reminder_day(instant, time(7, 30), KATHMANDU) is None


@pytest.mark.parametrize("raw", ["25:00", "7.30", "7:30", "07:60", "07:30:00", " 07:30", "x", ""])
def test_a_wall_time_is_two_digits_colon_two_digits(raw):
    with pytest.raises(InvalidInput) as refused:
        parse_wall_time(raw, "reminder_time")
    assert refused.value.errors[0].field == "reminder_time"


def test_no_wall_time_is_none_and_a_good_one_parses():
    assert parse_wall_time(None, "reminder_time") is None
    assert parse_wall_time("00:00", "reminder_time") == time(0, 0)
    assert parse_wall_time("23:59", "reminder_time") == time(23, 59)
