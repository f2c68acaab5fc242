"""Template filters for durations and times, shared by every page."""

from datetime import datetime
from typing import Any

from django import template

register = template.Library()


@register.filter
def clock(seconds: Any) -> str:
    """Seconds as H:MM:SS (a running timer, an entry's length)."""
    try:
        total = max(0, int(seconds))
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


@register.filter
def hours(seconds: Any) -> str:
    """Seconds as decimal hours with two places ("1.50 h")."""
    try:
        return f"{int(seconds) / 3600:.2f} h"
    except (TypeError, ValueError):
        return ""


@register.filter
def local(moment: datetime | None, zone: Any) -> datetime | None:
    """A UTC datetime in the given time zone (a ZoneInfo or an IANA name)."""
    if moment is None:
        return None
    from zoneinfo import ZoneInfo

    return moment.astimezone(zone if not isinstance(zone, str) else ZoneInfo(zone))
