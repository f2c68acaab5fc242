"""API schemas of the report summary."""

from ninja import Schema


class GroupOut(Schema):
    key: str | None
    label: str
    seconds: int
    entries: int


class SummaryOut(Schema):
    total_seconds: int
    groups: list[GroupOut]
