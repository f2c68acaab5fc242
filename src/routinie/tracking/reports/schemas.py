"""API schemas of the report summary."""

from ninja import Schema
from pydantic import Field

from routinie.tracking.goals.schemas import GoalOut


class GroupOut(Schema):
    key: str | None
    label: str
    seconds: int
    entries: int


class SummaryOut(Schema):
    total_seconds: int
    groups: list[GroupOut]
    goals: list[GoalOut] = Field(
        default_factory=list,
        description="When from..to is exactly one of your weeks (from your week start) or a "
        "calendar month: that period's goals with their progress in it (a past period's too); "
        "else empty. A goal counts its own project or tag, whatever the filters.",
    )
