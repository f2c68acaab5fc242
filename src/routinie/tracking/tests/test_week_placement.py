"""Where the week view puts entries: quarter-hour rows by the wall clock of the person's zone,
real durations, both days of an entry that crosses midnight, lanes, DST weeks."""

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from routinie.tracking.models import TimeEntry
from routinie.tracking.week.presenters import parse_week, seconds_by_project_and_day, week_days

BUCHAREST = ZoneInfo("Europe/Bucharest")
NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


def entry(start: datetime, end: datetime | None, project: uuid.UUID | None = None) -> TimeEntry:
    return TimeEntry(id=uuid.uuid4(), start=start, end=end, project_id=project)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=BUCHAREST)


def blocks_of(days, day: date):
    return next(d for d in days if d.day == day).blocks


def test_a_block_sits_on_its_quarter_hours_by_the_local_clock():
    e = entry(local(2026, 11, 24, 9, 15), local(2026, 11, 24, 10, 45))
    days = week_days([e], date(2026, 11, 23), BUCHAREST, NOW)
    [block] = blocks_of(days, date(2026, 11, 24))
    assert (block.top, block.span, block.seconds) == (37, 6, 5400)
    assert (block.start_text, block.end_text, block.starts_here, block.ends_here) == (
        "09:15",
        "10:45",
        True,
        True,
    )
    assert [d.seconds for d in days] == [0, 5400, 0, 0, 0, 0, 0]


def test_an_end_between_quarters_reaches_the_quarter_it_is_in():
    e = entry(local(2026, 11, 24, 9, 0), local(2026, 11, 24, 9, 5))
    [block] = blocks_of(week_days([e], date(2026, 11, 23), BUCHAREST, NOW), date(2026, 11, 24))
    assert (block.top, block.span, block.seconds) == (36, 1, 300)


def test_an_entry_across_midnight_shows_on_both_days_with_each_part_counted_there():
    e = entry(local(2026, 11, 24, 22, 30), local(2026, 11, 25, 1, 0))
    days = week_days([e], date(2026, 11, 23), BUCHAREST, NOW)
    [evening] = blocks_of(days, date(2026, 11, 24))
    [night] = blocks_of(days, date(2026, 11, 25))
    assert (evening.top, evening.span, evening.seconds) == (90, 6, 5400)
    assert (evening.starts_here, evening.ends_here, evening.end_text) == (True, False, "00:00")
    assert (night.top, night.span, night.seconds) == (0, 4, 3600)
    assert (night.starts_here, night.ends_here) == (False, True)
    assert evening.minutes == night.minutes == 150


def test_an_entry_from_the_week_before_shows_only_its_part_in_this_week():
    e = entry(local(2026, 11, 22, 23, 0), local(2026, 11, 23, 2, 0))
    days = week_days([e], date(2026, 11, 23), BUCHAREST, NOW)
    [block] = blocks_of(days, date(2026, 11, 23))
    assert (block.top, block.span, block.seconds) == (0, 8, 7200)
    assert sum(d.seconds for d in days) == 7200


def test_a_running_entry_grows_to_now():
    e = entry(NOW - timedelta(minutes=50), None)
    [block] = blocks_of(
        week_days([e], date(2026, 11, 30), BUCHAREST, NOW), NOW.astimezone(BUCHAREST).date()
    )
    assert block.running
    assert block.end_text == "now"
    assert block.seconds == 3000
    assert (block.top, block.span) == (52, 4)  # 13:10 to 14:00 local: the 13:00 quarter on


def test_overlapping_entries_get_side_by_side_lanes():
    a = entry(local(2026, 11, 24, 9), local(2026, 11, 24, 11))
    b = entry(local(2026, 11, 24, 10), local(2026, 11, 24, 12))
    c = entry(local(2026, 11, 24, 14), local(2026, 11, 24, 15))
    days = week_days([a, b, c], date(2026, 11, 23), BUCHAREST, NOW)
    day = next(d for d in days if d.day == date(2026, 11, 24))
    lanes = {blk.entry.pk: (blk.lane, blk.lanes) for blk in day.blocks}
    assert lanes == {a.pk: (0, 2), b.pk: (1, 2), c.pk: (0, 1)}
    assert day.lanes == 2


def test_the_day_dst_ends_holds_25_hours_and_places_by_the_wall_clock():
    # Romania leaves summer time on Sunday 25 October 2026: 04:00 EEST becomes 03:00 EET.
    whole_day = entry(local(2026, 10, 25, 0, 0), local(2026, 10, 26, 0, 0))
    after = entry(datetime(2026, 10, 25, 8, tzinfo=UTC), datetime(2026, 10, 25, 9, tzinfo=UTC))
    days = week_days([whole_day, after], date(2026, 10, 19), BUCHAREST, NOW)
    sunday = next(d for d in days if d.day == date(2026, 10, 25))
    spans = {b.entry.pk: (b.top, b.span, b.seconds) for b in sunday.blocks}
    assert spans[whole_day.pk] == (0, 96, 25 * 3600)
    assert spans[after.pk] == (40, 4, 3600)  # 10:00-11:00 EET
    assert sunday.seconds == 26 * 3600


def test_the_day_dst_starts_holds_23_hours():
    # Romania moves to summer time on Sunday 29 March 2026: 03:00 EET becomes 04:00 EEST.
    whole_day = entry(local(2026, 3, 29, 0, 0), local(2026, 3, 30, 0, 0))
    days = week_days([whole_day], date(2026, 3, 23), BUCHAREST, NOW)
    [block] = blocks_of(days, date(2026, 3, 29))
    assert (block.top, block.span, block.seconds) == (0, 96, 23 * 3600)


def test_seconds_are_summed_by_project_and_day():
    web = uuid.uuid4()
    items = [
        entry(local(2026, 11, 24, 9), local(2026, 11, 24, 10), web),
        entry(local(2026, 11, 24, 11), local(2026, 11, 24, 11, 30), web),
        entry(local(2026, 11, 24, 23), local(2026, 11, 25, 0, 30)),
    ]
    totals = seconds_by_project_and_day(items, date(2026, 11, 23), BUCHAREST, NOW)
    assert totals == {
        (str(web), date(2026, 11, 24)): 5400,
        ("", date(2026, 11, 24)): 3600,
        ("", date(2026, 11, 25)): 1800,
    }


def test_a_week_is_read_from_any_of_its_days_and_the_persons_week_start():
    today = date(2026, 11, 30)
    assert parse_week("2026-11-26", today, 0) == (date(2026, 11, 23), False)
    assert parse_week("2026-11-26", today, 6) == (date(2026, 11, 22), False)
    assert parse_week(None, today, 0) == (date(2026, 11, 30), False)
    assert parse_week("next tuesday", today, 0) == (date(2026, 11, 30), True)
