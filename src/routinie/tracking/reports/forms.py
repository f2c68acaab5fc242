"""The report page's form: a range of days, a grouping and filters, from a plain GET query."""

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from django import forms
from django.http import QueryDict

from routinie.core.forms import RangedDateField
from routinie.tracking.reports.selectors import Filters

GROUP_CHOICES = [
    ("day", "Day"),
    ("week", "Week"),
    ("month", "Month"),
    ("project", "Project"),
    ("tag", "Tag"),
]


def _date_field(label: str, what: str) -> forms.DateField:
    return RangedDateField(
        label=label,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": f"Enter the {what} day of the report.",
            "invalid": "Enter a date as YYYY-MM-DD, for example 2026-11-23.",
        },
    )


FILTER_NAMES = ("project", "tag", "description")
DESCRIPTION_MAX = 200


class ReportForm(forms.Form):
    """The range, the grouping and the filters (a project, a tag, words of the description).
    `from` is a Python keyword, so the fields are added here."""

    def __init__(
        self,
        *args: Any,
        projects: Sequence[tuple[str, str]] = (),
        tags: Sequence[str] = (),
        **kwargs: Any,
    ) -> None:
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

        self.fields["project"] = forms.ChoiceField(
            label="Project",
            required=False,
            choices=[("", "All projects"), *projects],
            error_messages={"invalid_choice": "Choose one of your projects, or all projects."},
        )
        self.fields["tag"] = forms.ChoiceField(
            label="Tag",
            required=False,
            choices=[("", "All tags"), *((t, t) for t in tags)],
            error_messages={"invalid_choice": "Choose one of your tags, or all tags."},
        )
        self.fields["description"] = forms.CharField(
            label="Description contains",
            required=False,
            max_length=DESCRIPTION_MAX,
            error_messages={
                "max_length": f"Search at most {DESCRIPTION_MAX} characters of a description."
            },
        )

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            project_id=UUID(data["project"]) if data["project"] else None,
            tag=data["tag"],
            description=data["description"].strip(),
        )

    def filter_query(self) -> dict[str, str]:
        """The filters set, as they go in the page's address (a report can be bookmarked)."""
        return {name: self.cleaned_data[name] for name in FILTER_NAMES if self.cleaned_data[name]}


def form_data(query: QueryDict, first: date, last: date) -> dict[str, str]:
    """The query's values, with this week and "day" for the ones it leaves out."""
    data = {"from": first.isoformat(), "to": last.isoformat(), "group_by": "day"}
    data.update(dict.fromkeys(FILTER_NAMES, ""))
    for name in data:
        if name in query:
            data[name] = str(query[name])
    return data
