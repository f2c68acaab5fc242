"""A goal's period in the person's calendar: the week (from their week start) or the month
that holds a day, both as local days first..last (inclusive, as a report's range)."""

from datetime import date, timedelta

from routinie.core.weeks import week_start_of
from routinie.tracking.models import Goal
from routinie.tracking.reports.presenters import month_end


def period_days(period: str, day: date, week_start: int) -> tuple[date, date]:
    """The first and last local day of the week or month holding `day`."""
    if period == Goal.Period.WEEK:
        first = week_start_of(day, week_start)
        return first, first + timedelta(days=6)
    first = day.replace(day=1)
    return first, month_end(first)


def period_of_range(first: date, last: date, week_start: int) -> str | None:
    """Which goal period a report's range is exactly ("week", "month"), or None."""
    for period in Goal.Period.values:
        if period_days(period, first, week_start) == (first, last):
            return period
    return None
