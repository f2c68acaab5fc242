"""Page forms of the week view and the timesheet: they read what a person types (local dates,
times and durations as people type them); the rules live in the entry services."""

from datetime import date, datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django import forms

from routinie.core.errors import DomainError
from routinie.tracking.entries.durations import parse_duration
from routinie.tracking.week.services import Cell

LOCAL_MINUTE = ["%Y-%m-%dT%H:%M"]


class MoveForm(forms.Form):
    """A dragged block's new local start and/or end (to the minute, in the person's zone)."""

    start = forms.DateTimeField(required=False, input_formats=LOCAL_MINUTE)
    end = forms.DateTimeField(required=False, input_formats=LOCAL_MINUTE)

    def changes(self, zone: ZoneInfo) -> dict[str, datetime]:
        """The times given, as aware datetimes (a resize gives only the end)."""
        return {
            name: value.replace(tzinfo=zone)
            for name, value in self.cleaned_data.items()
            if value is not None
        }


def cell_name(project_id: UUID | str | None, day: date) -> str:
    return f"cell-{project_id or 'none'}-{day.isoformat()}"


def typed_cells(
    data: Any, days: list[date], project_ids: list[UUID | None]
) -> tuple[dict[str, Cell], dict[str, str]]:
    """The cells the form posted, parsed: (cells by field name, errors by field name). A cell
    left out of the post is left as it is; an empty one means no time."""
    cells: dict[str, Cell] = {}
    errors: dict[str, str] = {}
    for project_id in project_ids:
        for day in days:
            name = cell_name(project_id, day)
            if name not in data:
                continue
            typed = str(data.get(name, "")).strip()
            if typed in ("", "0"):
                cells[name] = Cell(project_id, day, 0)
                continue
            try:
                cells[name] = Cell(project_id, day, parse_duration(typed, field=name))
            except DomainError as error:
                errors[name] = error.detail
    return cells, errors
