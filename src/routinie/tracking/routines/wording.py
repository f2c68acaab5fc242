"""The words the routine pages use: numbers and days as people write them, durations,
schedules, check-in states, and the statistics' rules in plain words."""

import math
from dataclasses import dataclass
from datetime import date

from routinie.tracking.models import Routine
from routinie.tracking.routines.schedules import ScheduleSpec
from routinie.tracking.routines.stats import Mark, mark_state

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


@dataclass(frozen=True)
class DayReport:
    """How a day of a routine is reported, the same on /today/, /routines/ and its page."""

    state: str  # done, partial, skipped, note; "" without a check-in
    label: str  # "partly done"
    text: str  # "5 of 8 glasses · partly done"


NO_CHECK_IN = DayReport("", "", "")


def day_report(routine: Routine, mark: Mark | None) -> DayReport:
    """The one wording of a day's check-in: its state by the check-in rule (`mark_state`) and,
    for a numeric target, how much of it ("5 of 8 glasses · partly done")."""
    if mark is None:
        return NO_CHECK_IN
    state = mark_state(mark, routine.target_value)
    label = STATE_LABELS[state]
    if routine.target_value is None or mark.status != "done":
        return DayReport(state, label, label)
    unit = f" {routine.target_unit}" if routine.target_unit else ""
    amount = f"{number(mark.value or 0)} of {number(routine.target_value)}{unit}"
    return DayReport(state, label, f"{amount} · {label}")


def short_day_text(day: date, today: date) -> str:
    """ "Mon 23 Nov", with the year when it is not this year's."""
    return day_text(day) if day.year != today.year else day_text(day)[:-5]


def streak_unit(kind: str) -> tuple[str, str]:
    return ("day", "days") if kind == "daily" else ("time", "times")


def checked_in_text(routine: Routine, day: date, status: str, today: date) -> str:
    when = "today" if day == today else day_text(day)
    words = {"done": "done", "skipped": "skipped", "note": "a note"}[status]
    return f"“{routine.name}” checked in for {when}: {words}."


def strength_help(kind: str, spec: ScheduleSpec) -> dict[str, str]:
    """The rules of `stats`, in plain words for this routine's schedule."""
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
