"""The Loop import and export on /routines/: parse, call the service, redirect with a message
(or show the page again with every bad value named, 422)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from routinie.accounts.auth import signed_in_user
from routinie.core.errors import DomainError
from routinie.tracking.routines.forms import LoopImportForm
from routinie.tracking.routines.views import render_routines_page
from routinie.tracking.transfer.loop_export import export_loop_zip
from routinie.tracking.transfer.loop_import import import_loop_routines


@login_required
@require_POST
def import_loop(request: HttpRequest) -> HttpResponse:
    form = LoopImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_routines_page(request, 422, loop_form=form)
    try:
        result = import_loop_routines(
            user=signed_in_user(request), upload=form.cleaned_data["file"]
        )
    except DomainError as error:
        form.add_error("file", error.detail)
        return render_routines_page(request, 422, loop_form=form, loop_errors=error.errors)
    messages.success(
        request,
        f"Imported {result['imported_routines']} routines and {result['imported_checkins']} "
        "check-ins from Loop Habit Tracker.",
    )
    return redirect("/routines/#loop")


@login_required
@require_GET
def export_loop(request: HttpRequest) -> HttpResponse:
    return export_loop_zip(user=signed_in_user(request))
