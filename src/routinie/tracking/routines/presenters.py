"""What the routine pages show, built from the selectors' reads: the list's cards, a routine's
page (stats, heat-map, weekday bars, recent check-ins) and the run page of "start routine"."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django.utils import timezone

from routinie.accounts.models import User
from routinie.tracking.calendar import today_for
from routinie.tracking.entries.selectors import running_entry_of
from routinie.tracking.models import Routine, TimeEntry
from routinie.tracking.routines.heatmap import HeatMap, heat_map
from routinie.tracking.routines.schedules import schedule_for_stats, schedule_of
from routinie.tracking.routines.selectors import (
    checkin_on,
    checkins_newest_first,
    due_routines,
    marks_by_routine,
    recorded_step_seconds,
    routine_with_steps,
    running_step_of,
    step_remaining_seconds,
)
from routinie.tracking.routines.stats import (
    Mark,
    is_due,
    routine_stats,
    weekday_frequency,
)
from routinie.tracking.routines.wording import (
    DAY_NAMES,
    LEGEND,
    STATE_LABELS,
    DayReport,
    countdown_text,
    day_report,
    day_text,
    duration_text,
    number,
    plural,
    schedule_text,
    short_day_text,
    streak_unit,
    strength_help,
    target_text,
)

CARD_WEEKS = 12
DETAIL_WEEKS = 26
RECENT_CHECKINS = 30
BAR_HEIGHT = 80  # weekday bars


@dataclass
class Card:
    routine: Routine
    schedule_text: str
    target_text: str
    today: date
    today_report: DayReport
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
    def today_state(self) -> str:
        return self.today_report.state

    @property
    def today_label(self) -> str:
        return self.today_report.text

    @property
    def is_numeric(self) -> bool:
        return self.routine.target_value is not None

    @property
    def current_text(self) -> str:
        return plural(self.current_streak, *self.streak_unit)

    @property
    def best_text(self) -> str:
        return plural(self.best_streak, *self.streak_unit)


def card_of(
    routine: Routine,
    marks: Mapping[date, Mark],
    today: date,
    running: TimeEntry | None,
    week_start: int,
) -> Card:
    """A routine's card on the list (and at the top of its page)."""
    spec = schedule_of(routine)
    schedule = schedule_for_stats(routine)
    steps = list(routine.steps.all())
    mark = marks.get(today)
    stats = routine_stats(schedule, marks, today, routine.target_value)
    step = running_step_of(running, routine.pk)
    return Card(
        routine=routine,
        schedule_text=schedule_text(spec),
        target_text=target_text(routine),
        today=today,
        today_report=day_report(routine, mark),
        due_today=is_due(schedule, today),
        current_streak=stats.current_streak,
        best_streak=stats.best_streak,
        streak_unit=streak_unit(spec.kind),
        strength=round(stats.strength * 100),
        rate=round(stats.completion_rate_30d * 100),
        heat=heat_map(routine, marks, today, CARD_WEEKS, week_start),
        steps=steps,
        steps_seconds=sum(s.duration_seconds for s in steps),
        running_step=step.routine_step if step is not None else None,
    )


def cards_of(user: User, items: list[Routine]) -> list[Card]:
    """The cards of these routines: one query for all their check-ins, one for the timer."""
    today = today_for(user)
    marks = marks_by_routine(user, [r.pk for r in items]) if items else {}
    running = running_entry_of(user) if items else None
    return [card_of(r, marks.get(r.pk, {}), today, running, user.week_start) for r in items]


def today_routines(user: User) -> list[dict[str, Any]]:
    """/today/'s due routines, each with today's check-in worded as everywhere else."""
    items = due_routines(user)
    for item in items:
        checkin = item["checkin"]
        mark = Mark(checkin.status, checkin.value) if checkin is not None else None
        item["report"] = day_report(item["routine"], mark)
    return items


def weekday_bars(counts: list[int], week_start: int) -> list[dict[str, Any]]:
    """The "done by weekday" bars, in the person's week order."""
    order = [(week_start + i) % 7 for i in range(7)]
    top = max(counts) or 1
    bar_step = 40
    return [
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


def detail_context(user: User, routine_id: UUID) -> dict[str, Any]:
    """A routine's page without its forms: the card, the stats in words, the heat-map, the
    weekday bars and the recent check-ins."""
    today = today_for(user)
    routine = routine_with_steps(user, routine_id)
    rows = checkins_newest_first(user, routine)
    marks = {day: Mark(status, value) for day, status, value, _ in rows}
    card = card_of(routine, marks, today, running_entry_of(user), user.week_start)
    spec = schedule_of(routine)
    bars = weekday_bars(weekday_frequency(marks), user.week_start)
    recent = []
    for day, s, v, note in rows[:RECENT_CHECKINS]:
        report = day_report(routine, Mark(s, v))
        recent.append(
            {
                "date": day,
                "text": day_text(day),
                "short": short_day_text(day, today),
                "state": report.state,
                "label": report.text,
                "note": note,
            }
        )
    return {
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
        "heat_weekdays": [DAY_NAMES[(user.week_start + i) % 7] for i in range(7)],
        "legend": [(state, STATE_LABELS[state]) for state in LEGEND],
        "bars": bars,
        "bars_summary": ", ".join(f"{b['day']} {b['count']}" for b in bars),
        "recent": recent,
        "checkin_count": len(rows),
        "today": today,
    }


def run_context(user: User, routine_id: UUID) -> dict[str, Any]:
    """The run page of "start routine": the steps with what was recorded today, the current
    step's countdown, and today's check-in."""
    routine = routine_with_steps(user, routine_id)
    steps = list(routine.steps.all())
    now = timezone.now()
    today = today_for(user)
    running = running_entry_of(user)
    current = running_step_of(running, routine.pk)
    recorded = recorded_step_seconds(user, routine, today, now)
    current_index = current.routine_step if current is not None else None
    step = None
    seconds_left = 0
    if current is not None and current_index is not None and current_index < len(steps):
        step = steps[current_index]
        seconds_left = step_remaining_seconds(current, routine, now)
    checkin = checkin_on(user, routine, today)
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
        "checkin_label": day_report(routine, Mark(checkin.status, checkin.value)).text
        if checkin
        else "",
        "recorded_total": duration_text(sum(recorded.values())) if recorded else "",
        "schedule_text": schedule_text(schedule_of(routine)),
    }
