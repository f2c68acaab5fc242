"""API v1: the report summary (`api.md` fixes the path)."""

from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import P, QueryEx, Router

from routinie.accounts.auth import api_user
from routinie.core.replica import tolerates_lag
from routinie.core.schemas import ApiDate, TextParam
from routinie.tracking.goals.api import goal_out
from routinie.tracking.goals.selectors import goals_of_range
from routinie.tracking.reports import selectors
from routinie.tracking.reports.schemas import SummaryOut

router = Router(tags=["tracking"])

GroupBy = Literal["day", "week", "month", "project", "tag"]  # selectors.GROUPINGS


@router.get("/reports/summary", response=SummaryOut)
@tolerates_lag
def summary(
    request: HttpRequest,
    first: QueryEx[ApiDate, P(alias="from")],
    last: QueryEx[ApiDate, P(alias="to")],
    group_by: GroupBy = "day",
    project_id: UUID | None = None,
    tag: TextParam = "",
    description: TextParam = "",
) -> dict[str, Any]:
    """Totals grouped by day, week, month, project or tag; `project_id`, `tag` and
    `description` (contains, any case) narrow the entries counted. A project that is not
    yours matches nothing: an empty report, as the time-entry list's filter does. A range that
    is exactly a week or a month also carries that period's goals."""
    user = api_user(request)
    filters = selectors.Filters(project_id=project_id, tag=tag, description=description)
    report = selectors.summary(
        user=user, first=first, last=last, group_by=group_by, filters=filters
    )
    goals = [goal_out(item) for item in goals_of_range(user, first, last)]
    return {"total_seconds": report.total_seconds, "groups": report.groups, "goals": goals}
