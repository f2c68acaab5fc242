"""API schemas of the person's reminder settings (`/api/v1/me/reminders`)."""

from ninja import Schema
from pydantic import Field

from routinie.core.schemas import Input
from routinie.tracking.routines.schemas import ReminderTime


class RemindersIn(Input):
    digest_time: ReminderTime | None = None


class RemindersOut(Schema):
    digest_time: str | None = Field(
        description='The daily digest\'s local time ("07:30"), or null: no digest. While on, '
        "routines' own reminders fold into it."
    )
