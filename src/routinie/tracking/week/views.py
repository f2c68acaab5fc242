"""/week/ (a calendar of the week's entries: drag to move, resize, click to add) and
/timesheet/ (projects by days, durations typed into cells). Parse, call, render."""

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from routinie.accounts.auth import signed_in_user
from routinie.accounts.models import User
from routinie.core.errors import DomainError, InvalidInput
from routinie.core.htmx import is_htmx
from routinie.tracking.calendar import zone_of
from routinie.tracking.entries import services
from routinie.tracking.entries.forms import ManualForm
from routinie.tracking.entries.views import FORM_FIELDS, add_finished_entry, saved
from routinie.tracking.week.forms import MoveForm, typed_cells
from routinie.tracking.week.pages import (
    parse_rows,
    timesheet_context,
    week_context,
    week_of_request,
)
from routinie.tracking.week.services import set_timesheet_cells


@login_required
def week(request: HttpRequest) -> HttpResponse:
    return render(request, "tracking/week.html", week_context(request))


@login_required
@require_POST
def add(request: HttpRequest) -> HttpResponse:
    """An entry added from the week view: the same form and rules as /today/'s manual mode."""
    user = signed_in_user(request)
    form = ManualForm(request.POST, user=user)
    if form.is_valid() and saved(form, lambda: add_finished_entry(user, form), FORM_FIELDS):
        messages.success(request, "The entry is added.")
        return redirect(f"/week/?week={form.cleaned_data['day'].isoformat()}")
    context = week_context(request, add_form=form)
    return render(request, "tracking/week.html", context, status=422)


@login_required
@require_POST
def move(request: HttpRequest, entry_id: UUID) -> HttpResponse:
    """A block dragged or resized: the new grid on success, else 422 with the reason."""
    user = signed_in_user(request)
    form = MoveForm(request.POST)
    changes = form.changes(zone_of(user)) if form.is_valid() else {}
    try:
        if not changes:
            raise InvalidInput("The new times could not be read.")
        services.update_entry(user=user, entry_id=entry_id, **changes)
    except DomainError as error:  # the script puts the block back and shows why
        return JsonResponse({"detail": error.detail}, status=error.status)
    first = week_of_request(request, user, request.POST.get("week", ""))
    return render(request, "tracking/_week_grid.html", week_context(request, first=first))


@login_required
def timesheet(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if request.method == "POST":
        return _save_timesheet(request, user)
    first = week_of_request(request, user)
    rows = parse_rows(user, request.GET.getlist("row"))
    return render(request, "tracking/timesheet.html", timesheet_context(user, first, rows))


def _save_timesheet(request: HttpRequest, user: User) -> HttpResponse:
    """Every typed cell, or (when one is refused) none, with the errors next to the cells."""
    first = week_of_request(request, user, request.POST.get("week"))
    rows = parse_rows(user, request.POST.getlist("row"))
    days = [first + timedelta(days=i) for i in range(7)]
    cells, errors = typed_cells(request.POST, days, rows)
    if not errors:
        try:
            set_timesheet_cells(user=user, cells=cells)
        except DomainError as error:
            errors = {e.field: e.message for e in error.errors} or {"": error.detail}
    template = "tracking/_timesheet_form.html" if is_htmx(request) else "tracking/timesheet.html"
    if errors:
        context = timesheet_context(user, first, rows, typed=request.POST, errors=errors)
        return render(request, template, context, status=422)
    if is_htmx(request):
        return render(request, template, timesheet_context(user, first, rows, saved=True))
    messages.success(request, "The timesheet is saved.")
    query: list[tuple[str, Any]] = [("week", first.isoformat())]
    query += [("row", str(r or "none")) for r in rows]
    return redirect(f"/timesheet/?{urlencode(query)}")
