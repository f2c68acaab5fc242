"""API v1: the person's reminder settings. A routine's own reminder is its `reminder_time`
(`PATCH /api/v1/routines/{id}`); the daily digest is a setting of the person, here."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from routinie.accounts.auth import api_user
from routinie.tracking.reminders.schemas import RemindersIn, RemindersOut
from routinie.tracking.reminders.services import digest_time_of, set_digest_time
from routinie.tracking.reminders.times import parse_wall_time, wall_time_text

router = Router(tags=["tracking"])


@router.get("/me/reminders", response=RemindersOut)
def get_reminders(request: HttpRequest) -> dict[str, Any]:
    return {"digest_time": wall_time_text(digest_time_of(api_user(request)))}


@router.patch("/me/reminders", response=RemindersOut)
def update_reminders(request: HttpRequest, payload: RemindersIn) -> dict[str, Any]:
    user = api_user(request)
    if "digest_time" in payload.model_fields_set:
        set_digest_time(user=user, wall=parse_wall_time(payload.digest_time, "digest_time"))
    return {"digest_time": wall_time_text(digest_time_of(user))}
