"""/today/: the timer, today's entries with their running total, and today's due routines."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from routinie.core.errors import DomainError, InvalidInput
from routinie.core.htmx import is_htmx
from routinie.tracking import entries, routines
from routinie.tracking.calendar import day_range, today_for, zone_of
from routinie.tracking.entry_forms import TimerForm, split_tags
from routinie.tracking.models import CheckIn
from routinie.tracking.ownership import owned
from routinie.tracking.routine_forms import parse_number
from routinie.tracking.routine_stats import is_due
from routinie.tracking.selectors import entries_of, routines_of, schedule_for_stats


def _due_routines(user: Any) -> list[dict[str, Any]]:
    """Today's due routines with today's check-in, in two queries whatever their number."""
    day = today_for(user)
    active = list(routines_of(user).filter(archived=False).order_by("created_at"))
    today_checkins = {
        c.routine_id: c for c in owned(CheckIn, user).filter(date=day, routine__in=active)
    }
    return [
        {"routine": r, "checkin": today_checkins.get(r.pk)}
        for r in active
        if r.schedule_kind == "times_per_week" or is_due(schedule_for_stats(r), day)
    ]


def today_context(user: Any, form: TimerForm | None = None) -> dict[str, Any]:
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
    total = sum(((e.end or now) - e.start).total_seconds() for e in todays)
    running = entries.running_entry_of(user)
    return {
        "form": form or TimerForm(user=user),
        "running": running,
        "entries": todays,
        "total_seconds": round(total),
        "now": now,
        "zone": zone,
        "day": day,
        "due_routines": _due_routines(user),
    }


@login_required
def today(request: HttpRequest) -> HttpResponse:
    return render(request, "tracking/today.html", today_context(request.user))


@login_required
@require_POST
def timer(request: HttpRequest) -> HttpResponse:
    """Start (or, with action=stop, stop) the timer; htmx gets the timer and list back."""
    user = request.user
    form = TimerForm(request.POST, user=user)
    status = 200
    try:
        if request.POST.get("action") == "stop":
            entries.stop_timer(user=user)
            form = TimerForm(user=user)
        elif form.is_valid():
            entries.start_timer(
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
    """One click: done (with a value for a numeric target) or skipped, for today."""
    user = request.user
    status = request.POST.get("status", "done")
    raw_value = request.POST.get("value", "").strip()
    value = parse_number(raw_value) if raw_value else None
    try:
        if raw_value and value is None:
            raise InvalidInput.on("value", "The value is a number, like 20 or 2.5.")
        routines.check_in(
            user=user, routine_id=routine_id, day=today_for(user), status=status, value=value
        )
    except DomainError as error:
        if error.status == 404:
            raise Http404(error.detail) from None
        messages.error(request, error.detail)
    if is_htmx(request):
        context = {"due_routines": _due_routines(user)}
        return render(request, "tracking/_today_routines.html", context)
    return redirect("/today/#routines")
