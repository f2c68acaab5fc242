"""API schemas of projects, time entries and the timer."""

from datetime import datetime
from uuid import UUID

from ninja import Schema
from pydantic import AwareDatetime, Field

from routinie.core.schemas import Input


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
