"""API v1: the person's calendar address (`api.md` fixes the paths)."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from routinie.accounts.auth import api_user
from routinie.tracking.feed.schemas import CalendarFeedIn, CalendarFeedOut
from routinie.tracking.feed.services import make_feed, revoke_feed

router = Router(tags=["tracking"])


@router.post("/me/calendar-feed", response={201: CalendarFeedOut})
def create_calendar_feed(request: HttpRequest, body: CalendarFeedIn | None = None) -> Status[Any]:
    """A new secret address (replacing the old one, which stops working at once)."""
    include = body.include_entries if body is not None else False
    return Status(201, make_feed(user=api_user(request), include_entries=include))


@router.delete("/me/calendar-feed", response={204: None})
def delete_calendar_feed(request: HttpRequest) -> Status[None]:
    revoke_feed(user=api_user(request))
    return Status(204, None)
