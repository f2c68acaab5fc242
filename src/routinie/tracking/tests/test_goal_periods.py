"""A goal's period in the person's calendar: the week from their week start, the calendar
month; a report's range is a goal period only when it is exactly one."""

from datetime import date

import pytest

from routinie.tracking.goals.periods import period_days, period_of_range

THURSDAY = date(2024, 2, 29)  # a leap day


@pytest.mark.parametrize(
    ("week_start", "first"),
    [(0, date(2024, 2, 26)), (6, date(2024, 2, 25)), (3, THURSDAY), (4, date(2024, 2, 23))],
)
def test_the_week_starts_on_the_persons_day(week_start, first):
    assert period_days("week", THURSDAY, week_start)[0] == first
    assert (period_days("week", THURSDAY, week_start)[1] - first).days == 6


def test_the_month_is_the_calendar_month():
    assert period_days("month", THURSDAY, 0) == (date(2024, 2, 1), THURSDAY)
    assert period_days("month", date(2026, 12, 31), 0) == (date(2026, 12, 1), date(2026, 12, 31))


def test_a_range_is_a_goal_period_only_when_it_is_exactly_one():
    assert period_of_range(date(2024, 2, 26), date(2024, 3, 3), 0) == "week"
    assert period_of_range(date(2024, 2, 26), date(2024, 3, 3), 6) is None  # not a Sunday week
    assert period_of_range(date(2024, 2, 25), date(2024, 3, 2), 6) == "week"
    assert period_of_range(date(2024, 2, 1), date(2024, 2, 29), 0) == "month"
    assert period_of_range(date(2024, 2, 1), date(2024, 2, 28), 0) is None
    assert period_of_range(date(2024, 2, 2), date(2024, 3, 1), 0) is None
