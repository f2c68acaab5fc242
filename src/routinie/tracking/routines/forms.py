"""Page forms of routines. They parse what the pages post; the rules live in `services` (one
place), whose refusals `core.forms.add_domain_errors` puts next to the field they name."""

import datetime
import math
import re
from collections.abc import Mapping
from typing import Any

from django import forms

from routinie.core.errors import InvalidInput
from routinie.core.forms import RangedDateField
from routinie.tracking.reminders.times import parse_wall_time, wall_time_text
from routinie.tracking.routines.schedules import ScheduleSpec
from routinie.tracking.routines.services import CHECK_IN_NOTE_MAX, MAX_STEPS, StepSpec

WEEKDAY_CHOICES = [
    (0, "Mon"),
    (1, "Tue"),
    (2, "Wed"),
    (3, "Thu"),
    (4, "Fri"),
    (5, "Sat"),
    (6, "Sun"),
]
KIND_CHOICES = [
    ("daily", "Every day"),
    ("weekdays", "On certain days of the week"),
    ("times_per_week", "A number of times a week"),
    ("every_n_days", "Every few days"),
]
STATUS_CHOICES = [("done", "Done"), ("skipped", "Skipped"), ("note", "Note only")]
BLANK_STEP_ROWS = 5
STEP_KEY = re.compile(r"step_(\d+)_(?:name|minutes)")

# Where a service's field name ("schedule.days") shows on the form.
SERVICE_FIELDS = {
    "name": "name",
    "schedule.kind": "schedule_kind",
    "schedule.days": "days",
    "schedule.count": "count",
    "schedule.n": "n",
    "target.value": "target_value",
    "target.unit": "target_unit",
    "target": "target_value",
    "reminder_time": "reminder_time",
}


def minutes_text(seconds: int) -> str:
    """A step's duration as the minutes the form shows ("5", "2.5", "0.75")."""
    return f"{seconds / 60:.2f}".rstrip("0").rstrip(".")


def parse_number(raw: str) -> float | None:
    """A number as people type it ("2.5" or "2,5"); None when it is not one."""
    try:
        value = float(raw.replace(",", ".").strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _whole_number(raw: str) -> int | None:
    value = parse_number(raw)
    if value is None or value != int(value):
        return None
    return int(value)


def _posted_step_rows(data: Mapping[str, Any]) -> int:
    rows = [int(m.group(1)) + 1 for key in data if (m := STEP_KEY.fullmatch(key))]
    return min(MAX_STEPS, max(rows, default=0))


class RoutineForm(forms.Form):
    """Name, schedule, optional target and the steps (rows of a name and minutes)."""

    name = forms.CharField(
        max_length=100,
        error_messages={
            "required": "Please give the routine a name.",
            "max_length": "A routine name can be at most 100 characters long.",
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "placeholder": "e.g. Morning stretch"}
        ),
    )
    schedule_kind = forms.ChoiceField(
        label="How often?",
        choices=KIND_CHOICES,
        initial="daily",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how often.", "invalid_choice": "Choose how often."},
    )
    days = forms.TypedMultipleChoiceField(
        label="Days of the week",
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Parsed in clean() and only for the chosen kind, so a stray value elsewhere is no error.
    count = forms.CharField(
        label="Times a week",
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "rt-short"}),
    )
    n = forms.CharField(
        label="Every how many days",
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "rt-short"}),
    )
    target_value = forms.CharField(
        label="Target (optional)",
        required=False,
        help_text="A number to reach each time, like 20 (pages) or 5 (km).",
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    target_unit = forms.CharField(
        label="Unit",
        required=False,
        max_length=30,
        error_messages={"max_length": "A unit can be at most 30 characters long."},
        widget=forms.TextInput(attrs={"placeholder": "e.g. pages", "autocomplete": "off"}),
    )
    reminder_time = forms.CharField(
        label="E-mail reminder (optional)",
        required=False,
        help_text="A time of day in your time zone; leave it empty for no reminder. "
        "You get it only on days the routine is due and not yet checked in.",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def __init__(self, *args: Any, step_rows: int = BLANK_STEP_ROWS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:
            step_rows = max(step_rows, _posted_step_rows(self.data))
        self.step_rows = max(1, min(MAX_STEPS, step_rows))
        for i in range(self.step_rows):
            self.fields[f"step_{i}_name"] = forms.CharField(
                label=f"Step {i + 1}",
                required=False,
                max_length=100,
                error_messages={"max_length": "A step name can be at most 100 characters long."},
                widget=forms.TextInput(attrs={"autocomplete": "off"}),
            )
            self.fields[f"step_{i}_minutes"] = forms.CharField(
                label=f"Minutes for step {i + 1}",
                required=False,
                widget=forms.NumberInput(
                    attrs={"step": "any", "min": "0", "inputmode": "decimal", "class": "rt-short"}
                ),
            )
        # For each step sent to the service, the row of the form it came from.
        self.step_rows_used: list[int] = []

    @classmethod
    def for_routine(cls, routine: Any, schedule: ScheduleSpec) -> "RoutineForm":
        """An unbound form showing a routine as it is, with a few blank step rows to add."""
        steps = list(routine.steps.all())
        initial: dict[str, Any] = {
            "name": routine.name,
            "schedule_kind": schedule.kind,
            "days": list(schedule.days),
            "count": schedule.count or "",
            "n": schedule.n or "",
            "target_value": "" if routine.target_value is None else f"{routine.target_value:g}",
            "target_unit": routine.target_unit,
            "reminder_time": wall_time_text(routine.reminder_time) or "",
        }
        for i, step in enumerate(steps):
            initial[f"step_{i}_name"] = step.name
            initial[f"step_{i}_minutes"] = minutes_text(step.duration_seconds)
        return cls(initial=initial, step_rows=max(BLANK_STEP_ROWS, len(steps) + 3))

    # --- Fields the template lays out -----------------------------------------------------------
    def step_fields(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [
            (i + 1, self[f"step_{i}_name"], self[f"step_{i}_minutes"])
            for i in range(self.step_rows)
        ]

    def step_errors(self) -> bool:
        return any(
            self.has_error(f"step_{i}_{part}")
            for i in range(self.step_rows)
            for part in ("name", "minutes")
        )

    # --- Parsing --------------------------------------------------------------------------------
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["schedule"] = self._schedule(data)
        data["target"] = self._target(data)
        data["steps"] = self._steps(data)
        data["reminder"] = self._reminder(data)
        return data

    def _reminder(self, data: dict[str, Any]) -> datetime.time | None:
        try:
            raw = (data.get("reminder_time") or "").strip()
            return parse_wall_time(raw or None, "reminder_time")
        except InvalidInput as error:
            self.add_error("reminder_time", error.detail)
            return None

    def _schedule(self, data: dict[str, Any]) -> ScheduleSpec | None:
        kind = data.get("schedule_kind")
        if not kind:
            return None
        if kind == "weekdays":
            return ScheduleSpec(kind, days=tuple(sorted(data.get("days") or ())))
        if kind == "times_per_week":
            count = self._whole(data, "count", "How many times a week? A number from 1 to 7.")
            return None if count is None else ScheduleSpec(kind, count=count)
        if kind == "every_n_days":
            n = self._whole(data, "n", "Every how many days? A number from 1 to 365.")
            return None if n is None else ScheduleSpec(kind, n=n)
        return ScheduleSpec(kind)

    def _whole(self, data: dict[str, Any], field: str, message: str) -> int | None:
        value = _whole_number(data.get(field) or "")
        if value is None:
            self.add_error(field, message)
        return value

    def _target(self, data: dict[str, Any]) -> tuple[float | None, str]:
        raw = (data.get("target_value") or "").strip()
        unit = (data.get("target_unit") or "").strip()
        if not raw:
            if unit:
                self.add_error("target_value", "Add the target number, or clear the unit.")
            return None, unit
        value = parse_number(raw)
        if value is None:
            self.add_error("target_value", "The target is a number, like 20 or 2.5.")
        return value, unit

    def _steps(self, data: dict[str, Any]) -> list[StepSpec]:
        steps: list[StepSpec] = []
        self.step_rows_used = []
        for i in range(self.step_rows):
            name = (data.get(f"step_{i}_name") or "").strip()
            raw = (data.get(f"step_{i}_minutes") or "").strip()
            if not name and not raw:
                continue
            if not name:
                self.add_error(f"step_{i}_name", "Name this step, or clear its minutes.")
                continue
            minutes = parse_number(raw) if raw else None
            if minutes is None or minutes <= 0:
                self.add_error(f"step_{i}_minutes", "How many minutes? A number above 0.")
                continue
            steps.append(StepSpec(name, round(minutes * 60)))
            self.step_rows_used.append(i)
        return steps

    def routine_fields(self) -> dict[str, Any]:
        """What a valid form asks of `services.create_routine` or `update_routine`."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "schedule": data["schedule"],
            "target_value": data["target"][0],
            "target_unit": data["target"][1],
            "steps": data["steps"],
            "reminder_time": data["reminder"],
        }

    def service_fields(self) -> dict[str, str]:
        """Where each field a service names ("schedule.days", "steps.2.name") shows on this
        form (a step on the row it came from), for `core.forms.add_domain_errors`."""
        fields = dict(SERVICE_FIELDS)
        for index, row in enumerate(self.step_rows_used):
            fields[f"steps.{index}.name"] = f"step_{row}_name"
            fields[f"steps.{index}.duration_seconds"] = f"step_{row}_minutes"
        return fields


class CheckInForm(forms.Form):
    """A check-in of one day: today when no date is sent (the one-click buttons)."""

    date = RangedDateField(
        label="Day",
        required=False,
        error_messages={"invalid": "Enter a date, like 2026-11-24."},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    status = forms.ChoiceField(
        label="What happened",
        choices=STATUS_CHOICES,
        initial="done",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose done, skipped or note."},
    )
    value = forms.CharField(
        label="Value",
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=CHECK_IN_NOTE_MAX,
        error_messages={
            "max_length": f"A note can be at most {CHECK_IN_NOTE_MAX} characters long."
        },
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["date"].widget.attrs["max"] = today.isoformat()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("date") and not self.has_error("date"):
            data["date"] = self.today
        raw = (data.get("value") or "").strip()
        data["value"] = None
        if raw:
            data["value"] = parse_number(raw)
            if data["value"] is None:
                self.add_error("value", "The value is a number, like 20 or 2.5.")
        return data


class DayForm(forms.Form):
    """The day of a check-in to delete."""

    date = RangedDateField(error_messages={"required": "Which day?", "invalid": "Which day?"})


class LoopImportForm(forms.Form):
    file = forms.FileField(label='The zip of Loop Habit Tracker\'s "Export as CSV"')
