"""API v1: routines, their check-ins and statistics, and "start routine" (`api.md` fixes the
paths)."""

from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import P, QueryEx, Router, Status

from routinie.accounts.auth import api_user
from routinie.accounts.models import User
from routinie.core.fast_json import json_response
from routinie.core.schemas import ApiDate, Cursor, Limit
from routinie.tracking.entries.bodies import entry_out
from routinie.tracking.entries.selectors import running_entry_of
from routinie.tracking.models import Routine
from routinie.tracking.ownership import get_owned
from routinie.tracking.reminders.times import parse_wall_time, wall_time_text
from routinie.tracking.routines import services
from routinie.tracking.routines.schedules import ScheduleSpec, schedule_of
from routinie.tracking.routines.schemas import (
    CheckInIn,
    CheckInList,
    CheckInOut,
    RoutineIn,
    RoutineList,
    RoutineOut,
    RoutinePatch,
    RoutineRunOut,
    RoutineStatsOut,
    ScheduleIn,
)
from routinie.tracking.routines.selectors import (
    checked_in_today,
    checkins_of,
    routines_page,
    running_step_of,
    stats_of,
)
from routinie.tracking.routines.services import StepSpec

router = Router(tags=["tracking"])


def _status_of(obj: Any, created: bool) -> Status[Any]:
    """201 for a new routine, 200 for a repeated create with the same client id."""
    return Status(201 if created else 200, obj)


def _schedule(spec: ScheduleIn) -> ScheduleSpec:
    return ScheduleSpec(
        kind=spec.kind, days=tuple(spec.days or ()), count=spec.count or 0, n=spec.n or 0
    )


def routine_out(routine: Routine) -> dict[str, Any]:
    spec = schedule_of(routine)
    schedule: dict[str, object] = {"kind": spec.kind}
    if spec.kind == "weekdays":
        schedule["days"] = list(spec.days)
    elif spec.kind == "times_per_week":
        schedule["count"] = spec.count
    elif spec.kind == "every_n_days":
        schedule["n"] = spec.n
    target = None
    if routine.target_value is not None:
        target = {"value": routine.target_value, "unit": routine.target_unit}
    return {
        "id": routine.id,
        "name": routine.name,
        "schedule": schedule,
        "target": target,
        "steps": [
            {"name": s.name, "duration_seconds": s.duration_seconds} for s in routine.steps.all()
        ],
        "archived": routine.archived,
        "reminder_time": wall_time_text(routine.reminder_time),
    }


def _steps(steps: list[Any] | None) -> list[StepSpec] | None:
    if steps is None:
        return None
    return [StepSpec(s.name, s.duration_seconds) for s in steps]


@router.get("/routines", response=RoutineList)
def list_routines(
    request: HttpRequest, cursor: Cursor | None = None, limit: Limit | None = None
) -> dict[str, Any]:
    page = routines_page(user=api_user(request), cursor=cursor, limit=limit)
    return {"items": [routine_out(r) for r in page.items], "next_cursor": page.next_cursor}


@router.post("/routines", response={200: RoutineOut, 201: RoutineOut})
def create_routine(request: HttpRequest, payload: RoutineIn) -> Status[dict[str, Any]]:
    routine, created = services.create_routine(
        user=api_user(request),
        id=payload.id,
        name=payload.name,
        schedule=_schedule(payload.schedule),
        target_value=payload.target.value if payload.target else None,
        target_unit=payload.target.unit if payload.target else None,
        steps=_steps(payload.steps) or [],
        archived=payload.archived,
        reminder_time=parse_wall_time(payload.reminder_time, "reminder_time"),
    )
    return _status_of(routine_out(routine), created)


def _owned_routine(request: HttpRequest, routine_id: UUID) -> Routine:
    return get_owned(Routine, api_user(request), routine_id, "routine")


@router.get("/routines/{routine_id}", response=RoutineOut)
def get_routine(request: HttpRequest, routine_id: UUID) -> dict[str, Any]:
    return routine_out(_owned_routine(request, routine_id))


@router.patch("/routines/{routine_id}", response=RoutineOut)
def update_routine(request: HttpRequest, routine_id: UUID, payload: RoutinePatch) -> Any:
    given = payload.model_fields_set
    changes: dict[str, Any] = {}
    if "name" in given:
        changes["name"] = payload.name
    if payload.schedule is not None:
        changes["schedule"] = _schedule(payload.schedule)
    if "target" in given:
        changes["target_value"] = payload.target.value if payload.target else None
        changes["target_unit"] = payload.target.unit if payload.target else None
    if payload.steps is not None:
        changes["steps"] = _steps(payload.steps)
    if payload.archived is not None:
        changes["archived"] = payload.archived
    if "reminder_time" in given:
        changes["reminder_time"] = parse_wall_time(payload.reminder_time, "reminder_time")
    routine = services.update_routine(user=api_user(request), routine_id=routine_id, **changes)
    return routine_out(routine)


@router.delete("/routines/{routine_id}", response={204: None})
def delete_routine(request: HttpRequest, routine_id: UUID) -> Status[None]:
    services.delete_routine(user=api_user(request), routine_id=routine_id)
    return Status(204, None)


@router.get("/routines/{routine_id}/checkins", response=CheckInList)
def list_checkins(
    request: HttpRequest,
    routine_id: UUID,
    first: QueryEx[ApiDate | None, P(alias="from")] = None,
    last: QueryEx[ApiDate | None, P(alias="to")] = None,
) -> HttpResponse:
    routine = _owned_routine(request, routine_id)
    items = checkins_of(user=api_user(request), routine=routine, first=first, last=last)
    return json_response({"items": list(items)})


@router.post("/routines/{routine_id}/checkins", response={200: CheckInOut, 201: CheckInOut})
def check_in(request: HttpRequest, routine_id: UUID, payload: CheckInIn) -> Status[Any]:
    checkin, created = services.check_in(
        user=api_user(request),
        routine_id=routine_id,
        day=payload.date,
        status=payload.status,
        value=payload.value,
        note=payload.note,
    )
    return _status_of(checkin, created)


@router.delete("/routines/{routine_id}/checkins/{day}", response={204: None})
def delete_check_in(request: HttpRequest, routine_id: UUID, day: ApiDate) -> Status[None]:
    services.delete_check_in(user=api_user(request), routine_id=routine_id, day=day)
    return Status(204, None)


@router.get("/routines/{routine_id}/stats", response=RoutineStatsOut)
def routine_stats(request: HttpRequest, routine_id: UUID) -> dict[str, Any]:
    routine = _owned_routine(request, routine_id)
    return stats_of(user=api_user(request), routine=routine)


def _run_state(user: User, routine_id: UUID) -> dict[str, Any]:
    step = running_step_of(running_entry_of(user), routine_id)
    return {
        "running": entry_out(step, user) if step is not None else None,
        "step": step.routine_step if step is not None else None,
        "checked_in": checked_in_today(user=user, routine_id=routine_id),
    }


@router.post("/routines/{routine_id}/run/start", response={201: RoutineRunOut})
def start_run(request: HttpRequest, routine_id: UUID) -> Status[dict[str, Any]]:
    user = api_user(request)
    services.start_routine_run(user=user, routine_id=routine_id)
    return Status(201, _run_state(user, routine_id))


@router.post("/routines/{routine_id}/run/next", response=RoutineRunOut)
def next_step(request: HttpRequest, routine_id: UUID) -> dict[str, Any]:
    user = api_user(request)
    services.next_routine_step(user=user, routine_id=routine_id)
    return _run_state(user, routine_id)


@router.post("/routines/{routine_id}/run/finish", response=RoutineRunOut)
def finish_run(request: HttpRequest, routine_id: UUID) -> dict[str, Any]:
    user = api_user(request)
    services.finish_routine_run(user=user, routine_id=routine_id)
    return _run_state(user, routine_id)
