"""API v1: goals (`api.md` fixes the paths). Every answer carries the goal's progress in its
current period; a list computes it for the whole page in one query a period."""

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Status

from routinie.accounts.auth import api_user
from routinie.accounts.models import User
from routinie.core.schemas import Cursor, Limit
from routinie.tracking.goals import services
from routinie.tracking.goals.schemas import GoalIn, GoalList, GoalOut, GoalPatch
from routinie.tracking.goals.selectors import GoalProgress, current_progress, goals_page
from routinie.tracking.models import Goal
from routinie.tracking.ownership import get_owned

router = Router(tags=["tracking"])


def goal_out(item: GoalProgress) -> dict[str, Any]:
    goal = item.goal
    return {
        "id": goal.pk,
        "period": goal.period,
        "seconds": goal.seconds,
        "project_id": goal.project_id,
        "tag": goal.tag or None,
        "progress_seconds": item.progress_seconds,
        "period_start": item.first,
        "period_end": item.last,
        "remaining_seconds": item.remaining_seconds,
        "met": item.met,
    }


def _one(user: User, goal: Goal) -> dict[str, Any]:
    return goal_out(current_progress(user, [goal])[0])


@router.get("/goals", response=GoalList)
def list_goals(
    request: HttpRequest, cursor: Cursor | None = None, limit: Limit | None = None
) -> dict[str, Any]:
    user = api_user(request)
    page = goals_page(user=user, cursor=cursor, limit=limit)
    items = [goal_out(item) for item in current_progress(user, page.items)]
    return {"items": items, "next_cursor": page.next_cursor}


@router.post("/goals", response={200: GoalOut, 201: GoalOut})
def create_goal(request: HttpRequest, payload: GoalIn) -> Status[dict[str, Any]]:
    user = api_user(request)
    goal, created = services.create_goal(user=user, **payload.model_dump())
    return Status(201 if created else 200, _one(user, goal))


@router.get("/goals/{goal_id}", response=GoalOut)
def get_goal(request: HttpRequest, goal_id: UUID) -> dict[str, Any]:
    user = api_user(request)
    return _one(user, get_owned(Goal, user, goal_id, "goal"))


@router.patch("/goals/{goal_id}", response=GoalOut)
def update_goal(request: HttpRequest, goal_id: UUID, payload: GoalPatch) -> dict[str, Any]:
    user = api_user(request)
    changes = payload.model_dump(exclude_unset=True)
    return _one(user, services.update_goal(user=user, goal_id=goal_id, **changes))


@router.delete("/goals/{goal_id}", response={204: None})
def delete_goal(request: HttpRequest, goal_id: UUID) -> Status[None]:
    services.delete_goal(user=api_user(request), goal_id=goal_id)
    return Status(204, None)
