"""API schemas of the calendar address."""

from datetime import datetime

from ninja import Schema
from pydantic import StrictBool

from routinie.core.schemas import Input


class CalendarFeedIn(Input):
    include_entries: StrictBool = False


class CalendarFeedOut(Schema):
    url: str
    include_entries: bool
    created_at: datetime
