"""Which routines a reminder is for on a day: due that day by their schedule (from the day
they start), not archived, and still open: not checked in that day (done or skipped), and for
"n times a week", not yet done n times that week (Monday to the day). One query for a batch."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from uuid import UUID

from routinie.core.weeks import week_start_of
from routinie.tracking.models import CheckIn, Routine
from routinie.tracking.routines.schedules import schedule_for_stats
from routinie.tracking.routines.stats import is_due

CHECKED = (CheckIn.Status.DONE, CheckIn.Status.SKIPPED)


def open_on(pairs: Iterable[tuple[Routine, date]]) -> set[tuple[UUID, date]]:
    """The (routine id, day) pairs of `pairs` whose routine is due and still open that day."""
    candidates = [
        (routine, day)
        for routine, day in pairs
        if not routine.archived
        and day >= routine.starts_on
        and is_due(schedule_for_stats(routine), day)
    ]
    if not candidates:
        return set()
    first = min(week_start_of(day) for _, day in candidates)
    last = max(day for _, day in candidates)
    marks: dict[UUID, dict[date, str]] = defaultdict(dict)
    rows = CheckIn.objects.filter(
        routine_id__in={routine.pk for routine, _ in candidates},
        date__gte=first,
        date__lte=last,
        status__in=CHECKED,
    ).values_list("routine_id", "date", "status")
    for routine_id, day, status in rows:
        marks[routine_id][day] = status
    return {
        (routine.pk, day)
        for routine, day in candidates
        if day not in marks[routine.pk] and not _week_met(routine, day, marks[routine.pk])
    }


def _week_met(routine: Routine, day: date, marks: dict[date, str]) -> bool:
    if routine.schedule_kind != Routine.Kind.TIMES_PER_WEEK:
        return False
    monday = week_start_of(day)
    done = sum(
        1
        for offset in range((day - monday).days + 1)
        if marks.get(monday + timedelta(days=offset)) == CheckIn.Status.DONE
    )
    return done >= routine.schedule_number
