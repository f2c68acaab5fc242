"""API schemas of goals (`api.md` fixes id, period, seconds, project_id or tag and
progress_seconds; the others are extra)."""

from datetime import date
from typing import Literal
from uuid import UUID

from ninja import Schema
from pydantic import Field, StrictInt

from routinie.core.schemas import Input
from routinie.tracking.entries.schemas import TagName
from routinie.tracking.models import MONTH_SECONDS

Period = Literal["week", "month"]
Seconds = StrictInt  # "10" or 3.5 is a 422, not read as a number
SECONDS_DESCRIPTION = (
    "The goal's worked time in seconds: above 0, at most 604800 for a week, 2678400 for a month."
)


class GoalIn(Input):
    id: UUID | None = None
    period: Period
    seconds: Seconds = Field(gt=0, le=MONTH_SECONDS, description=SECONDS_DESCRIPTION)
    project_id: UUID | None = None
    tag: TagName | None = None


class GoalPatch(Input):
    period: Period | None = None
    seconds: Seconds | None = Field(
        default=None, gt=0, le=MONTH_SECONDS, description=SECONDS_DESCRIPTION
    )
    project_id: UUID | None = None
    tag: TagName | None = None


class GoalOut(Schema):
    id: UUID
    period: str
    seconds: int
    project_id: UUID | None
    tag: str | None
    progress_seconds: int = Field(
        description="Worked time (breaks left out, a running timer up to now) of the goal's "
        "project or tag in the current period, in your time zone and week start."
    )
    period_start: date = Field(description="The current period's first day.")
    period_end: date = Field(description="The current period's last day (inclusive).")
    remaining_seconds: int
    met: bool


class GoalList(Schema):
    items: list[GoalOut]
    next_cursor: str | None
