"""The routine pages: the list with one-click check-ins, a routine's page (stats, heat-map,
back-fill), the create and edit forms, and "start routine" (the steps as timed entries).

Parse, call a service, render. Every action is a plain form POST that redirects back with a
message; htmx requests (the list's check-in buttons) get the routine's card back instead.
Someone else's routine is not found (404) on every view, whatever the method.
"""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse

from routinie.accounts.auth import signed_in_user
from routinie.accounts.models import User
from routinie.core.back_to import back_to
from routinie.core.errors import Conflict, DomainError, InvalidInput, NotFound
from routinie.core.forms import add_domain_errors
from routinie.core.htmx import is_htmx
from routinie.tracking.calendar import today_for
from routinie.tracking.models import Routine
from routinie.tracking.ownership import get_owned
from routinie.tracking.reminders.services import digest_time_of
from routinie.tracking.reminders.times import wall_time_text
from routinie.tracking.routines import services
from routinie.tracking.routines.forms import CheckInForm, DayForm, LoopImportForm, RoutineForm
from routinie.tracking.routines.presenters import cards_of, detail_context, run_context
from routinie.tracking.routines.schedules import schedule_of
from routinie.tracking.routines.selectors import routine_with_steps, routines_of
from routinie.tracking.routines.stats import Mark
from routinie.tracking.routines.wording import (
    LEGEND,
    STATE_LABELS,
    checked_in_text,
    day_report,
    day_text,
    schedule_text,
)


def _owned_routine(request: HttpRequest, routine_id: UUID) -> Routine:
    """The signed-in user's routine, or 404 (someone else's is simply not found)."""
    return get_owned(Routine, signed_in_user(request), routine_id, "routine")


def _detail_url(routine: Routine) -> str:
    return reverse("tracking:routine-detail", args=[routine.pk])


def _one_card(
    request: HttpRequest, routine: Routine, status: int = 200, error: str = ""
) -> HttpResponse:
    user = signed_in_user(request)
    card = cards_of(user, [routine_with_steps(user, routine.pk)])[0]
    card.error = error
    return render(request, "tracking/_routine_card.html", {"card": card}, status=status)


def render_routines_page(request: HttpRequest, status: int = 200, **extra: object) -> HttpResponse:
    """/routines/, with `extra` in its context (the Loop import's form and errors)."""
    user = signed_in_user(request)
    every = list(routines_of(user).order_by("created_at", "id"))
    active = [r for r in every if not r.archived]
    archived = [r for r in every if r.archived]
    context = {
        "cards": cards_of(user, active),
        "archived": [(r, schedule_text(schedule_of(r))) for r in archived],
        "form": RoutineForm(),
        "legend": [(state, STATE_LABELS[state]) for state in LEGEND],
        "loop_form": extra.get("loop_form") or LoopImportForm(),
        "loop_errors": extra.get("loop_errors", []),
        "digest_time": wall_time_text(digest_time_of(user)) or "",
    }
    return render(request, "tracking/routines.html", context, status=status)


@login_required
def routines(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    return render_routines_page(request)


def _form_page(
    request: HttpRequest, form: RoutineForm, routine: Routine | None, status: int = 200
) -> HttpResponse:
    return render(
        request, "tracking/routine_form.html", {"form": form, "routine": routine}, status=status
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    """GET: the new-routine form on its own page; POST: create (from it or from the list)."""
    if request.method in ("GET", "HEAD"):
        return _form_page(request, RoutineForm(), None)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    form = RoutineForm(request.POST)
    if form.is_valid():
        try:
            routine, _ = services.create_routine(
                user=signed_in_user(request), **form.routine_fields()
            )
        except DomainError as error:
            add_domain_errors(form, error, form.service_fields())
        else:
            messages.success(request, f"Created the routine “{routine.name}”.")
            return redirect(f"{reverse('tracking:routines')}#routine-{routine.pk}")
    return _form_page(request, form, None, status=422)


@login_required
def edit(request: HttpRequest, routine_id: UUID) -> HttpResponse:
    routine = _owned_routine(request, routine_id)
    if request.method in ("GET", "HEAD"):
        return _form_page(request, RoutineForm.for_routine(routine, schedule_of(routine)), routine)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    form = RoutineForm(request.POST)
    if form.is_valid():
        try:
            routine = services.update_routine(
                user=signed_in_user(request), routine_id=routine.pk, **form.routine_fields()
            )
        except InvalidInput as error:
            add_domain_errors(form, error, form.service_fields())
        else:
            messages.success(request, f"Saved your changes to “{routine.name}”.")
            return redirect(_detail_url(routine))
    return _form_page(request, form, routine, status=422)


@login_required
def archive(request: HttpRequest, routine_id: UUID) -> HttpResponse:
    """Archive an active routine, or bring an archived one back."""
    routine = _owned_routine(request, routine_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    archived = not routine.archived
    services.update_routine(user=signed_in_user(request), routine_id=routine.pk, archived=archived)
    if archived:
        messages.success(
            request,
            f"Archived “{routine.name}”. Its check-ins are kept; it is listed under "
            "“Archived routines”.",
        )
    else:
        messages.success(request, f"“{routine.name}” is active again.")
    return redirect(back_to(request, _detail_url(routine)))


@login_required
def delete(request: HttpRequest, routine_id: UUID) -> HttpResponse:
    routine = _owned_routine(request, routine_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.delete_routine(user=signed_in_user(request), routine_id=routine.pk)
    messages.success(
        request,
        f"Deleted “{routine.name}” and its check-ins. Time recorded by its runs stays in "
        "your entries.",
    )
    return redirect("tracking:routines")


@login_required
def check_in(request: HttpRequest, routine_id: UUID) -> HttpResponse:
    """Record (or with `delete`, remove) the check-in of a day: today when no date is sent."""
    routine = _owned_routine(request, routine_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    user = signed_in_user(request)
    if request.POST.get("delete"):
        return _delete_check_in(request, routine)
    form = CheckInForm(request.POST, today=today_for(user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.check_in(
                user=user,
                routine_id=routine.pk,
                day=data["date"],
                status=data["status"],
                value=data["value"],
                note=data["note"],
            )
        except InvalidInput as error:
            add_domain_errors(form, error)
        else:
            if is_htmx(request):
                return _one_card(request, routine)
            messages.success(
                request, checked_in_text(routine, data["date"], data["status"], form.today)
            )
            return redirect(back_to(request, _detail_url(routine)))
    if is_htmx(request):
        error_text = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return _one_card(request, routine, status=422, error=error_text)
    return _render_detail(request, routine, checkin_form=form, status=422)


def _delete_check_in(request: HttpRequest, routine: Routine) -> HttpResponse:
    form = DayForm(request.POST)
    if not form.is_valid():
        if is_htmx(request):
            return _one_card(request, routine, status=422, error="Which day?")
        return _render_detail(request, routine, status=422, delete_error="Which day to remove?")
    day = form.cleaned_data["date"]
    try:
        services.delete_check_in(user=signed_in_user(request), routine_id=routine.pk, day=day)
        text = f"Removed the check-in of “{routine.name}” for {day_text(day)}."
    except NotFound:
        text = f"“{routine.name}” had no check-in on {day_text(day)}."
    if is_htmx(request):
        return _one_card(request, routine)
    messages.success(request, text)
    return redirect(back_to(request, _detail_url(routine)))


def _after_day_change(request: HttpRequest, routine: Routine, text: str) -> HttpResponse:
    """htmx: the card (on the list) or the routine's page (swapped in by `hx-select`) back;
    without scripts: back where the form came from, with what happened."""
    if is_htmx(request):
        if request.POST.get("view") == "detail":
            return _render_detail(request, routine)
        return _one_card(request, routine)
    messages.success(request, text)
    return redirect(back_to(request, _detail_url(routine)))


def _day_change_failed(request: HttpRequest, routine: Routine, text: str) -> HttpResponse:
    if is_htmx(request) and request.POST.get("view") != "detail":
        return _one_card(request, routine, status=422, error=text)
    messages.error(request, text)
    return redirect(back_to(request, _detail_url(routine)))


@login_required
def toggle_day(request: HttpRequest, routine_id: UUID) -> HttpResponse:
    """Loop's tap on a day: none → done → skipped → none (yes/no routines)."""
    routine = _owned_routine(request, routine_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = DayForm(request.POST)
    if not form.is_valid():
        return _day_change_failed(request, routine, "Which day? Send a date as YYYY-MM-DD.")
    day = form.cleaned_data["date"]
    try:
        checkin = services.toggle_day(user=signed_in_user(request), routine_id=routine.pk, day=day)
    except InvalidInput as error:
        return _day_change_failed(request, routine, error.detail)
    words = STATE_LABELS[checkin.status] if checkin is not None else "no check-in"
    return _after_day_change(request, routine, f"“{routine.name}”, {day_text(day)}: {words}.")


@login_required
def add_one(request: HttpRequest, routine_id: UUID) -> HttpResponse:
    """`+1` to today's value of a numeric routine."""
    routine = _owned_routine(request, routine_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    user = signed_in_user(request)
    try:
        checkin = services.add_to_day(user=user, routine_id=routine.pk, day=today_for(user))
    except InvalidInput as error:
        return _day_change_failed(request, routine, error.detail)
    report = day_report(routine, Mark(checkin.status, checkin.value))
    return _after_day_change(request, routine, f"“{routine.name}” today: {report.text}.")


def _render_detail(
    request: HttpRequest,
    routine: Routine,
    checkin_form: CheckInForm | None = None,
    status: int = 200,
    delete_error: str = "",
) -> HttpResponse:
    user = signed_in_user(request)
    context = detail_context(user, routine.pk)
    today = context["today"]
    asked = DayForm(request.GET) if request.method in ("GET", "HEAD") else None
    day = asked.cleaned_data["date"] if asked is not None and asked.is_valid() else today
    context["form"] = checkin_form or CheckInForm(
        initial={"date": min(day, today), "status": "done"}, today=today
    )
    context["delete_error"] = delete_error
    return render(request, "tracking/routine_detail.html", context, status=status)


@login_required
def detail(request: HttpRequest, routine_id: UUID) -> HttpResponse:
    routine = _owned_routine(request, routine_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    return _render_detail(request, routine)


# --- Start routine ----------------------------------------------------------------------------
RUN_ACTIONS = ("start", "next", "finish")


@login_required
def run(request: HttpRequest, routine_id: UUID) -> HttpResponse:
    routine = _owned_routine(request, routine_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    return render(
        request, "tracking/routine_run.html", run_context(signed_in_user(request), routine.pk)
    )


@login_required
def run_action(request: HttpRequest, routine_id: UUID, action: str) -> HttpResponse:
    """start | next | finish, then back to the run page with what happened."""
    routine = _owned_routine(request, routine_id)
    if action not in RUN_ACTIONS:
        raise Http404("No such action.")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    user = signed_in_user(request)
    run_url = reverse("tracking:routine-run", args=[routine.pk])
    try:
        if action == "start":
            services.start_routine_run(user=user, routine_id=routine.pk)
            first = routine.steps.first()
            messages.success(
                request, f"Started “{routine.name}”: step 1, {first.name if first else ''}."
            )
        elif action == "next":
            entry = services.next_routine_step(user=user, routine_id=routine.pk)
            if entry is None:
                _say_finished(request, user, routine)
            else:
                number_ = (entry.routine_step or 0) + 1
                name = entry.description.removeprefix(f"{routine.name}: ")
                messages.success(request, f"Step {number_}: {name}.")
        else:
            services.finish_routine_run(user=user, routine_id=routine.pk)
            _say_finished(request, user, routine)
    except (Conflict, InvalidInput) as error:
        messages.error(request, error.detail)
        return render(
            request, "tracking/routine_run.html", run_context(user, routine.pk), status=409
        )
    return redirect(f"{run_url}#run")


def _say_finished(request: HttpRequest, user: User, routine: Routine) -> None:
    context = run_context(user, routine.pk)
    recorded = context["recorded_total"]
    text = f"“{routine.name}” is checked in for today as done."
    if recorded:
        text += f" {recorded} recorded today."
    messages.success(request, text)
