"""The tracking part of API v1: projects, time entries, the timer, routines, reports, import."""

from datetime import date
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from routinie.accounts.auth import api_user
from routinie.accounts.models import User
from routinie.core.fast_json import json_response
from routinie.tracking import entries, reports, routines, selectors
from routinie.tracking.api_bodies import entry_list_body, entry_out, project_list_body
from routinie.tracking.entry_rows import entry_rows_page
from routinie.tracking.export import export_entries
from routinie.tracking.import_service import import_time_entries
from routinie.tracking.models import Project, Routine, TimeEntry
from routinie.tracking.ownership import get_owned
from routinie.tracking.schemas import (
    CheckInIn,
    CheckInList,
    CheckInOut,
    EntryIn,
    EntryList,
    EntryOut,
    EntryPatch,
    ImportOut,
    ProjectIn,
    ProjectList,
    ProjectOut,
    ProjectPatch,
    RoutineIn,
    RoutineList,
    RoutineOut,
    RoutinePatch,
    RoutineRunOut,
    RoutineStatsOut,
    ScheduleIn,
    SummaryOut,
    TimerOut,
    TimerStartIn,
)

router = Router(tags=["tracking"])


def _created(obj: Any, created: bool) -> Status[Any]:
    return Status(201 if created else 200, obj)


# Hot lists answer through json_response: plain rows, encoded by orjson, no per-item validation;
# their `response=` schema documents them, and tests hold real answers to it.


# --- Projects ---------------------------------------------------------------------------------
@router.get("/projects", response=ProjectList)
def list_projects(
    request: HttpRequest, cursor: str | None = None, limit: int | None = None
) -> HttpResponse:
    page = selectors.projects_page(user=api_user(request), cursor=cursor, limit=limit)
    return json_response(project_list_body(page))


@router.post("/projects", response={200: ProjectOut, 201: ProjectOut})
def create_project(request: HttpRequest, payload: ProjectIn) -> Status[Project]:
    project, created = entries.create_project(user=api_user(request), **payload.model_dump())
    return _created(project, created)


@router.get("/projects/{project_id}", response=ProjectOut)
def get_project(request: HttpRequest, project_id: UUID) -> Project:
    return get_owned(Project, api_user(request), project_id, "project")


@router.patch("/projects/{project_id}", response=ProjectOut)
def update_project(request: HttpRequest, project_id: UUID, payload: ProjectPatch) -> Project:
    return entries.update_project(
        user=api_user(request), project_id=project_id, **payload.model_dump(exclude_unset=True)
    )


@router.delete("/projects/{project_id}", response={204: None})
def delete_project(request: HttpRequest, project_id: UUID) -> Status[None]:
    entries.delete_project(user=api_user(request), project_id=project_id)
    return Status(204, None)


# --- Time entries -----------------------------------------------------------------------------
@router.get("/time-entries", response=EntryList)
def list_entries(
    request: HttpRequest,
    first: date | None = Query(None, alias="from"),  # noqa: B008
    last: date | None = Query(None, alias="to"),  # noqa: B008
    project_id: UUID | None = None,
    tag: str | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> HttpResponse:
    user = api_user(request)
    page = entry_rows_page(
        user=user,
        first=first,
        last=last,
        project_id=project_id,
        tag=tag,
        cursor=cursor,
        limit=limit,
    )
    return json_response(entry_list_body(page, user))


@router.post("/time-entries", response={200: EntryOut, 201: EntryOut})
def create_entry(request: HttpRequest, payload: EntryIn) -> Status[dict[str, Any]]:
    user = api_user(request)
    entry, created = entries.create_entry(user=user, **payload.model_dump())
    return _created(entry_out(entry, user), created)


@router.get("/time-entries/export")
def export(
    request: HttpRequest,
    format: str = "csv",
    first: date | None = Query(None, alias="from"),  # noqa: B008
    last: date | None = Query(None, alias="to"),  # noqa: B008
) -> StreamingHttpResponse:
    return export_entries(user=api_user(request), file_format=format, first=first, last=last)


@router.get("/time-entries/{entry_id}", response=EntryOut)
def get_entry(request: HttpRequest, entry_id: UUID) -> dict[str, Any]:
    user = api_user(request)
    return entry_out(get_owned(TimeEntry, user, entry_id, "time entry"), user)


@router.patch("/time-entries/{entry_id}", response=EntryOut)
def update_entry(request: HttpRequest, entry_id: UUID, payload: EntryPatch) -> dict[str, Any]:
    user = api_user(request)
    entry = entries.update_entry(
        user=user, entry_id=entry_id, **payload.model_dump(exclude_unset=True)
    )
    return entry_out(entry, user)


@router.delete("/time-entries/{entry_id}", response={204: None})
def delete_entry(request: HttpRequest, entry_id: UUID) -> Status[None]:
    entries.delete_entry(user=api_user(request), entry_id=entry_id)
    return Status(204, None)


@router.post("/time-entries/{entry_id}/duplicate", response={201: EntryOut})
def duplicate_entry(request: HttpRequest, entry_id: UUID) -> Status[dict[str, Any]]:
    user = api_user(request)
    return Status(201, entry_out(entries.duplicate_entry(user=user, entry_id=entry_id), user))


@router.post("/time-entries/{entry_id}/continue", response={201: EntryOut})
def continue_entry(request: HttpRequest, entry_id: UUID) -> Status[dict[str, Any]]:
    user = api_user(request)
    return Status(201, entry_out(entries.continue_entry(user=user, entry_id=entry_id), user))


# --- Timer ------------------------------------------------------------------------------------
@router.get("/timer", response=TimerOut)
def timer(request: HttpRequest) -> dict[str, Any]:
    user = api_user(request)
    running = entries.running_entry_of(user)
    return {"running": entry_out(running, user) if running else None}


@router.post("/timer/start", response={201: EntryOut})
def start_timer(request: HttpRequest, payload: TimerStartIn) -> Status[dict[str, Any]]:
    user = api_user(request)
    return Status(201, entry_out(entries.start_timer(user=user, **payload.model_dump()), user))


@router.post("/timer/stop", response=EntryOut)
def stop_timer(request: HttpRequest) -> dict[str, Any]:
    user = api_user(request)
    return entry_out(entries.stop_timer(user=user), user)


# --- Import -----------------------------------------------------------------------------------
@router.post("/import/time-entries", response={201: ImportOut})
def import_entries(request: HttpRequest, file: UploadedFile = File(...)) -> Status[Any]:  # noqa: B008
    result = import_time_entries(user=api_user(request), upload=file)
    return Status(201, result)


# --- Routines ---------------------------------------------------------------------------------
def _schedule(spec: ScheduleIn) -> routines.ScheduleSpec:
    return routines.ScheduleSpec(
        kind=spec.kind, days=tuple(spec.days or ()), count=spec.count or 0, n=spec.n or 0
    )


def routine_out(routine: Routine) -> dict[str, Any]:
    spec = routines.schedule_of(routine)
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
    }


def _steps(steps: list[Any] | None) -> list[routines.StepSpec] | None:
    if steps is None:
        return None
    return [routines.StepSpec(s.name, s.duration_seconds) for s in steps]


@router.get("/routines", response=RoutineList)
def list_routines(
    request: HttpRequest, cursor: str | None = None, limit: int | None = None
) -> dict[str, Any]:
    page = selectors.routines_page(user=api_user(request), cursor=cursor, limit=limit)
    return {"items": [routine_out(r) for r in page.items], "next_cursor": page.next_cursor}


@router.post("/routines", response={200: RoutineOut, 201: RoutineOut})
def create_routine(request: HttpRequest, payload: RoutineIn) -> Status[dict[str, Any]]:
    routine, created = routines.create_routine(
        user=api_user(request),
        id=payload.id,
        name=payload.name,
        schedule=_schedule(payload.schedule),
        target_value=payload.target.value if payload.target else None,
        target_unit=payload.target.unit if payload.target else None,
        steps=_steps(payload.steps) or [],
        archived=payload.archived,
    )
    return _created(routine_out(routine), created)


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
    routine = routines.update_routine(user=api_user(request), routine_id=routine_id, **changes)
    return routine_out(routine)


@router.delete("/routines/{routine_id}", response={204: None})
def delete_routine(request: HttpRequest, routine_id: UUID) -> Status[None]:
    routines.delete_routine(user=api_user(request), routine_id=routine_id)
    return Status(204, None)


@router.get("/routines/{routine_id}/checkins", response=CheckInList)
def list_checkins(
    request: HttpRequest,
    routine_id: UUID,
    first: date | None = Query(None, alias="from"),  # noqa: B008
    last: date | None = Query(None, alias="to"),  # noqa: B008
) -> HttpResponse:
    routine = _owned_routine(request, routine_id)
    items = selectors.checkins_of(user=api_user(request), routine=routine, first=first, last=last)
    return json_response({"items": list(items)})


@router.post("/routines/{routine_id}/checkins", response={200: CheckInOut, 201: CheckInOut})
def check_in(request: HttpRequest, routine_id: UUID, payload: CheckInIn) -> Status[Any]:
    checkin, created = routines.check_in(
        user=api_user(request),
        routine_id=routine_id,
        day=payload.date,
        status=payload.status,
        value=payload.value,
        note=payload.note,
    )
    return _created(checkin, created)


@router.delete("/routines/{routine_id}/checkins/{day}", response={204: None})
def delete_check_in(request: HttpRequest, routine_id: UUID, day: date) -> Status[None]:
    routines.delete_check_in(user=api_user(request), routine_id=routine_id, day=day)
    return Status(204, None)


@router.get("/routines/{routine_id}/stats", response=RoutineStatsOut)
def routine_stats(request: HttpRequest, routine_id: UUID) -> dict[str, Any]:
    routine = _owned_routine(request, routine_id)
    return selectors.stats_of(user=api_user(request), routine=routine)


def _run_state(user: User, routine_id: UUID) -> dict[str, Any]:
    running = entries.running_entry_of(user)
    is_step = running is not None and running.routine_id == routine_id
    checked = selectors.checked_in_today(user=user, routine_id=routine_id)
    return {
        "running": entry_out(running, user) if running is not None and is_step else None,
        "step": running.routine_step if running is not None and is_step else None,
        "checked_in": checked,
    }


@router.post("/routines/{routine_id}/run/start", response={201: RoutineRunOut})
def start_run(request: HttpRequest, routine_id: UUID) -> Status[dict[str, Any]]:
    user = api_user(request)
    routines.start_routine_run(user=user, routine_id=routine_id)
    return Status(201, _run_state(user, routine_id))


@router.post("/routines/{routine_id}/run/next", response=RoutineRunOut)
def next_step(request: HttpRequest, routine_id: UUID) -> dict[str, Any]:
    user = api_user(request)
    routines.next_routine_step(user=user, routine_id=routine_id)
    return _run_state(user, routine_id)


@router.post("/routines/{routine_id}/run/finish", response=RoutineRunOut)
def finish_run(request: HttpRequest, routine_id: UUID) -> dict[str, Any]:
    user = api_user(request)
    routines.finish_routine_run(user=user, routine_id=routine_id)
    return _run_state(user, routine_id)


# --- Reports ----------------------------------------------------------------------------------
@router.get("/reports/summary", response=SummaryOut)
def summary(
    request: HttpRequest,
    first: date = Query(..., alias="from"),  # noqa: B008
    last: date = Query(..., alias="to"),  # noqa: B008
    group_by: str = "day",
) -> reports.Summary:
    return reports.summary(user=api_user(request), first=first, last=last, group_by=group_by)
