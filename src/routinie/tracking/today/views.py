"""/today/: the timer, today's entries with their running total, and today's due routines."""

from collections.abc import Callable
from datetime import datetime, time
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from routinie.accounts.auth import signed_in_user
from routinie.accounts.models import User
from routinie.core.errors import InvalidInput
from routinie.core.htmx import is_htmx
from routinie.tracking.calendar import day_range, today_for, zone_of
from routinie.tracking.entries.breaks import pause_timer, resume_timer
from routinie.tracking.entries.forms import ManualForm, RunningForm, StartForm
from routinie.tracking.entries.selectors import day_total, entries_of, running_entry_of
from routinie.tracking.entries.services import start_timer, stop_timer, update_entry
from routinie.tracking.entries.undo import pending_undo
from routinie.tracking.entries.views import FORM_FIELDS, add_finished_entry, entry_fields, saved
from routinie.tracking.goals.selectors import current_progress, goals_of
from routinie.tracking.models import TimeEntry
from routinie.tracking.routines.forms import parse_number
from routinie.tracking.routines.presenters import today_routines
from routinie.tracking.routines.services import add_to_day, check_in, delete_check_in

TIMER_FIELDS = {**FORM_FIELDS, "start": "started_at"}
TIMER_ACTIONS: dict[str, Callable[..., TimeEntry]] = {
    "stop": stop_timer,
    "pause": pause_timer,
    "resume": resume_timer,
}


def _running_form(user: User, running: TimeEntry | None, data: Any = None) -> RunningForm | None:
    if running is None:
        return None
    initial = {
        "description": running.description,
        "project": str(running.project_id or ""),
        "tags": ", ".join(t.name for t in running.tags.all()),
        "started_at": running.start.astimezone(zone_of(user)).time().replace(microsecond=0),
    }
    return RunningForm(data, user=user, initial=initial, prefix="running")


def today_context(request: HttpRequest, **forms: Form | None) -> dict[str, Any]:
    user = signed_in_user(request)
    zone = zone_of(user)
    day = today_for(user)
    start, end = day_range(day, day, zone)
    now = timezone.now()
    todays = list(
        entries_of(user)
        .filter(start__gte=start, start__lt=end)
        .select_related("project")
        .order_by("-start")
    )
    running = running_entry_of(user)
    return {
        "form": forms.get("form") or StartForm(user=user),
        "running_form": forms.get("running_form") or _running_form(user, running),
        "manual_form": forms.get("manual_form")
        or ManualForm(user=user, initial={"day": day}, prefix="manual"),
        "running": running,
        "entries": todays,
        "day_total": day_total(user, day, now),
        "undo": pending_undo(request.session, user),
        "now": now,
        "zone": zone,
        "day": day,
        "due_routines": today_routines(user),
        # Called by the template once, in the goals card: the timer's htmx answers skip it.
        "goal_progress": lambda: current_progress(user, goals_of(user)),
    }


@login_required
def today(request: HttpRequest) -> HttpResponse:
    return render(request, "tracking/today.html", today_context(request))


def _answer(request: HttpRequest, ok: bool, **forms: Form | None) -> HttpResponse:
    """htmx gets the timer and today's list again (with the form's errors; once saved, the
    goals card too); a plain form goes back to /today/, or sees the page again with its errors
    (422)."""
    status = 200 if ok else 422
    if is_htmx(request):
        context = today_context(request, **({} if ok else forms))
        context["goals_oob"] = ok  # a change of the time: the goals card again, out of band
        return render(request, "tracking/_today_main.html", context, status=status)
    if not ok:
        return render(request, "tracking/today.html", today_context(request, **forms), status=422)
    return redirect("/today/")


def _at(day: Any, clock: time, user: User) -> datetime:
    return datetime.combine(day, clock, tzinfo=zone_of(user))


def _start(user: User, form: StartForm) -> None:
    started_at = form.cleaned_data["started_at"]
    start = _at(today_for(user), started_at, user) if started_at else None
    start_timer(user=user, start=start, **entry_fields(user, form))


@login_required
@require_POST
def timer(request: HttpRequest) -> HttpResponse:
    """Start (now, or at a typed time today), or with action=stop, pause or resume, stop,
    pause or resume the timer (the button pressed comes last: `get` reads it)."""
    user = signed_in_user(request)
    form = StartForm(request.POST, user=user)
    action = request.POST.get("action")
    if action in TIMER_ACTIONS:
        ok = saved(form, lambda: TIMER_ACTIONS[action](user=user))
    else:
        ok = form.is_valid() and saved(form, lambda: _start(user, form), TIMER_FIELDS)
    return _answer(request, ok, form=form)


def _correct(user: User, entry: TimeEntry, form: RunningForm) -> None:
    day = entry.start.astimezone(zone_of(user)).date()
    start = _at(day, form.cleaned_data["started_at"], user)
    if start == entry.start.replace(second=0, microsecond=0):
        start = entry.start  # the minute shown was kept: keep the exact start
    if start > timezone.now():
        raise InvalidInput.on("start", "The start cannot be later than now.", "future")
    update_entry(user=user, entry_id=entry.pk, start=start, **entry_fields(user, form))


@login_required
@require_POST
def running(request: HttpRequest) -> HttpResponse:
    """Correct the running timer (what, project, tags, start); it keeps running."""
    user = signed_in_user(request)
    entry = running_entry_of(user)
    if entry is None:
        messages.info(request, "No timer is running any more.")
        return _answer(request, True)
    form = _running_form(user, entry, request.POST)
    assert form is not None
    ok = form.is_valid() and saved(form, lambda: _correct(user, entry, form), TIMER_FIELDS)
    return _answer(request, ok, running_form=form)


@login_required
@require_POST
def manual(request: HttpRequest) -> HttpResponse:
    """Add a finished entry: start and end, or start and a typed duration (1h30, 90m)."""
    user = signed_in_user(request)
    form = ManualForm(request.POST, user=user, prefix="manual")
    ok = form.is_valid() and saved(form, lambda: add_finished_entry(user, form), FORM_FIELDS)
    if ok and not is_htmx(request):
        messages.success(request, "The entry is added.")
    return _answer(request, ok, manual_form=form)


@login_required
@require_POST
def quick_check_in(request: HttpRequest, routine_id: Any) -> HttpResponse:
    """One click for today: done (with a value for a numeric target) or skipped; `+1` to a
    numeric routine (action=add-one); or undo (action=undo: today's check-in is removed)."""
    user = signed_in_user(request)
    day = today_for(user)
    action = request.POST.get("action", "")
    status = request.POST.get("status", "done")
    raw_value = request.POST.get("value", "").strip()
    value = parse_number(raw_value) if raw_value else None
    try:
        if action == "undo":
            delete_check_in(user=user, routine_id=routine_id, day=day)
        elif action == "add-one":
            add_to_day(user=user, routine_id=routine_id, day=day)
        elif raw_value and value is None:
            raise InvalidInput.on("value", "The value is a number, like 20 or 2.5.")
        else:
            check_in(user=user, routine_id=routine_id, day=day, status=status, value=value)
    except InvalidInput as error:
        messages.error(request, error.detail)
    if is_htmx(request):
        context = {"due_routines": today_routines(user)}
        return render(request, "tracking/_today_routines.html", context)
    return redirect("/today/#routines")
