"""API v1: the export of time entries and routines, and the import of a file of either
(`api.md` fixes the paths)."""

from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from ninja import File, P, QueryEx, Router, Status
from ninja.files import UploadedFile

from routinie.accounts.auth import api_user
from routinie.core.schemas import ApiDate, TextParam
from routinie.tracking.reports.selectors import Filters
from routinie.tracking.transfer.export import export_entries
from routinie.tracking.transfer.loop_export import export_loop_zip
from routinie.tracking.transfer.loop_import import import_loop_routines
from routinie.tracking.transfer.schemas import ImportOut, RoutinesImportOut
from routinie.tracking.transfer.services import import_time_entries

router = Router(tags=["tracking"])


@router.get("/time-entries/export")
def export(
    request: HttpRequest,
    format: Literal["csv", "json"] = "csv",
    first: QueryEx[ApiDate | None, P(alias="from")] = None,
    last: QueryEx[ApiDate | None, P(alias="to")] = None,
    project_id: UUID | None = None,
    tag: TextParam = "",
    description: TextParam = "",
) -> StreamingHttpResponse:
    filters = Filters(project_id=project_id, tag=tag, description=description)
    return export_entries(
        user=api_user(request), file_format=format, first=first, last=last, filters=filters
    )


@router.post("/import/time-entries", response={201: ImportOut})
def import_entries(request: HttpRequest, file: File[UploadedFile]) -> Status[Any]:
    result = import_time_entries(user=api_user(request), upload=file)
    return Status(201, result)


@router.get("/routines/export")
def export_routines(request: HttpRequest) -> HttpResponse:
    """Routines and check-ins as Loop Habit Tracker's CSV zip (Habits.csv, Checkmarks.csv)."""
    return export_loop_zip(user=api_user(request))


@router.post("/import/routines", response={201: RoutinesImportOut})
def import_routines(request: HttpRequest, file: File[UploadedFile]) -> Status[Any]:
    """Loop Habit Tracker's "Export as CSV" zip: all or none; the same file again adds nothing."""
    return Status(201, import_loop_routines(user=api_user(request), upload=file))
