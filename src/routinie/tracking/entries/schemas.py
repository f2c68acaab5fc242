"""API schemas of projects, time entries and the timer."""

from datetime import datetime
from typing import Annotated
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
class EntryIn(Input):
    id: UUID | None = None
    description: SafeStr = Field(default="", max_length=5000)
    project_id: UUID | None = None
    tags: list[TagName] = Field(default_factory=list, max_length=100)
    start: ApiMoment
    end: ApiMoment | None = None


class EntryPatch(Input):
    description: SafeStr | None = Field(default=None, max_length=5000)
    project_id: UUID | None = None
    tags: list[TagName] | None = Field(default=None, max_length=100)
    start: ApiMoment | None = None
    end: ApiMoment | None = None


class TimerStartIn(Input):
    description: SafeStr = Field(default="", max_length=5000)
    project_id: UUID | None = None
    tags: list[TagName] = Field(default_factory=list, max_length=100)


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
