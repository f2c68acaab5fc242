"""Reads for the week view and the timesheet: a week's entries in one owner-scoped query."""

from datetime import date

from django.db.models import Q

from routinie.accounts.models import User
from routinie.tracking.calendar import day_range, zone_of
from routinie.tracking.entries.services import MAX_ENTRY
from routinie.tracking.models import TimeEntry
from routinie.tracking.ownership import owned


def entries_touching(user: User, first: date, last: date) -> list[TimeEntry]:
    """The user's entries with any part on local days first..last (a running one included),
    with their projects, by start: one query, and one for their breaks. An entry lasts at
    most MAX_ENTRY, so only those starting that long before the first day are looked at (the
    start index does the rest)."""
    start, end = day_range(first, last, zone_of(user))
    entries = owned(TimeEntry, user).filter(start__gte=start - MAX_ENTRY, start__lt=end)
    entries = entries.filter(Q(end__gt=start) | Q(end__isnull=True))
    return list(
        entries.select_related("project").prefetch_related("breaks").order_by("start", "id")
    )
