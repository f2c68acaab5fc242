"""Template filters of tracking's pages."""

from datetime import datetime

from django import template

from routinie.tracking.entries.selectors import duration_seconds
from routinie.tracking.models import TimeEntry

register = template.Library()


@register.filter
def entry_seconds(entry: TimeEntry, now: datetime) -> int:
    """Seconds an entry lasted (a running one: until `now`)."""
    return duration_seconds(entry.start, entry.end, now)
