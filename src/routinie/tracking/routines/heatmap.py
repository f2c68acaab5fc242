"""A routine's heat-map: a column per week, a row per weekday, each day a square coloured by its
state, drawn as SVG by the template from these coordinates."""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from routinie.core.weeks import week_start_of
from routinie.tracking.models import Routine
from routinie.tracking.routines.schedules import schedule_for_stats
from routinie.tracking.routines.stats import Mark, heatmap, is_due
from routinie.tracking.routines.wording import DAY_NAMES, STATE_LABELS, day_report, short_day_text

CELL = 12  # heat-map cell, in SVG units
GAP = 3


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    state: str
    label: str  # "Mon 23 Nov: 5 of 8 glasses · partly done", the day button's name
    day: date

    @property
    def weekday(self) -> str:
        return DAY_NAMES[self.day.weekday()]


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

    @property
    def recent(self) -> list[Cell]:
        """The last week up to today: the card's row of days to tap."""
        return self.cells[-7:]

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
    schedule = schedule_for_stats(routine)
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
        words = day_report(routine, marks.get(day)).text or STATE_LABELS[state]
        cells.append(
            Cell(
                left + column * step,
                top + row * step,
                state,
                f"{short_day_text(day, today)}: {words}",
                day,
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
