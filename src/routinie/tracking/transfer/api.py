"""API v1: the export of time entries and the import of a file (`api.md` fixes the paths)."""

from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest, StreamingHttpResponse
from ninja import File, P, QueryEx, Router, Status
from ninja.files import UploadedFile

from routinie.accounts.auth import api_user
from routinie.core.schemas import ApiDate, TextParam
from routinie.tracking.reports.selectors import Filters
from routinie.tracking.transfer.export import export_entries
from routinie.tracking.transfer.schemas import ImportOut
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
