"""Reads of tracking data, always through the owner-scoped helpers (P12)."""

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID

from django.db.models import Prefetch, QuerySet

from routinie.core.pagination import Page, paginate
from routinie.tracking.calendar import day_range, zone_of
from routinie.tracking.models import CheckIn, Project, Routine, RoutineStep, Tag, TimeEntry
from routinie.tracking.ownership import owned

R = TypeVar("R")  # a row of a queryset: a model object or a `.values()` dict

# The columns the API shows of each object, which its lists read as plain values.
PROJECT_FIELDS = ("id", "name", "color", "archived")
CHECKIN_FIELDS = ("date", "status", "value", "note")


def entries_of(user: Any) -> QuerySet[TimeEntry]:
    return owned(TimeEntry, user).prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("name"))
    )


def entries_matching(
    entries: QuerySet[TimeEntry, R],
    *,
    user: Any,
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


def _instant_and_id(values: list[Any]) -> list[Any]:
    """A cursor's sort key read back: (start or created_at, id)."""
    return [datetime.fromisoformat(values[0]), UUID(values[1])]


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
        decode=_instant_and_id,
        fetch=fetch,
    )


def entries_page(
    *,
    user: Any,
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


def projects_page(*, user: Any, cursor: str | None, limit: int | None) -> Page[dict[str, Any]]:
    """Projects oldest first, as plain rows (PROJECT_FIELDS and `created_at`)."""
    return paginate(
        owned(Project, user).values(*PROJECT_FIELDS, "created_at"),
        keys=("created_at", "id"),
        descending=False,
        cursor=cursor,
        limit=limit,
        encode=lambda row: [row["created_at"].isoformat(), str(row["id"])],
        decode=_instant_and_id,
    )


def routines_of(user: Any) -> QuerySet[Routine]:
    return owned(Routine, user).prefetch_related(
        Prefetch("steps", queryset=RoutineStep.objects.order_by("position"))
    )


def routines_page(*, user: Any, cursor: str | None, limit: int | None) -> Page[Routine]:
    return paginate(
        routines_of(user),
        keys=("created_at", "id"),
        descending=False,
        cursor=cursor,
        limit=limit,
        encode=lambda r: [r.created_at.isoformat(), str(r.id)],
        decode=_instant_and_id,
    )


def checkins_of(
    *, user: Any, routine: Routine, first: date | None = None, last: date | None = None
) -> QuerySet[CheckIn, dict[str, Any]]:
    """The routine's check-ins by day, as plain rows (CHECKIN_FIELDS)."""
    checkins = owned(CheckIn, user).filter(routine=routine).order_by("date").values(*CHECKIN_FIELDS)
    if first is not None:
        checkins = checkins.filter(date__gte=first)
    if last is not None:
        checkins = checkins.filter(date__lte=last)
    return checkins


def marks_of(routine: Routine) -> dict[date, Any]:
    """Every check-in of a routine as {day: Mark}, read as plain values (no model objects)."""
    from routinie.tracking.routine_stats import Mark

    rows = CheckIn.objects.filter(routine=routine).values_list("date", "status", "value")
    return {day: Mark(status, value) for day, status, value in rows}


def schedule_for_stats(routine: Routine) -> Any:
    from routinie.tracking.routine_stats import Schedule
    from routinie.tracking.routines import schedule_of

    spec = schedule_of(routine)
    return Schedule(
        kind=spec.kind,
        starts_on=routine.starts_on,
        days=frozenset(spec.days),
        count=spec.count,
        n=spec.n,
    )


def stats_of(*, user: Any, routine: Routine) -> dict[str, Any]:
    """Streaks, 30-day completion, strength and frequency by weekday of one routine."""
    from routinie.tracking.calendar import today_for
    from routinie.tracking.routine_stats import routine_stats, weekday_frequency

    marks = marks_of(routine)
    stats = routine_stats(schedule_for_stats(routine), marks, today_for(user), routine.target_value)
    return {
        "current_streak": stats.current_streak,
        "best_streak": stats.best_streak,
        "completion_rate_30d": stats.completion_rate_30d,
        "strength": stats.strength,
        "weekday_frequency": weekday_frequency(marks),
    }


def checked_in_today(*, user: Any, routine_id: UUID) -> bool:
    from routinie.tracking.calendar import today_for

    return owned(CheckIn, user).filter(routine_id=routine_id, date=today_for(user)).exists()
