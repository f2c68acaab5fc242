"""Reads of time entries, the timer and projects, always through the owner-scoped helpers (P12)."""

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID

from django.db.models import Prefetch, QuerySet

from routinie.accounts.models import User
from routinie.core.pagination import Page, instant_and_id, paginate
from routinie.tracking.calendar import day_range, zone_of
from routinie.tracking.entries.breaks import ticking_since, with_pause_state, worked_seconds
from routinie.tracking.models import Project, Tag, TimeEntry
from routinie.tracking.ownership import owned

R = TypeVar("R")  # a row of a queryset: a model object or a `.values()` dict

# The columns the API shows of a project, which its list reads as plain values.
PROJECT_FIELDS = ("id", "name", "color", "archived")


def elapsed_seconds(start: datetime, end: datetime | None, now: datetime) -> float:
    """How long an entry lasts; a running entry (no end) lasts until `now`."""
    return ((end or now) - start).total_seconds()


def duration_seconds(start: datetime, end: datetime | None, now: datetime) -> int:
    """`elapsed_seconds` in whole seconds, never below 0 (as the API and the export show it)."""
    return max(0, round(elapsed_seconds(start, end, now)))


def running_entry_of(user: User) -> TimeEntry | None:
    """The user's running timer: the entry without an end (at most one), with its pause state
    (`paused_since`, `has_breaks`) read in the same query."""
    running: TimeEntry | None = with_pause_state(
        owned(TimeEntry, user).filter(end__isnull=True)
    ).first()
    return running


def entries_of(user: User) -> QuerySet[TimeEntry]:
    """The user's entries with their tags (by name) and breaks (oldest first) prefetched."""
    return owned(TimeEntry, user).prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("name")), "breaks"
    )


def entries_matching(
    entries: QuerySet[TimeEntry, R],
    *,
    user: User,
    first: date | None = None,
    last: date | None = None,
    project_id: UUID | None = None,
    tag: str | None = None,
) -> QuerySet[TimeEntry, R]:
    """`entries` narrowed to local days first..last (of their start), a project and a tag."""
    zone = zone_of(user)
    if first is not None:
        entries = entries.filter(start__gte=day_range(first, first, zone)[0])
    if last is not None:
        entries = entries.filter(start__lt=day_range(last, last, zone)[1])
    if project_id is not None:
        entries = entries.filter(project_id=project_id)
    if tag:
        entries = entries.filter(tags__name=tag)
    return entries


def newest_first(
    entries: QuerySet[TimeEntry, R],
    *,
    cursor: str | None,
    limit: int | None,
    encode: Callable[[R], list[Any]],
    fetch: Callable[[QuerySet[TimeEntry, R]], list[R]] = list,
) -> Page[R]:
    """A page of `entries`, newest first (by start, then id)."""
    return paginate(
        entries,
        keys=("start", "id"),
        descending=True,
        cursor=cursor,
        limit=limit,
        encode=encode,
        decode=instant_and_id,
        fetch=fetch,
    )


def entries_page(
    *,
    user: User,
    first: date | None = None,
    last: date | None = None,
    project_id: UUID | None = None,
    tag: str | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[TimeEntry]:
    """Entries newest first, filtered by local days (of their start), project or tag."""
    entries = entries_matching(
        entries_of(user), user=user, first=first, last=last, project_id=project_id, tag=tag
    )
    return newest_first(
        entries, cursor=cursor, limit=limit, encode=lambda e: [e.start.isoformat(), str(e.id)]
    )


def entries_started_between(user: User, start: datetime, end: datetime) -> QuerySet[TimeEntry]:
    """The user's entries that start in [start, end)."""
    return owned(TimeEntry, user).filter(start__gte=start, start__lt=end)


def projects_page(*, user: User, cursor: str | None, limit: int | None) -> Page[dict[str, Any]]:
    """Projects oldest first, as plain rows (PROJECT_FIELDS and `created_at`)."""
    return paginate(
        owned(Project, user).values(*PROJECT_FIELDS, "created_at"),
        keys=("created_at", "id"),
        descending=False,
        cursor=cursor,
        limit=limit,
        encode=lambda row: [row["created_at"].isoformat(), str(row["id"])],
        decode=instant_and_id,
    )


def projects_of(user: User) -> QuerySet[Project]:
    """The user's projects, active first, by name (the /entries/ page's list)."""
    return owned(Project, user).order_by("archived", "name")


def project_colors(user: User, project_ids: list[str]) -> dict[str, str]:
    """The colours of these projects of the user, by id (one query; none when no id)."""
    if not project_ids:
        return {}
    rows = owned(Project, user).filter(pk__in=project_ids).values_list("id", "color")
    return {str(pk): color for pk, color in rows}


def day_total(user: User, day: date, now: datetime) -> dict[str, Any]:
    """A local day's worked total with the running timer in it up to `now`, and what a page
    needs to tick it on from the server's start time: the finished seconds and the running
    start, later by its breaks (Unix seconds; None when no timer of that day runs, or it is
    paused: the total stands still)."""
    entries = list(
        entries_started_between(user, *day_range(day, day, zone_of(user))).prefetch_related(
            "breaks"
        )
    )
    total = sum(worked_seconds(entry, now) for entry in entries)
    running = [entry for entry in entries if entry.end is None]
    since = ticking_since(running[0], now) if running else None
    finished = total - sum(worked_seconds(entry, now) for entry in running if since is not None)
    return {
        "day": day,
        "total": round(total),
        "finished": round(finished),
        "running_since": round(since) if since is not None else None,
    }
