"""Schema bases for the API: inputs refuse unknown fields (422), as the contract says."""

from ninja import Schema
from pydantic import ConfigDict


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


class ErrorItem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem] = []
