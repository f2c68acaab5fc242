"""The data export in API v1 (P18): ask for an archive, then poll it until it is ready.

The archive is downloaded from `download_url`, the page's download address, with the browser
session (the account page's link); archives are kept for 7 days after they are ready.
"""

from datetime import datetime
from typing import Literal
from uuid import UUID

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status
from pydantic import Field

from routinie.accounts.auth import api_user
from routinie.accounts.reauth import require_recent
from routinie.core.errors import NotFound
from routinie.privacy.export_archive import export_of, start_export, state_of
from routinie.privacy.models import DataExport

router = Router(tags=["privacy"])

ExportState = Literal["queued", "building", "ready", "failed", "expired"]


class ExportStarted(Schema):
    id: UUID
    status: ExportState


class ExportOut(Schema):
    id: UUID
    status: ExportState = Field(
        description='"expired": the archive was ready but its 7 days are over (deleted).'
    )
    progress: int = Field(description="Percent, 0 to 100.")
    download_url: str | None = Field(
        description="While ready: the archive's address (signed-in browser session)."
    )
    size_bytes: int | None
    expires_at: datetime | None


def _out(request: HttpRequest, export: DataExport) -> dict[str, object]:
    state = state_of(export)
    ready = state == DataExport.Status.READY
    url = reverse("privacy:export-download", args=[export.pk])
    return {
        "id": export.pk,
        "status": state,
        "progress": export.progress,
        "download_url": request.build_absolute_uri(url) if ready else None,
        "size_bytes": export.size_bytes if ready else None,
        "expires_at": export.expires_at,
    }


@router.post("/export", response={202: ExportStarted})
def start(request: HttpRequest) -> Status[dict[str, object]]:
    """Ask for an archive of your data. While one is queued or building, that one is returned.
    At most 5 a day (429 with Retry-After). A browser session (not a bearer token) must have
    signed in or confirmed it's you within 10 minutes (403 otherwise)."""
    require_recent(request)
    export = start_export(user=api_user(request))
    return Status(202, {"id": export.pk, "status": state_of(export)})


@router.get("/export/{export_id}", response=ExportOut)
def status(request: HttpRequest, export_id: UUID) -> dict[str, object]:
    export = export_of(api_user(request), export_id)
    if export is None:
        raise NotFound("No such export.")
    return _out(request, export)
