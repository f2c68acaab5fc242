"""Weeks of the calendar, for any app that counts or draws by week."""

from datetime import date, timedelta


def week_start_of(day: date, week_start: int = 0) -> date:
    """The first day of the week holding `day` (week_start: 0 = Monday … 6 = Sunday)."""
    return day - timedelta(days=(day.weekday() - week_start) % 7)
