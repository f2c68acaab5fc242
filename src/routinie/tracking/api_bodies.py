"""The bodies of tracking's API answers, built from plain values.

An entry has one shape whether it comes from a `.values()` row (the list, encoded by orjson) or
from a model object (the single-entry answers, validated by ninja), so both answer alike.
"""

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from routinie.accounts.models import User
from routinie.core.pagination import Page
from routinie.tracking.calendar import zone_of
from routinie.tracking.models import TimeEntry
from routinie.tracking.selectors import ENTRY_FIELDS, PROJECT_FIELDS

Row = dict[str, Any]


def entry_body(row: Mapping[str, Any], zone: ZoneInfo, now: datetime) -> Row:
    """An entry (ENTRY_FIELDS and `tags`) as the API shows it: times in the person's zone; a
    running entry (no end) lasts until `now`."""
    start, end = row["start"], row["end"]
    return {
        "id": row["id"],
        "description": row["description"],
        "project_id": row["project_id"],
        "tags": row["tags"],
        "start": start.astimezone(zone),
        "end": end.astimezone(zone) if end is not None else None,
        "duration_seconds": max(0, round(((end or now) - start).total_seconds())),
        "routine_id": row["routine_id"],
    }


def entry_out(entry: TimeEntry, user: User) -> Row:
    """One entry object as the API shows it (its tags are read unless already loaded)."""
    row = {field: getattr(entry, field) for field in ENTRY_FIELDS}
    row["tags"] = [tag.name for tag in entry.tags.all()]
    return entry_body(row, zone_of(user), timezone.now())


def page_body(page: Page[Row], item: Callable[[Row], Row]) -> Row:
    """A list answer: `{items, next_cursor}`, each row shown by `item`."""
    return {"items": [item(row) for row in page.items], "next_cursor": page.next_cursor}


def entry_list_body(page: Page[Row], user: User) -> Row:
    zone, now = zone_of(user), timezone.now()
    return page_body(page, lambda row: entry_body(row, zone, now))


def project_list_body(page: Page[Row]) -> Row:
    return page_body(page, lambda row: {field: row[field] for field in PROJECT_FIELDS})
