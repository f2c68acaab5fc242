"""Page forms of the week view and the timesheet: they read what a person types (local dates,
times and durations as people type them); the rules live in the entry services."""

from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django import forms

from routinie.accounts.models import User
from routinie.core.errors import DomainError
from routinie.tracking.entries.durations import parse_duration
from routinie.tracking.entries.forms import project_choices
from routinie.tracking.week.services import Cell

LOCAL_MINUTE = ["%Y-%m-%dT%H:%M"]


class WeekEntryForm(forms.Form):
    """A new entry from the week view: a start and either an end or a duration."""

    description = forms.CharField(required=False, max_length=500, label="Description")
    project = forms.ChoiceField(required=False, label="Project")
    day = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label="Start", widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(
        required=False,
        label="End",
        help_text="Or a duration. An end earlier than the start means the next day.",
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    duration = forms.CharField(
        required=False,
        max_length=20,
        label="Duration",
        help_text="Such as 1h30, 90m, 1:30 or 1.5",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["project"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = project_choices(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        typed = (data.get("duration") or "").strip()
        data["seconds"] = None
        if typed:
            try:
                data["seconds"] = parse_duration(typed)
            except DomainError as error:
                self.add_error("duration", error.detail)
        elif data.get("end_time") is None and "end_time" not in self.errors:
            self.add_error("end_time", "Give an end or a duration.")
        return data

    def times(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        day: date = self.cleaned_data["day"]
        start_time: time = self.cleaned_data["start_time"]
        start = datetime.combine(day, start_time, tzinfo=zone)
        if self.cleaned_data["seconds"] is not None:
            return start, start + timedelta(seconds=self.cleaned_data["seconds"])
        end_time: time = self.cleaned_data["end_time"]
        end_day = day + timedelta(days=1) if end_time <= start_time else day
        return start, datetime.combine(end_day, end_time, tzinfo=zone)


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
