"""API v1: the report summary (`api.md` fixes the path)."""

from datetime import date

from django.http import HttpRequest
from ninja import P, QueryEx, Router

from routinie.accounts.auth import api_user
from routinie.tracking.reports import selectors
from routinie.tracking.reports.schemas import SummaryOut

router = Router(tags=["tracking"])


@router.get("/reports/summary", response=SummaryOut)
def summary(
    request: HttpRequest,
    first: QueryEx[date, P(alias="from")],
    last: QueryEx[date, P(alias="to")],
    group_by: str = "day",
) -> selectors.Summary:
    return selectors.summary(user=api_user(request), first=first, last=last, group_by=group_by)
