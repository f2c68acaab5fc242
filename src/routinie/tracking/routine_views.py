"""The routine pages: the list with one-click check-ins, a routine's page (stats, heat-map,
back-fill), the create and edit forms, and "start routine" (the steps as timed entries).

Parse, call a service, render. Every action is a plain form POST that redirects back with a
message; htmx requests (the list's check-in buttons) get the routine's card back instead.
Someone else's routine is not found (404) on every view, whatever the method.
"""

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from routinie.core.errors import Conflict, DomainError, InvalidInput, NotFound
from routinie.core.htmx import is_htmx
from routinie.core.weeks import week_start_of
from routinie.tracking import entries, selectors
from routinie.tracking import routines as service
from routinie.tracking.calendar import day_range, today_for, zone_of
from routinie.tracking.models import CheckIn, Routine, TimeEntry
from routinie.tracking.ownership import get_owned, owned
from routinie.tracking.routine_forms import CheckInForm, DayForm, RoutineForm
from routinie.tracking.routine_stats import Mark, Schedule, heatmap, is_due, routine_stats
from routinie.tracking.routine_stats import weekday_frequency as weekday_counts
from routinie.tracking.routines import ScheduleSpec

DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
STATE_LABELS = {
    "done": "done",
    "partial": "partly done",
    "skipped": "skipped",
    "note": "note only",
    "missed": "missed",
    "empty": "no check-in",
    "off": "not due",
}
LEGEND = ["done", "partial", "skipped", "note", "missed", "off", "empty"]
CARD_WEEKS = 12
DETAIL_WEEKS = 26
RECENT_CHECKINS = 30
CELL = 12  # heat-map cell, in SVG units
GAP = 3
BAR_HEIGHT = 80  # weekday bars


# --- Small helpers ----------------------------------------------------------------------------
def _user(request: HttpRequest) -> Any:
    return request.user


def _owned_routine(request: HttpRequest, routine_id: UUID) -> Routine:
    """The signed-in user's routine, or 404 (someone else's is simply not found)."""
    try:
        return get_owned(Routine, _user(request), routine_id, "routine")
    except NotFound:
        raise Http404("No such routine.") from None


def _fresh(user: Any, routine_id: UUID) -> Routine:
    """The routine again, with its steps prefetched (404 if it was deleted meanwhile)."""
    routine = selectors.routines_of(user).filter(pk=routine_id).first()
    if routine is None:
        raise Http404("No such routine.")
    return routine


def _back(request: HttpRequest, default: str) -> str:
    """Where a form asked to go back to (`next`), when that is a page of this site."""
    target = request.POST.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return default


def _detail_url(routine: Routine) -> str:
    return reverse("tracking:routine-detail", args=[routine.pk])


def number(value: float | None) -> str:
    """A value as people write it: 5, 2.5, 0.75."""
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def day_text(day: date) -> str:
    return f"{DAY_NAMES[day.weekday()]} {day.day} {day:%b %Y}"


def duration_text(seconds: float) -> str:
    """A length in words: "45 s", "5 min", "1 h 20 min"."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def countdown_text(seconds: int) -> str:
    """What routine_run.js shows: M:SS, or H:MM:SS from an hour (never below 0:00)."""
    seconds = max(0, seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def schedule_text(spec: ScheduleSpec) -> str:
    """The schedule in words: "Every day", "Mon, Wed, Fri", "3 times a week", "Every 2 days"."""
    if spec.kind == "weekdays":
        days = tuple(sorted(spec.days))
        if days == tuple(range(7)):
            return "Every day"
        if days == (0, 1, 2, 3, 4):
            return "Weekdays (Mon\u2013Fri)"
        if days == (5, 6):
            return "Weekends (Sat, Sun)"
        return ", ".join(DAY_NAMES[d] for d in days)
    if spec.kind == "times_per_week":
        return {1: "Once a week", 2: "Twice a week"}.get(spec.count, f"{spec.count} times a week")
    if spec.kind == "every_n_days":
        return "Every day" if spec.n == 1 else f"Every {spec.n} days"
    return "Every day"


def target_text(routine: Routine) -> str:
    if routine.target_value is None:
        return ""
    return f"{number(routine.target_value)} {routine.target_unit}".strip()


def _schedule(routine: Routine) -> Schedule:
    schedule: Schedule = selectors.schedule_for_stats(routine)
    return schedule


def _marks_by_routine(user: Any, routine_ids: Iterable[UUID]) -> dict[UUID, dict[date, Mark]]:
    """Every check-in of these routines in one query, grouped by routine as {day: Mark}."""
    marks: dict[UUID, dict[date, Mark]] = defaultdict(dict)
    rows = owned(CheckIn, user).filter(routine_id__in=list(routine_ids))
    for routine_id, day, status, value in rows.values_list("routine_id", "date", "status", "value"):
        marks[routine_id][day] = Mark(status, value)
    return marks


# --- Heat-maps --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    state: str
    label: str


@dataclass
class HeatMap:
    cells: list[Cell]
    width: int
    height: int
    top: int  # room for month labels
    left: int  # room for weekday labels
    months: list[tuple[int, str]] = field(default_factory=list)
    weekdays: list[tuple[int, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        parts = [
            f"{self.counts[state]} {STATE_LABELS[state]}"
            for state in ("done", "partial", "skipped", "missed")
            if self.counts.get(state)
        ]
        return ", ".join(parts) or "no check-ins"


def heat_map(
    routine: Routine,
    marks: Mapping[date, Mark],
    today: date,
    weeks: int,
    week_start: int,
    labels: bool = False,
) -> HeatMap:
    """The last `weeks` weeks as a grid: a column per week, a row per weekday.

    A "missed" day that was not due (a weekdays or every-n-days routine) shows as "not due";
    for a times-per-week routine no single day is missed, so it shows as no check-in.
    """
    schedule = _schedule(routine)
    first = week_start_of(today, week_start) - timedelta(weeks=weeks - 1)
    top, left = (16, 30) if labels else (0, 0)
    step = CELL + GAP
    cells: list[Cell] = []
    counts: dict[str, int] = defaultdict(int)
    months: list[tuple[int, str]] = []
    for index, (day, state) in enumerate(heatmap(marks, first, today, routine.target_value)):
        column, row = divmod(index, 7)
        if state == "missed" and schedule.kind == "times_per_week":
            state = "empty"
        elif state == "missed" and not is_due(schedule, day):
            state = "off"
        counts[state] += 1
        cells.append(
            Cell(
                left + column * step,
                top + row * step,
                state,
                f"{day_text(day)}: {STATE_LABELS[state]}",
            )
        )
        if labels and day.day == 1:
            months.append((left + column * step, f"{day:%b}"))
    weekdays = [
        (top + row * step + CELL - 2, DAY_NAMES[(week_start + row) % 7]) for row in (0, 2, 4, 6)
    ]
    return HeatMap(
        cells=cells,
        width=left + weeks * step - GAP,
        height=top + 7 * step - GAP,
        top=top,
        left=left,
        months=months,
        weekdays=weekdays if labels else [],
        counts=dict(counts),
    )


# --- The list's cards -------------------------------------------------------------------------
@dataclass
class Card:
    routine: Routine
    schedule_text: str
    target_text: str
    today: date
    today_state: str | None
    today_value: str
    due_today: bool
    current_streak: int
    best_streak: int
    streak_unit: tuple[str, str]
    strength: int
    rate: int
    heat: HeatMap
    steps: list[Any]
    steps_seconds: int
    running_step: int | None
    error: str = ""

    @property
    def steps_text(self) -> str:
        count = plural(len(self.steps), "step", "steps")
        return f"{count}, {duration_text(self.steps_seconds)}"

    @property
    def target_input(self) -> str:
        return number(self.routine.target_value)

    @property
    def today_label(self) -> str:
        return STATE_LABELS.get(self.today_state or "", "")

    @property
    def current_text(self) -> str:
        return plural(self.current_streak, *self.streak_unit)

    @property
    def best_text(self) -> str:
        return plural(self.best_streak, *self.streak_unit)


def streak_unit(kind: str) -> tuple[str, str]:
    return ("day", "days") if kind == "daily" else ("time", "times")


def _card(
    routine: Routine,
    marks: Mapping[date, Mark],
    today: date,
    running: TimeEntry | None,
    week_start: int,
) -> Card:
    spec = service.schedule_of(routine)
    schedule = _schedule(routine)
    steps = list(routine.steps.all())
    mark = marks.get(today)
    state = None
    if mark is not None:
        state = heatmap({today: mark}, today, today, routine.target_value)[0][1]
    stats = routine_stats(schedule, marks, today, routine.target_value)
    running_step = None
    if running is not None and running.routine_id == routine.pk:
        running_step = running.routine_step
    return Card(
        routine=routine,
        schedule_text=schedule_text(spec),
        target_text=target_text(routine),
        today=today,
        today_state=state,
        today_value=number(mark.value) if mark is not None else "",
        due_today=is_due(schedule, today),
        current_streak=stats.current_streak,
        best_streak=stats.best_streak,
        streak_unit=streak_unit(spec.kind),
        strength=round(stats.strength * 100),
        rate=round(stats.completion_rate_30d * 100),
        heat=heat_map(routine, marks, today, CARD_WEEKS, week_start),
        steps=steps,
        steps_seconds=sum(s.duration_seconds for s in steps),
        running_step=running_step,
    )


def _cards_of(user: Any, items: list[Routine]) -> list[Card]:
    """The cards of these routines: one query for all their check-ins, one for the timer."""
    today = today_for(user)
    marks = _marks_by_routine(user, [r.pk for r in items]) if items else {}
    running = entries.running_entry_of(user) if items else None
    return [_card(r, marks.get(r.pk, {}), today, running, user.week_start) for r in items]


def _one_card(request: HttpRequest, routine: Routine, status: int = 200, error: str = "") -> Any:
    user = _user(request)
    fresh = _fresh(user, routine.pk)
    card = _cards_of(user, [fresh])[0]
    card.error = error
    return render(request, "tracking/_routine_card.html", {"card": card}, status=status)


# --- /routines/ -------------------------------------------------------------------------------
def _render_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    every = list(selectors.routines_of(user).order_by("created_at", "id"))
    active = [r for r in every if not r.archived]
    archived = [r for r in every if r.archived]
    context = {
        "cards": _cards_of(user, active),
        "archived": [(r, schedule_text(service.schedule_of(r))) for r in archived],
        "form": RoutineForm(),
        "legend": [(state, STATE_LABELS[state]) for state in LEGEND],
    }
    return render(request, "tracking/routines.html", context)


@login_required
def routines(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    return _render_list(request)


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
        data = form.cleaned_data
        try:
            routine, _ = service.create_routine(
                user=_user(request),
                name=data["name"],
                schedule=data["schedule"],
                target_value=data["target"][0],
                target_unit=data["target"][1],
                steps=data["steps"],
            )
        except DomainError as error:
            form.add_domain_errors(error)
        else:
            messages.success(request, f"Created the routine “{routine.name}”.")
            return redirect(f"{reverse('tracking:routines')}#routine-{routine.pk}")
    return _form_page(request, form, None, status=422)


@login_required
def edit(request: HttpRequest, routine_id: UUID) -> HttpResponse:
    routine = _owned_routine(request, routine_id)
    if request.method in ("GET", "HEAD"):
        return _form_page(
            request, RoutineForm.for_routine(routine, service.schedule_of(routine)), routine
        )
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    form = RoutineForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            routine = service.update_routine(
                user=_user(request),
                routine_id=routine.pk,
                name=data["name"],
                schedule=data["schedule"],
                target_value=data["target"][0],
                target_unit=data["target"][1],
                steps=data["steps"],
            )
        except NotFound:
            raise Http404("No such routine.") from None
        except DomainError as error:
            form.add_domain_errors(error)
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
    service.update_routine(user=_user(request), routine_id=routine.pk, archived=archived)
    if archived:
        messages.success(
            request,
            f"Archived “{routine.name}”. Its check-ins are kept; it is listed under "
            "“Archived routines”.",
        )
    else:
        messages.success(request, f"“{routine.name}” is active again.")
    return redirect(_back(request, _detail_url(routine)))


@login_required
def delete(request: HttpRequest, routine_id: UUID) -> HttpResponse:
    routine = _owned_routine(request, routine_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    service.delete_routine(user=_user(request), routine_id=routine.pk)
    messages.success(
        request,
        f"Deleted “{routine.name}” and its check-ins. Time recorded by its runs stays in "
        "your entries.",
    )
    return redirect("tracking:routines")


# --- Check-ins --------------------------------------------------------------------------------
@login_required
def check_in(request: HttpRequest, routine_id: UUID) -> HttpResponse:
    """Record (or with `delete`, remove) the check-in of a day: today when no date is sent."""
    routine = _owned_routine(request, routine_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    user = _user(request)
    if request.POST.get("delete"):
        return _delete_check_in(request, routine)
    form = CheckInForm(request.POST, today=today_for(user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            service.check_in(
                user=user,
                routine_id=routine.pk,
                day=data["date"],
                status=data["status"],
                value=data["value"],
                note=data["note"],
            )
        except NotFound:
            raise Http404("No such routine.") from None
        except DomainError as error:
            form.add_domain_errors(error)
        else:
            if is_htmx(request):
                return _one_card(request, routine)
            messages.success(
                request, _checked_in_text(routine, data["date"], data["status"], form.today)
            )
            return redirect(_back(request, _detail_url(routine)))
    if is_htmx(request):
        error_text = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return _one_card(request, routine, status=422, error=error_text)
    return _render_detail(request, routine, checkin_form=form, status=422)


def _checked_in_text(routine: Routine, day: date, status: str, today: date) -> str:
    when = "today" if day == today else day_text(day)
    words = {"done": "done", "skipped": "skipped", "note": "a note"}[status]
    return f"“{routine.name}” checked in for {when}: {words}."


def _delete_check_in(request: HttpRequest, routine: Routine) -> HttpResponse:
    form = DayForm(request.POST)
    if not form.is_valid():
        if is_htmx(request):
            return _one_card(request, routine, status=422, error="Which day?")
        return _render_detail(request, routine, status=422, delete_error="Which day to remove?")
    day = form.cleaned_data["date"]
    try:
        service.delete_check_in(user=_user(request), routine_id=routine.pk, day=day)
        text = f"Removed the check-in of “{routine.name}” for {day_text(day)}."
    except NotFound:
        text = f"“{routine.name}” had no check-in on {day_text(day)}."
    if is_htmx(request):
        return _one_card(request, routine)
    messages.success(request, text)
    return redirect(_back(request, _detail_url(routine)))


# --- A routine's page -------------------------------------------------------------------------
def strength_help(kind: str, spec: ScheduleSpec) -> dict[str, str]:
    """The rules of routine_stats, in plain words for this routine's schedule."""
    if kind == "daily":
        per, window = 1.0, "on that day"
        streak = (
            "Your streak counts the days in a row you did it. A skipped day neither breaks "
            "nor extends it. A day without a check-in, with only a note or with less than the "
            "target ends it."
        )
    elif kind == "weekdays":
        per, window = len(spec.days) / 7, "in the two weeks up to that day"
        streak = (
            f"Your streak counts your days ({schedule_text(spec)}) done in a row. Other days "
            "never break it, and doing it on them does not extend it. A skipped day neither "
            "breaks nor extends it; a due day without a check-in, with only a note or with less "
            "than the target ends it."
        )
    elif kind == "every_n_days":
        per, window = 1 / spec.n, f"in the {2 * spec.n} days up to that day"
        streak = (
            f"Your streak counts the due days (every {spec.n} days) done in a row. Days in "
            "between never break it. A skipped due day neither breaks nor extends it; a due day "
            "without a check-in, with only a note or with less than the target ends it."
        )
    else:
        per, window = spec.count / 7, "in the two weeks up to that day"
        streak = (
            f"Weeks run Monday to Sunday; a week is met with {plural(spec.count, 'time', 'times')} "
            "done (each skip in it asks for one less). Your streak counts the times done in the "
            "unbroken run of met weeks, plus this week so far. This week can only add to it."
        )
        per = max(per, 1 / 7)
    half_life = 13 / math.sqrt(per)
    if kind == "times_per_week":
        rate = (
            f"Done days in the last 30 days (including today) against {spec.count} a week, "
            "each skip asking for one less; at most 100%."
        )
    else:
        rate = (
            "The share of due days in the last 30 days (including today) that you did. "
            "Skipped days are left out, and so is today until you check in."
        )
    return {
        "rate": rate,
        "streak": streak,
        "today": (
            "Today stays open until the day is over: no check-in yet does not break anything, "
            "and a “done” today counts at once."
        ),
        "strength": (
            "Strength is a slowly moving average of how well you kept this routine lately, "
            "like Loop Habit Tracker's habit strength. Each day it moves a small step towards "
            f"how much of what was planned you did {window}. So one missed day lowers "
            "it only a little, and a high score means weeks of keeping it. Skipped days, and "
            "today until you check in, leave it unchanged."
        ),
        "scale": (
            f"Starting from 0%, keeping it every time takes it to about 50% in "
            f"{round(half_life)} days and above 80% in about {round(half_life * math.log2(5))} "
            "days; stopping lets it fall just as slowly."
        ),
    }


def _render_detail(
    request: HttpRequest,
    routine: Routine,
    checkin_form: CheckInForm | None = None,
    status: int = 200,
    delete_error: str = "",
) -> HttpResponse:
    user = _user(request)
    today = today_for(user)
    routine = _fresh(user, routine.pk)
    rows = list(
        owned(CheckIn, user)
        .filter(routine=routine)
        .order_by("-date")
        .values_list("date", "status", "value", "note")
    )
    marks = {day: Mark(status_, value) for day, status_, value, _ in rows}
    running = entries.running_entry_of(user)
    card = _card(routine, marks, today, running, user.week_start)
    spec = service.schedule_of(routine)
    counts = weekday_counts(marks)
    order = [(user.week_start + i) % 7 for i in range(7)]
    top = max(counts) or 1
    bar_step = 40
    bars = [
        {
            "x": i * bar_step + 6,
            "label_x": i * bar_step + 20,
            "height": round(BAR_HEIGHT * counts[d] / top),
            "y": 16 + BAR_HEIGHT - round(BAR_HEIGHT * counts[d] / top),
            "count": counts[d],
            "count_y": 12 + BAR_HEIGHT - round(BAR_HEIGHT * counts[d] / top),
            "day": DAY_NAMES[d],
        }
        for i, d in enumerate(order)
    ]
    recent = [
        {
            "date": day,
            "text": day_text(day),
            "short": day_text(day) if day.year != today.year else day_text(day)[:-5],
            "state": heatmap({day: Mark(s, v)}, day, day, routine.target_value)[0][1],
            "value": number(v),
            "note": note,
        }
        for day, s, v, note in rows[:RECENT_CHECKINS]
    ]
    for item in recent:
        item["label"] = STATE_LABELS[str(item["state"])]
    form = checkin_form or CheckInForm(initial={"date": today, "status": "done"}, today=today)
    context = {
        "routine": routine,
        "card": card,
        "stats": {
            "current": card.current_text,
            "best": card.best_text,
            "rate": card.rate,
            "strength": card.strength,
        },
        "help": strength_help(spec.kind, spec),
        "spec": spec,
        "heat": heat_map(routine, marks, today, DETAIL_WEEKS, user.week_start, labels=True),
        "legend": [(state, STATE_LABELS[state]) for state in LEGEND],
        "bars": bars,
        "bars_summary": ", ".join(f"{b['day']} {b['count']}" for b in bars),
        "form": form,
        "recent": recent,
        "checkin_count": len(rows),
        "delete_error": delete_error,
        "today": today,
    }
    return render(request, "tracking/routine_detail.html", context, status=status)


@login_required
def detail(request: HttpRequest, routine_id: UUID) -> HttpResponse:
    routine = _owned_routine(request, routine_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    return _render_detail(request, routine)


# --- Start routine ----------------------------------------------------------------------------
RUN_ACTIONS = ("start", "next", "finish")


def _run_context(user: Any, routine: Routine) -> dict[str, Any]:
    routine = _fresh(user, routine.pk)
    steps = list(routine.steps.all())
    now = timezone.now()
    today = today_for(user)
    running = entries.running_entry_of(user)
    current = None
    if (
        running is not None
        and running.routine_id == routine.pk
        and running.routine_step is not None
    ):
        current = running
    first, last = day_range(today, today, zone_of(user))
    recorded: dict[int, float] = defaultdict(float)
    rows = (
        owned(TimeEntry, user)
        .filter(routine=routine, start__gte=first, start__lt=last)
        .values_list("routine_step", "start", "end")
    )
    for position, start, end in rows:
        if position is not None:
            recorded[position] += ((end or now) - start).total_seconds()
    current_index = current.routine_step if current is not None else None
    step = None
    seconds_left = 0
    if current is not None and current_index is not None and current_index < len(steps):
        step = steps[current_index]
        seconds_left = service.step_remaining_seconds(current, routine, now)
    checkin = owned(CheckIn, user).filter(routine=routine, date=today).first()
    rows_out = []
    for position, s in enumerate(steps):
        if position == current_index:
            state = "now"
        elif position in recorded:
            state = "recorded"
        else:
            state = "todo"
        rows_out.append(
            {
                "number": position + 1,
                "name": s.name,
                "planned": duration_text(s.duration_seconds),
                "recorded": duration_text(recorded[position]) if position in recorded else "",
                "state": state,
            }
        )
    return {
        "routine": routine,
        "steps": rows_out,
        "step_count": len(steps),
        "planned_total": duration_text(sum(s.duration_seconds for s in steps)),
        "current": current,
        "step": step,
        "step_number": (current_index or 0) + 1,
        "is_last": current_index is not None and current_index + 1 >= len(steps),
        "seconds_left": seconds_left,
        "countdown": countdown_text(seconds_left),
        "step_planned": duration_text(step.duration_seconds) if step else "",
        "step_seconds": step.duration_seconds if step else 0,
        "other_timer": running if running is not None and current is None else None,
        "checkin": checkin,
        "finished": checkin is not None and checkin.status == "done",
        "checkin_label": STATE_LABELS.get(
            heatmap(
                {today: Mark(checkin.status, checkin.value)}, today, today, routine.target_value
            )[0][1]
            if checkin
            else "",
            "",
        ),
        "recorded_total": duration_text(sum(recorded.values())) if recorded else "",
        "schedule_text": schedule_text(service.schedule_of(routine)),
    }


@login_required
def run(request: HttpRequest, routine_id: UUID) -> HttpResponse:
    routine = _owned_routine(request, routine_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    return render(request, "tracking/routine_run.html", _run_context(_user(request), routine))


@login_required
def run_action(request: HttpRequest, routine_id: UUID, action: str) -> HttpResponse:
    """start | next | finish, then back to the run page with what happened."""
    routine = _owned_routine(request, routine_id)
    if action not in RUN_ACTIONS:
        raise Http404("No such action.")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    user = _user(request)
    run_url = reverse("tracking:routine-run", args=[routine.pk])
    try:
        if action == "start":
            service.start_routine_run(user=user, routine_id=routine.pk)
            first = routine.steps.first()
            messages.success(
                request, f"Started “{routine.name}”: step 1, {first.name if first else ''}."
            )
        elif action == "next":
            entry = service.next_routine_step(user=user, routine_id=routine.pk)
            if entry is None:
                _say_finished(request, user, routine)
            else:
                number_ = (entry.routine_step or 0) + 1
                name = entry.description.removeprefix(f"{routine.name}: ")
                messages.success(request, f"Step {number_}: {name}.")
        else:
            service.finish_routine_run(user=user, routine_id=routine.pk)
            _say_finished(request, user, routine)
    except NotFound:
        raise Http404("No such routine.") from None
    except (Conflict, InvalidInput) as error:
        messages.error(request, error.detail)
        return render(request, "tracking/routine_run.html", _run_context(user, routine), status=409)
    return redirect(f"{run_url}#run")


def _say_finished(request: HttpRequest, user: Any, routine: Routine) -> None:
    context = _run_context(user, routine)
    recorded = context["recorded_total"]
    text = f"“{routine.name}” is checked in for today as done."
    if recorded:
        text += f" {recorded} recorded today."
    messages.success(request, text)
