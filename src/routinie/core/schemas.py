"""Schema bases and value types for the API: inputs refuse unknown fields (422), as the contract
says; every text an input takes is a `SafeStr` (no NUL, no lone surrogate: PostgreSQL's text cannot
hold them and SQLite would store them), every date an `ApiDate` and every time an `ApiMoment`
(written as ISO 8601, never a bare number, inside `core.date_range`)."""

import re
from datetime import date, datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, AwareDatetime, BeforeValidator, ConfigDict, Field

from routinie.core.date_range import EARLIEST, LATEST, RANGE_TEXT, date_in_range, moment_in_range
from routinie.core.pagination import MAX_LIMIT
from routinie.core.storable_text import has_unstorable

# The same rule as a JSON Schema pattern (ECMA 262), stated in the OpenAPI description.
TEXT_PATTERN = "^[^\\u0000]*$"


def refuse_unstorable(text: str) -> str:
    """`text`, or a ValueError when it holds a character no database column can store."""
    if has_unstorable(text):
        raise ValueError(
            "The text holds a character that cannot be stored (NUL, a lone surrogate)."
        )
    return text


# Every text of an input (with its own `Field(max_length=…)`): what cannot be stored is a 422.
SafeStr = Annotated[
    str, AfterValidator(refuse_unstorable), Field(json_schema_extra={"pattern": TEXT_PATTERN})
]

_NUMBER = re.compile(r"^\s*[+-]?\d+(\.\d*)?\s*$")


def _written_as_text(value: Any) -> Any:
    """Refuse a bare number as a date or a time (pydantic would read it as a Unix timestamp)."""
    if isinstance(value, bool | int | float) or (isinstance(value, str) and _NUMBER.match(value)):
        raise ValueError("Write a date as 2026-11-24 and a time as 2026-11-24T09:30:00+02:00.")
    return value


def _date_in_range(day: date) -> date:
    if not date_in_range(day):
        raise ValueError(f"A date must be {RANGE_TEXT}.")
    return day


def _moment_in_range(moment: datetime) -> datetime:
    if not moment_in_range(moment):
        raise ValueError(f"A time must be {RANGE_TEXT}.")
    return moment


_RANGE_SCHEMA = {"x-minimum": EARLIEST.isoformat(), "x-maximum": LATEST.isoformat()}

ApiDate = Annotated[
    date,
    BeforeValidator(_written_as_text),
    AfterValidator(_date_in_range),
    Field(description=f"A date (YYYY-MM-DD) {RANGE_TEXT}.", json_schema_extra=_RANGE_SCHEMA),
]
ApiMoment = Annotated[
    AwareDatetime,
    BeforeValidator(_written_as_text),
    AfterValidator(_moment_in_range),
    Field(
        description=f"A time with its offset (ISO 8601), {RANGE_TEXT}.",
        json_schema_extra=_RANGE_SCHEMA,
    ),
]


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


class ErrorItem(Schema):
    field: str
    message: str
    code: str = "invalid"


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem] = []


# A list's query parameters, with the limits `core.pagination` enforces stated in the schema.
Limit = Annotated[
    int, Field(ge=1, le=MAX_LIMIT, description=f"How many items (1-{MAX_LIMIT}, default 100).")
]
Cursor = Annotated[
    SafeStr, Field(min_length=1, max_length=1000, description="`next_cursor` of the page before.")
]
# A text query or path parameter (a filter, a key): bounded, and refusing NUL like any text.
TextParam = Annotated[SafeStr, Field(max_length=1000)]
