"""The timesheet's one write: set the time of project-by-day cells.

The rule (as a Clockify user expects it): typing a larger total adds the difference to the
cell's timesheet entry (an entry described "Timesheet", made on the first raise, placed from
09:00 and kept inside its day); typing a smaller one (or clearing the cell) shortens or removes
timesheet entries only. Time from the timer or a manual entry is never changed here: lowering a
cell below it is refused with the reason, and the week view is where those entries are edited.
Every write goes through the entry services; the whole save is one transaction."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from routinie.accounts.models import User
from routinie.core.errors import DomainError, FieldError, InvalidInput
from routinie.tracking.calendar import start_of_day, zone_of
from routinie.tracking.entries import services as entries
from routinie.tracking.entries.durations import duration_text
from routinie.tracking.models import TimeEntry
from routinie.tracking.week.presenters import seconds_by_project_and_day
from routinie.tracking.week.selectors import entries_touching

TIMESHEET = "Timesheet"
WORKDAY_START = time(9, 0)


@dataclass(frozen=True)
class Cell:
    project_id: UUID | None
    day: date
    seconds: int  # the total the person typed (0: cleared)


def _made_here(entry: TimeEntry, cell: Cell, day_start: datetime, day_end: datetime) -> bool:
    """Whether the timesheet made this entry for this cell (so the timesheet may change it)."""
    return (
        entry.description == TIMESHEET
        and entry.project_id == cell.project_id
        and entry.end is not None
        and day_start <= entry.start
        and entry.end <= day_end
    )


def _raise(
    user: User, cell: Cell, made: list[TimeEntry], more: int, bounds: tuple[datetime, datetime]
) -> None:
    day_start, day_end = bounds
    if made:
        entry = made[-1]
        assert entry.end is not None
        length = (entry.end - entry.start) + timedelta(seconds=more)
        start = max(day_start, min(entry.start, day_end - length))
        entries.update_entry(user=user, entry_id=entry.pk, start=start, end=start + length)
        return
    length = timedelta(seconds=more)
    nine = datetime.combine(cell.day, WORKDAY_START, tzinfo=zone_of(user)).astimezone(UTC)
    start = max(day_start, min(nine, day_end - length))
    entries.create_entry(
        user=user,
        start=start,
        end=start + length,
        description=TIMESHEET,
        project_id=cell.project_id,
    )


def _lower(user: User, made: list[TimeEntry], less: int) -> None:
    if sum((e.end - e.start).total_seconds() for e in made if e.end) < less:
        raise InvalidInput.on(
            "cell",
            "Only time typed in the timesheet can be lowered here; change the other entries"
            " of this day in the week view.",
        )
    for entry in reversed(made):
        assert entry.end is not None
        length = round((entry.end - entry.start).total_seconds())
        if length <= less:
            entries.delete_entry(user=user, entry_id=entry.pk)
        else:
            entries.update_entry(
                user=user, entry_id=entry.pk, end=entry.end - timedelta(seconds=less)
            )
        less -= min(length, less)
        if less == 0:
            return


def set_timesheet_cells(*, user: User, cells: Mapping[str, Cell]) -> int:
    """Make each cell's total what was typed (keys name the cells in errors). All or nothing:
    InvalidInput names every refused cell. Returns how many cells changed."""
    if not cells:
        return 0
    zone = zone_of(user)
    first = min(c.day for c in cells.values())
    last = max(c.day for c in cells.values())
    errors: list[FieldError] = []
    changed = 0
    with transaction.atomic():
        touching = entries_touching(user, first, last)
        totals = seconds_by_project_and_day(touching, first, zone, timezone.now())
        for key, cell in cells.items():
            if not first <= cell.day < first + timedelta(days=7):
                errors.append(FieldError(key, "This day is not in the timesheet's week."))
                continue
            bounds = start_of_day(cell.day, zone), start_of_day(cell.day + timedelta(days=1), zone)
            day_seconds = round((bounds[1] - bounds[0]).total_seconds())
            difference = cell.seconds - totals.get((str(cell.project_id or ""), cell.day), 0)
            if difference == 0:
                continue
            if cell.seconds > day_seconds:
                errors.append(
                    FieldError(key, f"This day has only {duration_text(day_seconds)} hours.")
                )
                continue
            made = [e for e in touching if _made_here(e, cell, *bounds)]
            try:
                if difference > 0:
                    _raise(user, cell, made, difference, bounds)
                else:
                    _lower(user, made, -difference)
            except DomainError as error:
                errors.append(FieldError(key, error.detail))
            changed += 1
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise InvalidInput("Some cells could not be saved; nothing was changed.", errors)
    return changed
