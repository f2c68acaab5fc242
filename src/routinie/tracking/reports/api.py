"""API v1: the report summary (`api.md` fixes the path)."""

from datetime import date

from django.http import HttpRequest
from ninja import Query, Router

from routinie.accounts.auth import api_user
from routinie.tracking.reports import selectors
from routinie.tracking.reports.schemas import SummaryOut

router = Router(tags=["tracking"])


@router.get("/reports/summary", response=SummaryOut)
def summary(
    request: HttpRequest,
    first: date = Query(..., alias="from"),  # noqa: B008
    last: date = Query(..., alias="to"),  # noqa: B008
    group_by: str = "day",
) -> selectors.Summary:
    return selectors.summary(user=api_user(request), first=first, last=last, group_by=group_by)
