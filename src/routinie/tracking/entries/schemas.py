"""API schemas of projects, time entries and the timer."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from ninja import Schema
from pydantic import Field, StrictBool

from routinie.core.schemas import ApiMoment, Input, SafeStr

# A tag's name, as `services.clean_tags` keeps it (at most 50 characters).
TagName = Annotated[SafeStr, Field(max_length=50)]


# --- Projects ---------------------------------------------------------------------------------
class ProjectIn(Input):
    id: UUID | None = None
    name: SafeStr = Field(min_length=1, max_length=1000)
    color: SafeStr = Field(default="#2f6f5e", max_length=20)
    archived: StrictBool = False


class ProjectPatch(Input):
    name: SafeStr | None = Field(default=None, max_length=1000)
    color: SafeStr | None = Field(default=None, max_length=20)
    archived: StrictBool | None = None


class ProjectOut(Schema):
    id: UUID
    name: str
    color: str
    archived: bool


class ProjectList(Schema):
    items: list[ProjectOut]
    next_cursor: str | None


# --- Time entries -----------------------------------------------------------------------------
class BreakIn(Input):
    start: ApiMoment
    end: ApiMoment | None = None


Breaks = Annotated[list[BreakIn], Field(max_length=100)]


def break_spans(changes: dict[str, Any]) -> dict[str, Any]:
    """A body's `model_dump()` with its breaks as (start, end) pairs, as the services take them."""
    if changes.get("breaks") is not None:
        changes["breaks"] = [(item["start"], item.get("end")) for item in changes["breaks"]]
    return changes


class EntryIn(Input):
    id: UUID | None = None
    description: SafeStr = Field(default="", max_length=5000)
    project_id: UUID | None = None
    tags: list[TagName] = Field(default_factory=list, max_length=100)
    start: ApiMoment
    end: ApiMoment | None = None
    breaks: Breaks = Field(default_factory=list)


class EntryPatch(Input):
    description: SafeStr | None = Field(default=None, max_length=5000)
    project_id: UUID | None = None
    tags: list[TagName] | None = Field(default=None, max_length=100)
    start: ApiMoment | None = None
    end: ApiMoment | None = None
    breaks: Breaks | None = None


class TimerStartIn(Input):
    description: SafeStr = Field(default="", max_length=5000)
    project_id: UUID | None = None
    tags: list[TagName] = Field(default_factory=list, max_length=100)


class BreakOut(Schema):
    start: datetime
    end: datetime | None


class EntryOut(Schema):
    id: UUID
    description: str
    project_id: UUID | None
    tags: list[str]
    start: datetime
    end: datetime | None
    duration_seconds: int
    routine_id: UUID | None = None
    breaks: list[BreakOut] = Field(default_factory=list)
    break_seconds: int = 0


class EntryList(Schema):
    items: list[EntryOut]
    next_cursor: str | None


class ForgottenOut(Schema):
    """The running timer is past the person's `forgotten_timer_hours` (and not said to be
    right): `left_at` is the time they left (their last change on the platform after its
    start), to stop it there with `PATCH /time-entries/{id}` `{end}`; null when nothing was
    done since the start."""

    threshold_hours: int
    left_at: datetime | None


class TimerOut(Schema):
    running: EntryOut | None
    forgotten: ForgottenOut | None = None
