"""The forgotten timer's pages: the confirm page the e-mail links to (a GET shows, only its
buttons change anything), the banner's and that page's buttons, and the idle dialog's form."""

from typing import Any, cast
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from routinie.accounts.auth import signed_in_user
from routinie.core.back_to import back_to
from routinie.core.errors import DomainError, InvalidInput
from routinie.tracking.entries.selectors import running_entry_of
from routinie.tracking.forgotten.services import (
    Discard,
    StopAt,
    discard_idle,
    is_forgotten,
    keep_running,
    left_of,
    stop_forgotten,
)
from routinie.tracking.models import TimeEntry
from routinie.tracking.ownership import get_owned


class IdleForm(forms.Form):
    entry_id = forms.UUIDField()
    away_seconds = forms.IntegerField()
    back_seconds_ago = forms.IntegerField()
    how = forms.ChoiceField(choices=[("break", "as a break"), ("stop", "stop the timer")])


def _page(request: HttpRequest, entry_id: UUID, status: int = 200, error: str = "") -> HttpResponse:
    user = signed_in_user(request)
    entry = get_owned(TimeEntry, user, entry_id, "time entry")
    running = running_entry_of(user)
    context: dict[str, Any] = {
        "entry": entry,
        "running": running is not None and running.pk == entry.pk,
        "forgotten": is_forgotten(user, entry.start, timezone.now()),
        "left": left_of(user, entry),
        "hours": user.forgotten_timer_hours,
        "error": error,
        "hide_forgotten_banner": True,
    }
    return render(request, "tracking/forgotten_timer.html", context, status=status)


@login_required
@require_safe
def confirm(request: HttpRequest, entry_id: UUID) -> HttpResponse:
    return _page(request, entry_id)


def _refused(request: HttpRequest, entry_id: UUID, error: DomainError) -> HttpResponse:
    return _page(request, entry_id, status=error.status, error=error.detail)


@login_required
@require_POST
def stop(request: HttpRequest, entry_id: UUID) -> HttpResponse:
    at = request.POST.get("at", "")
    try:
        if at not in ("left", "now"):
            raise InvalidInput.on("at", "Choose when the timer stops.")
        stopped = stop_forgotten(
            user=signed_in_user(request), entry_id=entry_id, at=cast(StopAt, at)
        )
    except DomainError as error:
        return _refused(request, entry_id, error)
    assert stopped.end is not None
    end = timezone.localtime(stopped.end)
    messages.success(request, f"The timer is stopped at {end:%H:%M} ({end:%a %d %b}).")
    return redirect(back_to(request, "/today/"))


@login_required
@require_POST
def keep(request: HttpRequest, entry_id: UUID) -> HttpResponse:
    try:
        keep_running(user=signed_in_user(request), entry_id=entry_id)
    except DomainError as error:
        return _refused(request, entry_id, error)
    messages.success(request, "The timer keeps running; we won't remind you of it again.")
    return redirect(back_to(request, "/today/"))


@login_required
@require_POST
def idle(request: HttpRequest) -> HttpResponse:
    form = IdleForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "tracking/idle_refused.html",
            {"error": "The idle time sent is not valid; nothing was changed."},
            status=422,
        )
    data = form.cleaned_data
    try:
        entry = discard_idle(
            user=signed_in_user(request),
            entry_id=data["entry_id"],
            away_seconds=data["away_seconds"],
            back_seconds_ago=data["back_seconds_ago"],
            how=cast(Discard, data["how"]),
        )
    except DomainError as error:
        return render(
            request, "tracking/idle_refused.html", {"error": error.detail}, status=error.status
        )
    if entry.end is not None:
        end = timezone.localtime(entry.end)
        messages.success(request, f"The timer is stopped at {end:%H:%M}, when you went idle.")
    else:
        messages.success(request, "The idle time is left out of the timer, as a break.")
    return redirect(back_to(request, "/today/"))
