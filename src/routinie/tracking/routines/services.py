"""Routines, their steps and check-ins: the writes, and "start routine", which walks the steps
as time entries and checks the routine in. Each function is one transaction."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from routinie.accounts.models import User
from routinie.core.errors import Conflict, InvalidInput, NotFound
from routinie.tracking.calendar import today_for
from routinie.tracking.entries.selectors import running_entry_of
from routinie.tracking.entries.services import start_timer, stop_timer
from routinie.tracking.models import CheckIn, Routine, RoutineStep, TimeEntry
from routinie.tracking.ownership import already_created, get_owned, owned
from routinie.tracking.reminders.services import reminder_fields
from routinie.tracking.routines.schedules import ScheduleSpec, schedule_fields
from routinie.tracking.routines.selectors import running_step_of

MAX_STEPS = 30
EARLIEST_DATE = date(2000, 1, 1)

CHECK_IN_NOTE_MAX = 500  # characters; the form and the API schema say the same


@dataclass(frozen=True)
class StepSpec:
    name: str
    duration_seconds: int


def _name(name: str) -> str:
    name = name.strip()
    if not name:
        raise InvalidInput.on("name", "Please give the routine a name.", "required")
    if len(name) > 100:
        raise InvalidInput.on("name", "A routine name can be at most 100 characters long.")
    return name


def _target(value: float | None, unit: str | None) -> tuple[float | None, str]:
    unit = (unit or "").strip()
    if value is None:
        return None, ""
    if not 0 < value <= 1_000_000:
        raise InvalidInput.on("target.value", "A target is a positive number.")
    if len(unit) > 30:
        raise InvalidInput.on("target.unit", "A unit can be at most 30 characters long.")
    return value, unit


def _steps(steps: Sequence[StepSpec]) -> list[StepSpec]:
    if len(steps) > MAX_STEPS:
        raise InvalidInput.on("steps", f"A routine can have at most {MAX_STEPS} steps.")
    for i, step in enumerate(steps):
        if not step.name.strip() or len(step.name.strip()) > 100:
            raise InvalidInput.on(f"steps.{i}.name", "A step needs a name of 1 to 100 characters.")
        if not 1 <= step.duration_seconds <= 24 * 3600:
            raise InvalidInput.on(
                f"steps.{i}.duration_seconds", "A step lasts from 1 second to 24 hours."
            )
    return list(steps)


def _replace_steps(routine: Routine, steps: list[StepSpec]) -> None:
    routine.steps.all().delete()
    RoutineStep.objects.bulk_create(
        RoutineStep(
            routine=routine, position=i, name=s.name.strip(), duration_seconds=s.duration_seconds
        )
        for i, s in enumerate(steps)
    )


def create_routine(
    *,
    user: User,
    name: str,
    schedule: ScheduleSpec,
    target_value: float | None = None,
    target_unit: str | None = None,
    steps: Sequence[StepSpec] = (),
    archived: bool = False,
    id: UUID | None = None,
    reminder_time: time | None = None,
) -> tuple[Routine, bool]:
    """A new routine. Returns (routine, created); repeating a create with the same id is safe
    (the repeat's reminder time is not compared: the first one's stays)."""
    fields: dict[str, Any] = {"name": _name(name), **schedule_fields(schedule)}
    fields["target_value"], fields["target_unit"] = _target(target_value, target_unit)
    fields["archived"] = archived
    clean_steps = _steps(steps)
    existing = already_created(Routine, user, id, fields)
    if existing is not None:
        return existing, False
    with transaction.atomic():
        routine = Routine.objects.create(
            id=id or uuid.uuid4(),
            user=user,
            starts_on=today_for(user),
            **fields,
            **reminder_fields(user, reminder_time, timezone.now()),
        )
        _replace_steps(routine, clean_steps)
    return routine, True


def update_routine(*, user: User, routine_id: UUID, **changes: Any) -> Routine:
    """Change any of name, schedule, target (value, unit), steps, archived, reminder_time (a
    local wall time or None; keys given only)."""
    with transaction.atomic():
        routine = get_owned(Routine, user, routine_id, "routine")
        if "name" in changes:
            routine.name = _name(changes["name"] or "")
        if changes.get("schedule") is not None:
            for field, value in schedule_fields(changes["schedule"]).items():
                setattr(routine, field, value)
        if "target_value" in changes:
            routine.target_value, routine.target_unit = _target(
                changes["target_value"], changes.get("target_unit")
            )
        if changes.get("archived") is not None:
            routine.archived = bool(changes["archived"])
        if "reminder_time" in changes and changes["reminder_time"] != routine.reminder_time:
            reminder = reminder_fields(user, changes["reminder_time"], timezone.now())
            for name, setting in reminder.items():
                setattr(routine, name, setting)
        routine.save()
        if changes.get("steps") is not None:
            _replace_steps(routine, _steps(changes["steps"]))
    return routine


def delete_routine(*, user: User, routine_id: UUID) -> None:
    """Delete a routine with its check-ins; time entries it recorded stay."""
    get_owned(Routine, user, routine_id, "routine").delete()


def _check_in_fields(
    user: User, day: date, status: str, value: float | None, note: str
) -> dict[str, Any]:
    """The fields of a valid check-in; InvalidInput naming the first bad one."""
    if status not in CheckIn.Status.values:
        raise InvalidInput.on("status", "The status is done, skipped or note.")
    if day > today_for(user):
        raise InvalidInput.on("date", "You cannot check in a day that has not come yet.")
    if day < EARLIEST_DATE:
        raise InvalidInput.on("date", "That date is too far in the past.")
    if value is not None and not -1_000_000 <= value <= 1_000_000:
        raise InvalidInput.on("value", "The value is out of range.")
    if len(note) > CHECK_IN_NOTE_MAX:
        raise InvalidInput.on("note", f"A note can be at most {CHECK_IN_NOTE_MAX} characters long.")
    return {"status": status, "value": value, "note": note.strip()}


def check_in(
    *,
    user: User,
    routine_id: UUID,
    day: date,
    status: str,
    value: float | None = None,
    note: str = "",
) -> tuple[CheckIn, bool]:
    """Record a day of a routine (one per day: a second check-in updates it). "Done" without a
    value on a routine with a numeric target records the target: the target was met, wherever
    the check-in comes from (API, /today/, /routines/).

    Two statements to update: the day's check-in is read (which proves the routine is the
    user's) and updated. Three to create: the routine is read (404 when not the user's), then the
    check-in inserted as an upsert, so two first check-ins of a day at once cannot fail."""
    existing = (
        owned(CheckIn, user)
        .filter(routine_id=routine_id, date=day)
        .select_related("routine")
        .first()
    )
    if existing is not None:
        routine = existing.routine
    else:
        routine = get_owned(Routine, user, routine_id, "routine")
    if status == CheckIn.Status.DONE and value is None:
        value = routine.target_value  # "done" on a numeric target: the target was met
    fields = _check_in_fields(user, day, status, value, note)
    if existing is not None and owned(CheckIn, user).filter(pk=existing.pk).update(**fields):
        for name, field_value in fields.items():
            setattr(existing, name, field_value)
        return existing, False
    # A new day (or its check-in was deleted meanwhile).
    checkin = CheckIn(routine=routine, user=user, date=day, **fields)
    CheckIn.objects.bulk_create(
        [checkin], update_conflicts=True, unique_fields=["routine", "date"], update_fields=[*fields]
    )
    return checkin, True


def delete_check_in(*, user: User, routine_id: UUID, day: date) -> None:
    routine = get_owned(Routine, user, routine_id, "routine")
    deleted, _ = owned(CheckIn, user).filter(routine=routine, date=day).delete()
    if not deleted:
        raise NotFound("No check-in on that day.")


TOGGLE_NEXT = {None: "done", "note": "done", "done": "skipped", "skipped": None}


def toggle_day(*, user: User, routine_id: UUID, day: date) -> CheckIn | None:
    """Loop's tap on a day of a yes/no routine: none → done → skipped → none (a note-only day
    becomes done, keeping its note). A routine with a numeric target asks for a value instead."""
    routine = get_owned(Routine, user, routine_id, "routine")
    if routine.target_value is not None:
        raise InvalidInput.on("value", f"Enter how much for {routine.name} on that day.")
    existing = owned(CheckIn, user).filter(routine=routine, date=day).first()
    following = TOGGLE_NEXT[existing.status if existing is not None else None]
    if following is None:
        delete_check_in(user=user, routine_id=routine.pk, day=day)
        return None
    note = existing.note if existing is not None else ""
    checkin, _ = check_in(user=user, routine_id=routine.pk, day=day, status=following, note=note)
    return checkin


def add_to_day(*, user: User, routine_id: UUID, day: date, amount: float = 1.0) -> CheckIn:
    """`+1`: add to the day's value of a numeric routine; reaching the target makes the day
    done by the same rule as any check-in (a skip or a note counts as nothing yet)."""
    routine = get_owned(Routine, user, routine_id, "routine")
    if routine.target_value is None:
        raise InvalidInput.on("value", f"{routine.name} has no numeric target to add to.")
    existing = owned(CheckIn, user).filter(routine=routine, date=day).first()
    so_far = 0.0
    note = ""
    if existing is not None:
        note = existing.note
        if existing.status == CheckIn.Status.DONE and existing.value is not None:
            so_far = existing.value
    checkin, _ = check_in(
        user=user, routine_id=routine.pk, day=day, status="done", value=so_far + amount, note=note
    )
    return checkin


# --- Start routine: the steps as time entries, then the check-in ------------------------------
def _start_step(user: User, routine: Routine, position: int) -> TimeEntry:
    step = routine.steps.get(position=position)
    return start_timer(
        user=user,
        description=f"{routine.name}: {step.name}",
        tags=[routine.name[:50]],
        routine_id=routine.pk,
        routine_step=position,
    )


def start_routine_run(*, user: User, routine_id: UUID) -> TimeEntry:
    """Begin a run at the first step: its timer starts (a running timer stops)."""
    routine = get_owned(Routine, user, routine_id, "routine")
    if not routine.steps.exists():
        raise Conflict("This routine has no steps to run; check it in instead.")
    return _start_step(user, routine, 0)


def next_routine_step(*, user: User, routine_id: UUID) -> TimeEntry | None:
    """Stop the current step and start the next; None (and checked in) after the last."""
    routine = get_owned(Routine, user, routine_id, "routine")
    current = running_step_of(running_entry_of(user), routine.pk)
    if current is None or current.routine_step is None:
        raise Conflict("This routine is not running; start it first.")
    if routine.steps.filter(position=current.routine_step + 1).exists():
        return _start_step(user, routine, current.routine_step + 1)
    finish_routine_run(user=user, routine_id=routine_id)
    return None


def finish_routine_run(*, user: User, routine_id: UUID) -> CheckIn:
    """Stop the running step (if any) and check the routine in for today as done."""
    routine = get_owned(Routine, user, routine_id, "routine")
    with transaction.atomic():
        if running_step_of(running_entry_of(user), routine.pk) is not None:
            stop_timer(user=user)
        checkin, _ = check_in(
            user=user,
            routine_id=routine.pk,
            day=today_for(user),
            status="done",
            value=routine.target_value,
        )
    return checkin
