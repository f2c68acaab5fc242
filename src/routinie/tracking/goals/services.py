"""Goals: the writes. Each function is one transaction and raises `routinie.core.errors` on bad
input, changing nothing.

A goal counts exactly one target: a project of its owner (another person's project, or none
by that id, is a 422 on `project_id`) or a tag by its name (trimmed, at most 50 characters; the
tag need not exist yet). A PATCH that names either target replaces the goal's target: the one
it leaves out is cleared. A goal's length is above 0 and at most its period (a week's 604,800
seconds, the longest month's 2,678,400). One goal per period and target (else 409). Deleting a
project deletes its goals."""

import uuid
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction

from routinie.accounts.models import User
from routinie.core.errors import Conflict, InvalidInput
from routinie.tracking.models import MONTH_SECONDS, WEEK_SECONDS, Goal, Project
from routinie.tracking.ownership import already_created, get_owned, owned

LONGEST = {Goal.Period.WEEK: WEEK_SECONDS, Goal.Period.MONTH: MONTH_SECONDS}
PERIOD_WORDS = {Goal.Period.WEEK: "weekly", Goal.Period.MONTH: "monthly"}


def _period(period: Any) -> str:
    if period not in Goal.Period.values:
        raise InvalidInput.on("period", 'A goal is for a "week" or a "month".')
    return str(period)


def _seconds(seconds: Any, period: str) -> int:
    if isinstance(seconds, bool) or not isinstance(seconds, int):
        raise InvalidInput.on("seconds", "A goal's length is a whole number of seconds.")
    if seconds <= 0:
        raise InvalidInput.on("seconds", "A goal must be longer than zero.")
    longest = LONGEST[Goal.Period(period)]
    if seconds > longest:
        raise InvalidInput.on(
            "seconds",
            f"A {PERIOD_WORDS[Goal.Period(period)]} goal can be at most {longest // 3600} hours "
            f"({longest:,} seconds).",
        )
    return seconds


def _target(user: User, project_id: UUID | None, tag: str | None) -> tuple[UUID | None, str]:
    tag = (tag or "").strip()
    if len(tag) > 50:
        raise InvalidInput.on("tag", "A tag is at most 50 characters long.")
    if project_id is not None and tag:
        raise InvalidInput.on("tag", "A goal counts a project or a tag, not both.")
    if project_id is None and not tag:
        raise InvalidInput.on("project_id", "Choose a project or a tag for the goal.", "required")
    if project_id is not None and not owned(Project, user).filter(pk=project_id).exists():
        raise InvalidInput.on("project_id", "No such project.")
    return project_id, tag


def _checked(
    user: User, period: Any, seconds: Any, project_id: UUID | None, tag: str | None
) -> dict[str, Any]:
    period = _period(period)
    project_id, tag = _target(user, project_id, tag)
    return {
        "period": period,
        "seconds": _seconds(seconds, period),
        "project_id": project_id,
        "tag": tag,
    }


def _save(goal: Goal) -> Goal:
    try:
        with transaction.atomic():
            goal.save()
    except IntegrityError:
        what = "project" if goal.project_id else "tag"
        raise Conflict(
            f"You already have a {PERIOD_WORDS[Goal.Period(goal.period)]} goal for this {what}."
        ) from None
    return goal


def create_goal(
    *,
    user: User,
    period: str,
    seconds: int,
    project_id: UUID | None = None,
    tag: str | None = None,
    id: UUID | None = None,
) -> tuple[Goal, bool]:
    """A new goal. Returns (goal, created); repeating a create with the same id is safe."""
    fields = _checked(user, period, seconds, project_id, tag)
    existing = already_created(Goal, user, id, fields)
    if existing is not None:
        return existing, False
    return _save(Goal(id=id or uuid.uuid4(), user=user, **fields)), True


def update_goal(*, user: User, goal_id: UUID, **changes: Any) -> Goal:
    """Change a goal's period, length or target (None leaves the period or length as it is)."""
    goal = get_owned(Goal, user, goal_id, "goal")
    project_id: UUID | None = goal.project_id
    tag: str | None = goal.tag
    if "project_id" in changes or "tag" in changes:
        project_id, tag = changes.get("project_id"), changes.get("tag")
    period = changes.get("period") or goal.period
    seconds = changes["seconds"] if changes.get("seconds") is not None else goal.seconds
    for name, value in _checked(user, period, seconds, project_id, tag).items():
        setattr(goal, name, value)
    return _save(goal)


def delete_goal(*, user: User, goal_id: UUID) -> None:
    get_owned(Goal, user, goal_id, "goal").delete()
