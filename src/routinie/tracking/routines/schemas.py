"""API schemas of routines, check-ins, their statistics and "start routine"."""

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from ninja import Schema
from pydantic import Field, StrictBool, StrictFloat, StrictInt

from routinie.core.schemas import ApiDate, Input, SafeStr
from routinie.tracking.entries.schemas import EntryOut
from routinie.tracking.routines.services import CHECK_IN_NOTE_MAX

ReminderTime = Annotated[
    SafeStr,
    Field(
        max_length=5,
        description='A local wall time in the person\'s zone, "HH:MM" (24-hour), e.g. "07:30".',
    ),
]


class ScheduleIn(Input):
    kind: Literal["daily", "weekdays", "times_per_week", "every_n_days"]
    days: list[StrictInt] | None = Field(default=None, max_length=7)
    count: StrictInt | None = None
    n: StrictInt | None = None


class TargetIn(Input):
    value: StrictFloat
    unit: SafeStr = Field(default="", max_length=100)


class StepIn(Input):
    name: SafeStr = Field(max_length=1000)
    duration_seconds: StrictInt


class RoutineIn(Input):
    id: UUID | None = None
    name: SafeStr = Field(min_length=1, max_length=1000)
    schedule: ScheduleIn
    target: TargetIn | None = None
    steps: list[StepIn] = Field(default_factory=list, max_length=100)
    archived: StrictBool = False
    reminder_time: ReminderTime | None = None


class RoutinePatch(Input):
    name: SafeStr | None = Field(default=None, max_length=1000)
    schedule: ScheduleIn | None = None
    target: TargetIn | None = None
    steps: list[StepIn] | None = Field(default=None, max_length=100)
    archived: StrictBool | None = None
    reminder_time: ReminderTime | None = None


class StepOut(Schema):
    name: str
    duration_seconds: int


class TargetOut(Schema):
    value: float
    unit: str


class RoutineOut(Schema):
    id: UUID
    name: str
    schedule: dict[str, object]
    target: TargetOut | None
    steps: list[StepOut]
    archived: bool
    reminder_time: str | None = Field(
        description="The e-mail reminder's local time (\"07:30\", the person's zone), or null."
    )


class RoutineList(Schema):
    items: list[RoutineOut]
    next_cursor: str | None


class CheckInIn(Input):
    date: ApiDate
    status: Literal["done", "skipped", "note"]
    value: StrictFloat | None = None
    note: SafeStr = Field(default="", max_length=CHECK_IN_NOTE_MAX)


class CheckInOut(Schema):
    date: date
    status: str
    value: float | None
    note: str


class CheckInList(Schema):
    items: list[CheckInOut]


class RoutineStatsOut(Schema):
    current_streak: int
    best_streak: int
    completion_rate_30d: float
    strength: float
    weekday_frequency: list[int]


class RoutineRunOut(Schema):
    running: EntryOut | None
    step: int | None
    checked_in: bool
