"""Reads of routines, their steps and check-ins, always through the owner-scoped helpers (P12)."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from django.db.models import Prefetch, QuerySet

from routinie.accounts.models import User
from routinie.core.errors import NotFound
from routinie.core.pagination import Page, oldest_first
from routinie.tracking.calendar import day_range, today_for, zone_of
from routinie.tracking.entries.selectors import elapsed_seconds, entries_started_between
from routinie.tracking.models import CheckIn, Routine, RoutineStep, TimeEntry
from routinie.tracking.ownership import owned
from routinie.tracking.routines.schedules import schedule_for_stats
from routinie.tracking.routines.stats import Mark, is_due, routine_stats, weekday_frequency

# The columns the API shows of a check-in, which its list reads as plain values.
CHECKIN_FIELDS = ("date", "status", "value", "note")


def routines_of(user: User) -> QuerySet[Routine]:
    return owned(Routine, user).prefetch_related(
        Prefetch("steps", queryset=RoutineStep.objects.order_by("position"))
    )


def routines_page(*, user: User, cursor: str | None, limit: int | None) -> Page[Routine]:
    return oldest_first(routines_of(user), cursor=cursor, limit=limit)


def due_routines(user: User) -> list[dict[str, Any]]:
    """Today's due routines with today's check-in, in two queries whatever their number."""
    day = today_for(user)
    active = list(routines_of(user).filter(archived=False).order_by("created_at"))
    today_checkins = {
        c.routine_id: c for c in owned(CheckIn, user).filter(date=day, routine__in=active)
    }
    return [
        {"routine": r, "checkin": today_checkins.get(r.pk)}
        for r in active
        if r.schedule_kind == "times_per_week" or is_due(schedule_for_stats(r), day)
    ]


def checkins_of(
    *, user: User, routine: Routine, first: date | None = None, last: date | None = None
) -> QuerySet[CheckIn, dict[str, Any]]:
    """The routine's check-ins by day, as plain rows (CHECKIN_FIELDS)."""
    checkins: QuerySet[CheckIn, dict[str, Any]] = (
        owned(CheckIn, user).filter(routine=routine).order_by("date").values(*CHECKIN_FIELDS)
    )
    if first is not None:
        checkins = checkins.filter(date__gte=first)
    if last is not None:
        checkins = checkins.filter(date__lte=last)
    return checkins


def checkins_newest_first(
    user: User, routine: Routine
) -> list[tuple[date, str, float | None, str]]:
    """Every check-in of the routine as (date, status, value, note), newest first."""
    rows = owned(CheckIn, user).filter(routine=routine).order_by("-date")
    return list(rows.values_list("date", "status", "value", "note"))


def checkin_on(user: User, routine: Routine, day: date) -> CheckIn | None:
    return owned(CheckIn, user).filter(routine=routine, date=day).first()


def checked_in_today(*, user: User, routine_id: UUID) -> bool:
    return owned(CheckIn, user).filter(routine_id=routine_id, date=today_for(user)).exists()


def marks_of(routine: Routine) -> dict[date, Mark]:
    """Every check-in of a routine as {day: Mark}, read as plain values (no model objects)."""
    rows = CheckIn.objects.filter(routine=routine).values_list("date", "status", "value")
    return {day: Mark(status, value) for day, status, value in rows}


def marks_by_routine(user: User, routine_ids: Iterable[UUID]) -> dict[UUID, dict[date, Mark]]:
    """Every check-in of these routines in one query, grouped by routine as {day: Mark}."""
    marks: dict[UUID, dict[date, Mark]] = defaultdict(dict)
    rows = owned(CheckIn, user).filter(routine_id__in=list(routine_ids))
    for routine_id, day, status, value in rows.values_list("routine_id", "date", "status", "value"):
        marks[routine_id][day] = Mark(status, value)
    return marks


def stats_of(*, user: User, routine: Routine) -> dict[str, Any]:
    """Streaks, 30-day completion, strength and frequency by weekday of one routine."""
    marks = marks_of(routine)
    stats = routine_stats(schedule_for_stats(routine), marks, today_for(user), routine.target_value)
    return {
        "current_streak": stats.current_streak,
        "best_streak": stats.best_streak,
        "completion_rate_30d": stats.completion_rate_30d,
        "strength": stats.strength,
        "weekday_frequency": weekday_frequency(marks),
    }


# --- Start routine: the steps as time entries ------------------------------------------------
def running_step_of(running: TimeEntry | None, routine_id: UUID) -> TimeEntry | None:
    """The running timer when it is a step of this routine ("start routine"), else None."""
    if (
        running is not None
        and running.routine_id == routine_id
        and running.routine_step is not None
    ):
        return running
    return None


def step_remaining_seconds(entry: TimeEntry, routine: Routine, now: datetime) -> int:
    """Seconds left in the running step's planned duration (negative when over)."""
    step = routine.steps.get(position=entry.routine_step or 0)
    return int((entry.start + timedelta(seconds=step.duration_seconds) - now).total_seconds())


def recorded_step_seconds(
    user: User, routine: Routine, day: date, now: datetime
) -> dict[int, float]:
    """Seconds recorded on `day` for each step of the routine (by position), running ones
    until now."""
    recorded: dict[int, float] = defaultdict(float)
    entries = entries_started_between(user, *day_range(day, day, zone_of(user)))
    rows = entries.filter(routine=routine).values_list("routine_step", "start", "end")
    for position, start, end in rows:
        if position is not None:
            recorded[position] += elapsed_seconds(start, end, now)
    return recorded


def routine_with_steps(user: User, routine_id: UUID) -> Routine:
    """The user's routine with its steps prefetched; NotFound when it is not (or no longer)
    theirs."""
    routine = routines_of(user).filter(pk=routine_id).first()
    if routine is None:
        raise NotFound("No such routine.")
    return routine
