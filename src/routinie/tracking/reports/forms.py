"""The report page's form: a range of days and a grouping, read from a plain GET query."""

from datetime import date
from typing import Any

from django import forms
from django.http import QueryDict

GROUP_CHOICES = [
    ("day", "Day"),
    ("week", "Week"),
    ("month", "Month"),
    ("project", "Project"),
    ("tag", "Tag"),
]
EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)


def _date_field(label: str, what: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(
            attrs={"type": "date", "min": EARLIEST.isoformat(), "max": LATEST.isoformat()},
            format="%Y-%m-%d",
        ),
        error_messages={
            "required": f"Enter the {what} day of the report.",
            "invalid": "Enter a date as YYYY-MM-DD, for example 2026-11-23.",
        },
    )


class ReportForm(forms.Form):
    """The range and the grouping. `from` is a Python keyword, so the fields are added here."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from"] = _date_field("From", "first")
        self.fields["to"] = _date_field("To", "last")
        self.fields["group_by"] = forms.ChoiceField(
            label="Group by",
            choices=GROUP_CHOICES,
            error_messages={
                "required": "Choose how to group: by day, week, month, project or tag.",
                "invalid_choice": "Choose how to group: by day, week, month, project or tag.",
            },
        )

    def _in_bounds(self, name: str) -> date:
        value: date = self.cleaned_data[name]
        if not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(
                f"Pick a date between {EARLIEST:%Y} and {LATEST:%Y}.", code="out_of_range"
            )
        return value

    def clean_from(self) -> date:
        return self._in_bounds("from")

    def clean_to(self) -> date:
        return self._in_bounds("to")


def form_data(query: QueryDict, first: date, last: date) -> dict[str, str]:
    """The query's values, with this week and "day" for the ones it leaves out."""
    data = {"from": first.isoformat(), "to": last.isoformat(), "group_by": "day"}
    for name in data:
        if name in query:
            data[name] = str(query[name])
    return data
