"""Routine statistics from a schedule and its check-ins: plain data in, plain data out.

The rules, as shown to users:

- A routine starts on its start day, or on its earliest check-in if that is earlier
  (back-filled check-ins extend it). Days before that do not exist.
- A check-in is "done", "skipped" or "note". For a routine with a numeric target, a "done"
  with a value below the target (or no value) is "partial": it does not count as done for
  streaks, but counts value / target (at most 1) for the completion rate and strength.
  A "note" counts as not done.
- Due days: daily = every day; weekdays = the chosen days of the week; every n days = every
  n-th day counted from the start day (also backwards); times per week = any day.
- Streaks (daily, weekdays, every n days) count due days done in a row. A day that is not
  due never breaks a streak, and a "done" on such a day does not extend it. A skipped due
  day neither breaks nor extends it. Today stays open until the day is over: no check-in
  yet does not break the streak, a "done" today counts. A past due day without a check-in,
  with a note or with a partial value breaks it.
- Times per week (N): weeks run Monday to Sunday. A past week is met when it has at least
  N done days, minus one for each skipped day in it (a skipped week is neutral). The first
  week, when the routine starts after its Monday, needs N x (its days) / 7, rounded up.
  The streak is the number of done days in the unbroken run of met weeks up to last week,
  plus the done days of this week; this week never breaks it.
- The best streak is the longest streak ever, so it is never below the current one.
- Completion rate (30 days): over the last 30 days including today (not before the start).
  Daily, weekdays, every n days: the share of due days done, leaving out skipped days and
  today while it has no check-in. Times per week: done days divided by N x (days) / 7
  minus the skipped days, at most 100%. Partial values count value / target.
- Strength (0 to 1) follows Loop Habit Tracker's habit strength, a slowly moving average of
  how well the routine was kept lately. Each day the score takes a small step towards the
  share of the expected check-ins done recently (the last day for a daily routine, the last
  two weeks for weekdays or times per week, the last 2n days for every n days), so one
  missed day lowers it a little and a month of keeping a daily routine brings it above 0.8.
  Skipped days, and today until its check-in, leave it unchanged.
- The heatmap shows each day as done, partial, skipped, note, missed (no check-in between
  the first and the last check-in) or empty (no check-in outside that span).
"""

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

KINDS = frozenset({"daily", "weekdays", "times_per_week", "every_n_days"})
STATUSES = frozenset({"done", "skipped", "note"})
RATE_WINDOW_DAYS = 30
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Schedule:
    kind: str  # "daily" | "weekdays" | "times_per_week" | "every_n_days"
    starts_on: date
    days: frozenset[int] = frozenset()  # weekdays: 0 = Monday ... 6 = Sunday
    count: int = 0  # times_per_week
    n: int = 0  # every_n_days, counted from starts_on


@dataclass(frozen=True)
class Mark:
    status: str  # "done" | "skipped" | "note"
    value: float | None = None


@dataclass(frozen=True)
class RoutineStats:
    current_streak: int
    best_streak: int
    completion_rate_30d: float
    strength: float


# --- Public functions ---------------------------------------------------------------------------


def is_due(schedule: Schedule, day: date) -> bool:
    """Whether the schedule asks for the routine on this day (any day for times_per_week)."""
    _check_schedule(schedule)
    return _due(schedule, day)


def routine_stats(
    schedule: Schedule, marks: Mapping[date, Mark], today: date, target: float | None = None
) -> RoutineStats:
    """Streaks, 30-day completion rate and strength as of today."""
    _check_schedule(schedule)
    _check_target(target)
    start = _effective_start(schedule, marks)
    if start > today:
        return RoutineStats(current_streak=0, best_streak=0, completion_rate_30d=0.0, strength=0.0)
    if schedule.kind == "times_per_week":
        current, best = _weekly_streaks(schedule.count, marks, start, today, target)
    else:
        current, best = _due_day_streaks(schedule, marks, start, today, target)
    series = strength_series(schedule, marks, today, target)
    return RoutineStats(
        current_streak=current,
        best_streak=best,
        completion_rate_30d=_completion_rate(schedule, marks, start, today, target),
        strength=series[-1][1],
    )


def strength_series(
    schedule: Schedule, marks: Mapping[date, Mark], today: date, target: float | None = None
) -> list[tuple[date, float]]:
    """The strength of every day from the start to today, oldest first."""
    _check_schedule(schedule)
    _check_target(target)
    start = _effective_start(schedule, marks)
    completions, period = _frequency(schedule)
    # Loop Habit Tracker's score: score = previous * m + v * (1 - m), m = 0.5 ** (sqrt(N/D) / 13),
    # so a daily habit halves the weight of the past every 13 days, rarer habits more slowly.
    multiplier = 0.5 ** (math.sqrt(completions / period) / 13)
    # v looks at whole periods; for less than daily habits Loop doubles the period (3/7 -> 6/14)
    # so that doing it on different days of successive weeks still reads as regular.
    if completions < period:
        completions, period = completions * 2, period * 2
    credits: list[float] = []
    rolling_sum = 0.0
    score = 0.0
    series: list[tuple[date, float]] = []
    for index, day in enumerate(_days_between(start, today)):
        mark = marks.get(day)
        credits.append(_credit(mark, target))
        # A sliding window keeps the whole series O(days) whatever the period.
        rolling_sum += credits[index]
        if index >= period:
            rolling_sum -= credits[index - period]
        if not _freezes_strength(mark, day, today):
            # Clamped because subtracting partial values can leave a float residue.
            ratio = min(1.0, max(0.0, rolling_sum / completions))
            score = score * multiplier + ratio * (1 - multiplier)
        series.append((day, round(min(1.0, max(0.0, score)), 4)))
    return series


def weekday_frequency(marks: Mapping[date, Mark]) -> list[int]:
    """How many "done" check-ins fell on each weekday, Monday first."""
    counts = [0] * 7
    for day, mark in marks.items():
        if mark.status == "done":
            counts[day.weekday()] += 1
    return counts


def heatmap(
    marks: Mapping[date, Mark], first: date, last: date, target: float | None = None
) -> list[tuple[date, str]]:
    """Every day from first to last with its state (see the module docstring)."""
    _check_target(target)
    tracked_from = min(marks, default=None)
    tracked_until = max(marks, default=None)
    cells: list[tuple[date, str]] = []
    for day in _days_between(first, last):
        mark = marks.get(day)
        if mark is not None:
            cells.append((day, mark_state(mark, target)))
        elif tracked_from is not None and tracked_until is not None:
            within = tracked_from <= day <= tracked_until
            cells.append((day, "missed" if within else "empty"))
        else:
            cells.append((day, "empty"))
    return cells


# --- Schedule ----------------------------------------------------------------------------------


def _check_schedule(schedule: Schedule) -> None:
    """Raise ValueError for a schedule the rules cannot evaluate."""
    if schedule.kind not in KINDS:
        raise ValueError(f"unknown schedule kind {schedule.kind!r}")
    if schedule.kind == "weekdays" and (not schedule.days or not schedule.days <= set(range(7))):
        raise ValueError("weekdays needs at least one day, each between 0 and 6")
    if schedule.kind == "times_per_week" and not 1 <= schedule.count <= 7:
        raise ValueError("times_per_week needs a count between 1 and 7")
    if schedule.kind == "every_n_days" and schedule.n < 1:
        raise ValueError("every_n_days needs n of at least 1")


def _check_target(target: float | None) -> None:
    """Raise ValueError for a target that would divide by zero or invert the meaning."""
    if target is not None and not target > 0:
        raise ValueError("a numeric target must be above 0")


def _due(schedule: Schedule, day: date) -> bool:
    """is_due without the schedule check, for loops over many days."""
    if schedule.kind == "weekdays":
        return day.weekday() in schedule.days
    if schedule.kind == "every_n_days":
        # Python's % keeps back-filled days before starts_on on the same rhythm.
        return (day - schedule.starts_on).days % schedule.n == 0
    return True


def _frequency(schedule: Schedule) -> tuple[int, int]:
    """The schedule as N times in D days."""
    if schedule.kind == "weekdays":
        return len(schedule.days), 7
    if schedule.kind == "times_per_week":
        return schedule.count, 7
    if schedule.kind == "every_n_days":
        return 1, schedule.n
    return 1, 1


def _effective_start(schedule: Schedule, marks: Mapping[date, Mark]) -> date:
    """The start day, moved back to the earliest check-in if that is earlier."""
    return min(schedule.starts_on, min(marks, default=schedule.starts_on))


def _days_between(first: date, last: date) -> Iterator[date]:
    """Every day from first to last, both included."""
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


def _monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


# --- Check-ins ---------------------------------------------------------------------------------


def mark_state(mark: Mark, target: float | None) -> str:
    """The state of a check-in: done, partial, skipped or note."""
    if mark.status not in STATUSES:
        raise ValueError(f"unknown check-in status {mark.status!r}")
    if mark.status != "done" or target is None:
        return mark.status
    # A numeric check-in without a value has reached nothing of its target.
    if mark.value is not None and mark.value >= target:
        return "done"
    return "partial"


def _credit(mark: Mark | None, target: float | None) -> float:
    """What a day adds to the rate and strength: 1 if done, value/target if partial, else 0."""
    if mark is None:
        return 0.0
    state = mark_state(mark, target)
    if state == "done":
        return 1.0
    if state == "partial" and target is not None and mark.value is not None:
        return min(1.0, max(0.0, mark.value / target))
    return 0.0


def _freezes_strength(mark: Mark | None, day: date, today: date) -> bool:
    """Skipped days, and today until it has a check-in, leave the strength unchanged."""
    if mark is None:
        return day == today
    return mark.status == "skipped"


# --- Streaks -----------------------------------------------------------------------------------


def _due_day_streaks(
    schedule: Schedule,
    marks: Mapping[date, Mark],
    start: date,
    today: date,
    target: float | None,
) -> tuple[int, int]:
    """Current and best streak of due days done in a row."""
    current = best = 0
    for day in _days_between(start, today):
        if not _due(schedule, day):
            continue
        mark = marks.get(day)
        if mark is None:
            # Today is still open; a past due day without a check-in breaks the run.
            current = current if day == today else 0
            continue
        state = mark_state(mark, target)
        if state == "done":
            current += 1
            best = max(best, current)
        elif state != "skipped":
            current = 0
    return current, best


def _weekly_streaks(
    count: int, marks: Mapping[date, Mark], start: date, today: date, target: float | None
) -> tuple[int, int]:
    """Current and best streak, in done days, of runs of met weeks (times_per_week)."""
    current_week = _monday_of(today)
    run = best = 0
    monday = _monday_of(start)
    while monday < current_week:
        sunday = monday + timedelta(days=6)
        done, skipped = _week_counts(marks, max(monday, start), sunday, target)
        required = max(0, _weekly_requirement(count, start, monday) - skipped)
        run = run + done if done >= required else 0
        best = max(best, run)
        monday += timedelta(days=7)
    # The week in progress can still be met, so it only ever adds.
    done_this_week, _ = _week_counts(marks, max(current_week, start), today, target)
    run += done_this_week
    return run, max(best, run)


def _week_counts(
    marks: Mapping[date, Mark], first: date, last: date, target: float | None
) -> tuple[int, int]:
    """Done days and skipped days from first to last."""
    done = skipped = 0
    for day in _days_between(first, last):
        mark = marks.get(day)
        if mark is None:
            continue
        state = mark_state(mark, target)
        if state == "done":
            done += 1
        elif state == "skipped":
            skipped += 1
    return done, skipped


def _weekly_requirement(count: int, start: date, monday: date) -> int:
    """Done days a week needs before skips; a first week cut by the start needs its share."""
    days_in_week = 7 - max(0, (start - monday).days)
    # Integer ceiling of count * days / 7, so a full week needs exactly count.
    return -(-count * days_in_week // 7)


# --- Completion rate ---------------------------------------------------------------------------


def _completion_rate(
    schedule: Schedule,
    marks: Mapping[date, Mark],
    start: date,
    today: date,
    target: float | None,
) -> float:
    """Share of the last 30 days' expected check-ins that were done, 0 to 1."""
    first = max(start, today - timedelta(days=RATE_WINDOW_DAYS - 1))
    if schedule.kind == "times_per_week":
        return _weekly_completion_rate(schedule.count, marks, first, today, target)
    expected = 0
    achieved = 0.0
    for day in _days_between(first, today):
        if not _due(schedule, day):
            continue
        mark = marks.get(day)
        # Today without a check-in is still open, and a skip asks for nothing.
        if (mark is None and day == today) or (mark is not None and mark.status == "skipped"):
            continue
        expected += 1
        achieved += _credit(mark, target)
    return min(1.0, achieved / expected) if expected else 0.0


def _weekly_completion_rate(
    count: int, marks: Mapping[date, Mark], first: date, today: date, target: float | None
) -> float:
    """Done days over count x days / 7 minus skipped days, 0 to 1."""
    window_days = (today - first).days + 1
    skipped = 0
    achieved = 0.0
    for day in _days_between(first, today):
        mark = marks.get(day)
        if mark is not None and mark.status == "skipped":
            skipped += 1
        achieved += _credit(mark, target)
    expected = max(0.0, count * window_days / 7 - skipped)
    return min(1.0, achieved / expected) if expected > 0 else 0.0
