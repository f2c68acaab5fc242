"""A routine's schedule three ways: as the API and the forms write it (`ScheduleSpec`), as the
routine stores it (kind, a weekday mask, a number) and as the statistics read it (`Schedule`)."""

from dataclasses import dataclass

from routinie.core.errors import InvalidInput
from routinie.tracking.models import Routine
from routinie.tracking.routines.stats import Schedule


@dataclass(frozen=True)
class ScheduleSpec:
    kind: str
    days: tuple[int, ...] = ()
    count: int = 0
    n: int = 0


def schedule_fields(spec: ScheduleSpec) -> dict[str, int | str]:
    """The routine's fields for a schedule; InvalidInput naming what is wrong with it."""
    kind = spec.kind
    if kind == "daily":
        return {"schedule_kind": kind, "schedule_days": 0, "schedule_number": 0}
    if kind == "weekdays":
        if not spec.days or any(d not in range(7) for d in spec.days):
            raise InvalidInput.on(
                "schedule.days", "Choose at least one weekday, 0 (Monday) to 6 (Sunday)."
            )
        mask = sum(1 << d for d in set(spec.days))
        return {"schedule_kind": kind, "schedule_days": mask, "schedule_number": 0}
    if kind == "times_per_week":
        if not 1 <= spec.count <= 7:
            raise InvalidInput.on("schedule.count", "Times per week is a number from 1 to 7.")
        return {"schedule_kind": kind, "schedule_days": 0, "schedule_number": spec.count}
    if kind == "every_n_days":
        if not 1 <= spec.n <= 365:
            raise InvalidInput.on("schedule.n", "Every n days: n is a number from 1 to 365.")
        return {"schedule_kind": kind, "schedule_days": 0, "schedule_number": spec.n}
    raise InvalidInput.on(
        "schedule.kind", "The schedule is daily, weekdays, times_per_week or every_n_days."
    )


def schedule_of(routine: Routine) -> ScheduleSpec:
    """The schedule of a routine as the API shows it."""
    kind = routine.schedule_kind
    if kind == "weekdays":
        days = tuple(d for d in range(7) if routine.schedule_days & (1 << d))
        return ScheduleSpec(kind, days=days)
    if kind == "times_per_week":
        return ScheduleSpec(kind, count=routine.schedule_number)
    if kind == "every_n_days":
        return ScheduleSpec(kind, n=routine.schedule_number)
    return ScheduleSpec(kind)


def schedule_for_stats(routine: Routine) -> Schedule:
    """The schedule of a routine as `stats` reads it."""
    spec = schedule_of(routine)
    return Schedule(
        kind=spec.kind,
        starts_on=routine.starts_on,
        days=frozenset(spec.days),
        count=spec.count,
        n=spec.n,
    )
