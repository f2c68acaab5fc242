"""Loop Habit Tracker's frequency ("N times in D days") and Routinie's schedules, both ways.

Loop → Routinie (the closest kind we have):
- N ≥ D (1/1, 7/7, …) → daily;
- N/7 → times_per_week N;
- 1/D → every_n_days D (up to 365; once a month 1/30 → every 30 days);
- any other N/D (10 times a month, 2 in 3 days) → times_per_week round(7·N/D), 1 to 7.

Routinie → Loop: daily 1/1, times_per_week N → N/7, every_n_days n → 1/n, weekdays (which Loop
has not) → the number of days / 7.
"""

from routinie.tracking.routines.schedules import ScheduleSpec

MAX_EVERY_N_DAYS = 365


def schedule_from_frequency(numerator: int, denominator: int) -> ScheduleSpec | None:
    """The schedule closest to Loop's N times in D days; None when N or D is not positive."""
    if numerator < 1 or denominator < 1:
        return None
    if numerator >= denominator:
        return ScheduleSpec("daily")
    if denominator == 7:
        return ScheduleSpec("times_per_week", count=numerator)
    if numerator == 1 and denominator <= MAX_EVERY_N_DAYS:
        return ScheduleSpec("every_n_days", n=denominator)
    per_week = min(7, max(1, round(7 * numerator / denominator)))
    return (
        ScheduleSpec("daily") if per_week == 7 else ScheduleSpec("times_per_week", count=per_week)
    )


def frequency_of(spec: ScheduleSpec) -> tuple[int, int]:
    """A schedule as Loop's (N, D)."""
    if spec.kind == "times_per_week":
        return spec.count, 7
    if spec.kind == "every_n_days":
        return 1, spec.n
    if spec.kind == "weekdays":
        return len(spec.days), 7
    return 1, 1
