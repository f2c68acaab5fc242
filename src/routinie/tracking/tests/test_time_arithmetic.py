"""Property tests of the time arithmetic: days, weeks, DST, and report totals (hypothesis)."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routinie.core.weeks import week_start_of
from routinie.tracking.calendar import day_range, local_days, start_of_day
from routinie.tracking.models import TimeEntry
from routinie.tracking.reports.selectors import summary

ZONES = st.sampled_from(
    [
        "UTC",
        "Europe/Bucharest",
        "America/New_York",
        "Australia/Lord_Howe",
        "Asia/Kathmandu",
        "America/Santiago",
        "Pacific/Chatham",
    ]
)
DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 10, 31))


@given(zone=ZONES, day=DAYS)
def test_local_days_tile_time_without_gaps_and_last_23_to_25_hours(zone, day):
    tz = ZoneInfo(zone)
    start, end = day_range(day, day, tz)
    assert end == start_of_day(day + timedelta(days=1), tz)
    assert timedelta(hours=22, minutes=30) <= end - start <= timedelta(hours=25)
    assert start.astimezone(tz).date() == day


@given(
    zone=ZONES,
    start=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 10, 1)),
    minutes=st.integers(min_value=0, max_value=7 * 24 * 60),
)
def test_splitting_an_entry_by_local_day_keeps_every_second(zone, start, minutes):
    start = start.replace(tzinfo=UTC)
    end = start + timedelta(minutes=minutes)
    parts = local_days(start, end, ZoneInfo(zone))
    assert sum(seconds for _, seconds in parts) == pytest.approx((end - start).total_seconds())
    assert all(seconds > 0 for _, seconds in parts)
    days = [d for d, _ in parts]
    assert days == sorted(set(days))


@given(day=DAYS, week_start=st.integers(min_value=0, max_value=6))
def test_a_week_starts_on_the_chosen_weekday_within_six_days(day, week_start):
    first = week_start_of(day, week_start)
    assert first.weekday() == week_start
    assert timedelta(0) <= day - first <= timedelta(days=6)


ENTRY = st.tuples(
    st.integers(min_value=0, max_value=60 * 24 * 20),  # minutes after the base
    st.integers(min_value=0, max_value=60 * 30),  # length in minutes
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    zone=ZONES, raw=st.lists(ENTRY, max_size=12), group_by=st.sampled_from(["day", "week", "month"])
)
@pytest.mark.django_db
def test_report_totals_equal_the_sum_of_the_entries_clipped_to_the_range(
    make_user, zone, raw, group_by
):
    user, _ = make_user(email=f"p{abs(hash((zone, tuple(raw), group_by)))}@example.test")
    user.timezone = zone
    user.save()
    base = datetime(2026, 3, 20, 0, 0, tzinfo=UTC)  # spans the March DST changes
    TimeEntry.objects.bulk_create(
        TimeEntry(
            user=user, start=base + timedelta(minutes=m), end=base + timedelta(minutes=m + length)
        )
        for m, length in raw
    )
    tz = ZoneInfo(zone)
    first, last = date(2026, 3, 24), date(2026, 4, 3)
    range_start, range_end = day_range(first, last, tz)
    expected = sum(
        max(
            0.0,
            (
                min(base + timedelta(minutes=m + n), range_end)
                - max(base + timedelta(minutes=m), range_start)
            ).total_seconds(),
        )
        for m, n in raw
    )
    report = summary(user=user, first=first, last=last, group_by=group_by)
    assert report.total_seconds == round(expected)
    assert sum(g.seconds for g in report.groups) == pytest.approx(
        report.total_seconds, abs=len(report.groups)
    )
    for group in report.groups:
        assert group.seconds >= 0
