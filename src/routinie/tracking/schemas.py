from datetime import date, datetime
from typing import Literal
from uuid import UUID

from ninja import Schema
from pydantic import AwareDatetime, Field

from routinie.core.schemas import Input
from routinie.tracking.routines import CHECK_IN_NOTE_MAX


# --- Projects ---------------------------------------------------------------------------------
class ProjectIn(Input):
    id: UUID | None = None
    name: str = Field(max_length=1000)
    color: str = Field(default="#2f6f5e", max_length=20)
    archived: bool = False


class ProjectPatch(Input):
    name: str | None = Field(default=None, max_length=1000)
    color: str | None = Field(default=None, max_length=20)
    archived: bool | None = None


class ProjectOut(Schema):
    id: UUID
    name: str
    color: str
    archived: bool


class ProjectList(Schema):
    items: list[ProjectOut]
    next_cursor: str | None


# --- Time entries -----------------------------------------------------------------------------
class EntryIn(Input):
    id: UUID | None = None
    description: str = Field(default="", max_length=5000)
    project_id: UUID | None = None
    tags: list[str] = Field(default_factory=list, max_length=100)
    start: AwareDatetime
    end: AwareDatetime | None = None


class EntryPatch(Input):
    description: str | None = Field(default=None, max_length=5000)
    project_id: UUID | None = None
    tags: list[str] | None = Field(default=None, max_length=100)
    start: AwareDatetime | None = None
    end: AwareDatetime | None = None


class TimerStartIn(Input):
    description: str = Field(default="", max_length=5000)
    project_id: UUID | None = None
    tags: list[str] = Field(default_factory=list, max_length=100)


class EntryOut(Schema):
    id: UUID
    description: str
    project_id: UUID | None
    tags: list[str]
    start: datetime
    end: datetime | None
    duration_seconds: int
    routine_id: UUID | None = None


class EntryList(Schema):
    items: list[EntryOut]
    next_cursor: str | None


class TimerOut(Schema):
    running: EntryOut | None


class ImportOut(Schema):
    imported: int
    skipped_duplicates: int
    format: str


# --- Routines ---------------------------------------------------------------------------------
class ScheduleIn(Input):
    kind: Literal["daily", "weekdays", "times_per_week", "every_n_days"]
    days: list[int] | None = Field(default=None, max_length=7)
    count: int | None = None
    n: int | None = None


class TargetIn(Input):
    value: float
    unit: str = Field(default="", max_length=100)


class StepIn(Input):
    name: str = Field(max_length=1000)
    duration_seconds: int


class RoutineIn(Input):
    id: UUID | None = None
    name: str = Field(max_length=1000)
    schedule: ScheduleIn
    target: TargetIn | None = None
    steps: list[StepIn] = Field(default_factory=list, max_length=100)
    archived: bool = False


class RoutinePatch(Input):
    name: str | None = Field(default=None, max_length=1000)
    schedule: ScheduleIn | None = None
    target: TargetIn | None = None
    steps: list[StepIn] | None = Field(default=None, max_length=100)
    archived: bool | None = None


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


class RoutineList(Schema):
    items: list[RoutineOut]
    next_cursor: str | None


class CheckInIn(Input):
    date: date
    status: Literal["done", "skipped", "note"]
    value: float | None = None
    note: str = Field(default="", max_length=CHECK_IN_NOTE_MAX)


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


# --- Reports ----------------------------------------------------------------------------------
class GroupOut(Schema):
    key: str | None
    label: str
    seconds: int
    entries: int


class SummaryOut(Schema):
    total_seconds: int
    groups: list[GroupOut]
