"""Template filters of tracking's pages."""

from datetime import datetime

from django import template

from routinie.tracking.entries.breaks import break_seconds, spans_of, ticking_since, worked_seconds
from routinie.tracking.models import TimeEntry

register = template.Library()


@register.filter
def entry_seconds(entry: TimeEntry, now: datetime) -> int:
    """Seconds an entry was worked (a running one: until `now`), its breaks left out."""
    return round(worked_seconds(entry, now))


@register.filter
def entry_break_seconds(entry: TimeEntry, now: datetime) -> int:
    """Seconds of the entry's breaks (an open one: until `now`)."""
    return round(break_seconds(spans_of(entry), now))


@register.filter
def clock_since(entry: TimeEntry | None, now: datetime) -> int | None:
    """Where a ticking clock of the entry's worked time starts; None while paused (or for no
    entry: no timer runs)."""
    return ticking_since(entry, now) if entry is not None else None
