"""/today/: the timer, today's entries with their running total, and today's due routines."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from routinie.accounts.auth import signed_in_user
from routinie.accounts.models import User
from routinie.core.errors import DomainError, InvalidInput
from routinie.core.htmx import is_htmx
from routinie.tracking.calendar import day_range, today_for, zone_of
from routinie.tracking.entries.forms import TimerForm, split_tags
from routinie.tracking.entries.selectors import elapsed_seconds, entries_of, running_entry_of
from routinie.tracking.entries.services import start_timer, stop_timer
from routinie.tracking.routines.forms import parse_number
from routinie.tracking.routines.presenters import today_routines
from routinie.tracking.routines.services import add_to_day, check_in, delete_check_in


def today_context(user: User, form: TimerForm | None = None) -> dict[str, Any]:
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
    total = sum(elapsed_seconds(e.start, e.end, now) for e in todays)
    running = running_entry_of(user)
    return {
        "form": form or TimerForm(user=user),
        "running": running,
        "entries": todays,
        "total_seconds": round(total),
        "now": now,
        "zone": zone,
        "day": day,
        "due_routines": today_routines(user),
    }


@login_required
def today(request: HttpRequest) -> HttpResponse:
    return render(request, "tracking/today.html", today_context(signed_in_user(request)))


@login_required
@require_POST
def timer(request: HttpRequest) -> HttpResponse:
    """Start (or, with action=stop, stop) the timer; htmx gets the timer and list back."""
    user = signed_in_user(request)
    form = TimerForm(request.POST, user=user)
    status = 200
    try:
        if request.POST.get("action") == "stop":
            stop_timer(user=user)
            form = TimerForm(user=user)
        elif form.is_valid():
            start_timer(
                user=user,
                description=form.cleaned_data["description"],
                project_id=form.cleaned_data["project"] or None,
                tags=split_tags(form.cleaned_data["tags"]),
            )
            form = TimerForm(user=user)
        else:
            status = 422
    except DomainError as error:
        form.add_error(None, error.detail)
        status = 422
    if is_htmx(request):
        return render(
            request, "tracking/_today_main.html", today_context(user, form), status=status
        )
    if status != 200:
        return render(request, "tracking/today.html", today_context(user, form), status=status)
    return redirect("/today/")


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
