"""The data-export pages (P18): start an export, watch its progress, download the archive.

The card on /account/ (`privacy/_account_export.html`) shows the latest export through the
`export_status` template tag; with htmx the status fragment replaces itself every second while
the archive is built. Without JavaScript the card asks to refresh the page.
"""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from routinie.accounts.auth import signed_in_user
from routinie.accounts.models import User
from routinie.accounts.reauth import recent_sign_in_required
from routinie.core.errors import RateLimited
from routinie.core.htmx import is_htmx
from routinie.privacy.export_archive import (
    EXPIRED,
    archive_path,
    download_name,
    export_of,
    latest_export,
    start_export,
    state_of,
)
from routinie.privacy.models import DataExport

CARD = "/account/#export"
FRAGMENT = "privacy/_export_status.html"


def status_context(user: User, export: DataExport | None, error: str = "") -> dict[str, Any]:
    """What `_export_status.html` needs (also used by the `export_status` template tag)."""
    state = state_of(export) if export is not None else ""
    return {
        "export": export,
        "state": state,
        "running": state in (DataExport.Status.QUEUED, DataExport.Status.BUILDING),
        "zone": getattr(user, "timezone", "UTC") or "UTC",
        "error": error,
    }


@login_required
@require_POST
@recent_sign_in_required(CARD)
def start(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    try:
        export = start_export(user=user)
    except RateLimited as refused:
        if not is_htmx(request):
            messages.error(request, refused.detail)
            return HttpResponseRedirect(CARD)
        context = status_context(user, latest_export(user), error=refused.detail)
        # 422: the status code the pages' htmx swaps in (see base.html's htmx-config).
        response = render(request, FRAGMENT, context, status=422)
        response.headers["Retry-After"] = str(refused.retry_after)
        return response
    if is_htmx(request):
        return render(request, FRAGMENT, status_context(user, export))
    return HttpResponseRedirect(CARD)


@login_required
@require_GET
def status(request: HttpRequest, export_id: UUID) -> HttpResponse:
    export = export_of(signed_in_user(request), export_id)
    if export is None:
        raise Http404("No such export.")
    if not is_htmx(request):
        return HttpResponseRedirect(CARD)
    return render(request, FRAGMENT, status_context(signed_in_user(request), export))


def _gone(text: str) -> HttpResponse:
    return HttpResponse(text, status=410, content_type="text/plain; charset=utf-8")


@login_required
@require_GET
def download(request: HttpRequest, export_id: UUID) -> HttpResponseBase:
    user = signed_in_user(request)
    export = export_of(user, export_id)
    if export is None:
        raise Http404("No such export.")
    state = state_of(export)
    if state == EXPIRED:
        expired_on = f" on {export.expires_at:%Y-%m-%d}" if export.expires_at else ""
        return _gone(
            f"This archive expired{expired_on}: archives are deleted 7 days after they are "
            f"ready. You can ask for a new one on your account page: {CARD}\n"
        )
    if state != DataExport.Status.READY:
        return HttpResponse(
            "This archive is not ready. Its progress is shown on your account page.\n",
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    try:
        archive = open(archive_path(export), "rb")  # noqa: SIM115 (FileResponse closes it)
    except FileNotFoundError:
        return _gone(
            f"This archive has been deleted. You can ask for a new one on your account page: "
            f"{CARD}\n"
        )
    response = FileResponse(
        archive,
        as_attachment=True,
        filename=download_name(export, user.timezone),
        content_type="application/zip",
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
