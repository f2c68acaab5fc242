"""Reads of tracking data, always through the owner-scoped helpers (P12)."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.db.models import Prefetch, QuerySet

from routinie.core.pagination import Page, paginate
from routinie.tracking.calendar import day_range, zone_of
from routinie.tracking.models import CheckIn, Project, Routine, RoutineStep, Tag, TimeEntry
from routinie.tracking.ownership import owned


def entries_of(user: Any) -> QuerySet[TimeEntry]:
    return owned(TimeEntry, user).prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("name"))
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
    entries = entries_of(user)
    zone = zone_of(user)
    if first is not None:
        entries = entries.filter(start__gte=day_range(first, first, zone)[0])
    if last is not None:
        entries = entries.filter(start__lt=day_range(last, last, zone)[1])
    if project_id is not None:
        entries = entries.filter(project_id=project_id)
    if tag:
        entries = entries.filter(tags__name=tag)
    return paginate(
        entries,
        keys=("start", "id"),
        descending=True,
        cursor=cursor,
        limit=limit,
        encode=lambda e: [e.start.isoformat(), str(e.id)],
        decode=lambda v: [datetime.fromisoformat(v[0]), UUID(v[1])],
    )


def projects_page(*, user: Any, cursor: str | None, limit: int | None) -> Page[Project]:
    return paginate(
        owned(Project, user),
        keys=("created_at", "id"),
        descending=False,
        cursor=cursor,
        limit=limit,
        encode=lambda p: [p.created_at.isoformat(), str(p.id)],
        decode=lambda v: [datetime.fromisoformat(v[0]), UUID(v[1])],
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
        decode=lambda v: [datetime.fromisoformat(v[0]), UUID(v[1])],
    )


def checkins_of(
    *, user: Any, routine: Routine, first: date | None = None, last: date | None = None
) -> QuerySet[CheckIn]:
    checkins = owned(CheckIn, user).filter(routine=routine).order_by("date")
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
