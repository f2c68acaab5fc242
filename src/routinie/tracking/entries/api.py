"""API v1: projects, time entries and the timer (`api.md` fixes the paths)."""

from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import P, QueryEx, Router, Status

from routinie.accounts.auth import api_user
from routinie.core.fast_json import json_response
from routinie.core.schemas import ApiDate, Cursor, Limit, TextParam
from routinie.tracking.entries import breaks, services
from routinie.tracking.entries.bodies import entry_list_body, entry_out, project_list_body
from routinie.tracking.entries.rows import entry_rows_page
from routinie.tracking.entries.schemas import (
    EntryIn,
    EntryList,
    EntryOut,
    EntryPatch,
    ProjectIn,
    ProjectList,
    ProjectOut,
    ProjectPatch,
    TimerOut,
    TimerStartIn,
    break_spans,
)
from routinie.tracking.entries.selectors import projects_page, running_entry_of
from routinie.tracking.forgotten.services import forgotten_state
from routinie.tracking.models import Project, TimeEntry
from routinie.tracking.ownership import get_owned

router = Router(tags=["tracking"])

# Hot lists answer through json_response: plain rows, encoded by orjson, no per-item validation;
# their `response=` schema documents them, and tests hold real answers to it.


def _status_of(obj: Any, created: bool) -> Status[Any]:
    """201 for a new object, 200 for a repeated create with the same client id."""
    return Status(201 if created else 200, obj)


# --- Projects ---------------------------------------------------------------------------------
@router.get("/projects", response=ProjectList)
def list_projects(
    request: HttpRequest, cursor: Cursor | None = None, limit: Limit | None = None
) -> HttpResponse:
    page = projects_page(user=api_user(request), cursor=cursor, limit=limit)
    return json_response(project_list_body(page))


@router.post("/projects", response={200: ProjectOut, 201: ProjectOut})
def create_project(request: HttpRequest, payload: ProjectIn) -> Status[Project]:
    project, created = services.create_project(user=api_user(request), **payload.model_dump())
    return _status_of(project, created)


@router.get("/projects/{project_id}", response=ProjectOut)
def get_project(request: HttpRequest, project_id: UUID) -> Project:
    return get_owned(Project, api_user(request), project_id, "project")


@router.patch("/projects/{project_id}", response=ProjectOut)
def update_project(request: HttpRequest, project_id: UUID, payload: ProjectPatch) -> Project:
    return services.update_project(
        user=api_user(request), project_id=project_id, **payload.model_dump(exclude_unset=True)
    )


@router.delete("/projects/{project_id}", response={204: None})
def delete_project(request: HttpRequest, project_id: UUID) -> Status[None]:
    services.delete_project(user=api_user(request), project_id=project_id)
    return Status(204, None)


# --- Time entries -----------------------------------------------------------------------------
@router.get("/time-entries", response=EntryList)
def list_entries(
    request: HttpRequest,
    first: QueryEx[ApiDate | None, P(alias="from")] = None,
    last: QueryEx[ApiDate | None, P(alias="to")] = None,
    project_id: UUID | None = None,
    tag: TextParam | None = None,
    cursor: Cursor | None = None,
    limit: Limit | None = None,
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
    entry, created = services.create_entry(user=user, **break_spans(payload.model_dump()))
    return _status_of(entry_out(entry, user), created)


@router.get("/time-entries/{entry_id}", response=EntryOut)
def get_entry(request: HttpRequest, entry_id: UUID) -> dict[str, Any]:
    user = api_user(request)
    return entry_out(get_owned(TimeEntry, user, entry_id, "time entry"), user)


@router.patch("/time-entries/{entry_id}", response=EntryOut)
def update_entry(request: HttpRequest, entry_id: UUID, payload: EntryPatch) -> dict[str, Any]:
    user = api_user(request)
    entry = services.update_entry(
        user=user, entry_id=entry_id, **break_spans(payload.model_dump(exclude_unset=True))
    )
    return entry_out(entry, user)


@router.delete("/time-entries/{entry_id}", response={204: None})
def delete_entry(request: HttpRequest, entry_id: UUID) -> Status[None]:
    services.delete_entry(user=api_user(request), entry_id=entry_id)
    return Status(204, None)


@router.post("/time-entries/{entry_id}/duplicate", response={201: EntryOut})
def duplicate_entry(request: HttpRequest, entry_id: UUID) -> Status[dict[str, Any]]:
    user = api_user(request)
    return Status(201, entry_out(services.duplicate_entry(user=user, entry_id=entry_id), user))


@router.post("/time-entries/{entry_id}/continue", response={201: EntryOut})
def continue_entry(request: HttpRequest, entry_id: UUID) -> Status[dict[str, Any]]:
    user = api_user(request)
    return Status(201, entry_out(services.continue_entry(user=user, entry_id=entry_id), user))


# --- Timer ------------------------------------------------------------------------------------
@router.get("/timer", response=TimerOut)
def timer(request: HttpRequest) -> dict[str, Any]:
    user = api_user(request)
    running = running_entry_of(user)
    if running is None:
        return {"running": None, "forgotten": None}
    forgotten = forgotten_state(user, running, timezone.now())
    return {"running": entry_out(running, user), "forgotten": forgotten}


@router.post("/timer/start", response={201: EntryOut})
def start_timer(request: HttpRequest, payload: TimerStartIn) -> Status[dict[str, Any]]:
    user = api_user(request)
    return Status(201, entry_out(services.start_timer(user=user, **payload.model_dump()), user))


@router.post("/timer/stop", response=EntryOut)
def stop_timer(request: HttpRequest) -> dict[str, Any]:
    user = api_user(request)
    return entry_out(services.stop_timer(user=user), user)


@router.post("/timer/pause", response=EntryOut)
def pause_timer(request: HttpRequest) -> dict[str, Any]:
    user = api_user(request)
    return entry_out(breaks.pause_timer(user=user), user)


@router.post("/timer/resume", response=EntryOut)
def resume_timer(request: HttpRequest) -> dict[str, Any]:
    user = api_user(request)
    return entry_out(breaks.resume_timer(user=user), user)
