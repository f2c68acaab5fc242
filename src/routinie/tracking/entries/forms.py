"""Page forms for time entries, the timer, projects, filters and imports. They parse what a
person types (local dates and times); the rules live in the services."""

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django import forms

from routinie.accounts.models import User
from routinie.tracking.models import Project
from routinie.tracking.ownership import owned


def project_choices(user: User, *, include_archived: bool = False) -> list[tuple[str, str]]:
    projects = owned(Project, user).order_by("name")
    if not include_archived:
        projects = projects.filter(archived=False)
    return [("", "No project"), *((str(p.id), p.name) for p in projects)]


def split_tags(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


class TimerForm(forms.Form):
    description = forms.CharField(
        required=False,
        max_length=500,
        label="What are you working on?",
        widget=forms.TextInput(
            attrs={"placeholder": "What are you working on?", "autocomplete": "off"}
        ),
    )
    project = forms.ChoiceField(required=False, label="Project")
    tags = forms.CharField(
        required=False,
        max_length=500,
        label="Tags",
        widget=forms.TextInput(attrs={"placeholder": "tags, comma, separated"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_projects(project_choices(user))

    def _set_projects(self, choices: list[tuple[str, str]]) -> None:
        field = self.fields["project"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class EntryForm(TimerForm):
    day = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label="Start", widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(
        label="End",
        help_text="An end earlier than the start means the next day.",
        widget=forms.TimeInput(attrs={"type": "time"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self._set_projects(project_choices(user, include_archived=True))
        self.order_fields(["description", "day", "start_time", "end_time", "project", "tags"])

    def times(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """The entry's start and end as aware datetimes; an end before the start is next day."""
        day: date = self.cleaned_data["day"]
        start_time: time = self.cleaned_data["start_time"]
        end_time: time = self.cleaned_data["end_time"]
        start = datetime.combine(day, start_time, tzinfo=zone)
        end_day = day + timedelta(days=1) if end_time < start_time else day
        return start, datetime.combine(end_day, end_time, tzinfo=zone)


class ProjectForm(forms.Form):
    name = forms.CharField(max_length=100, label="Project name")
    color = forms.CharField(
        max_length=7,
        initial="#2f6f5e",
        label="Colour",
        widget=forms.TextInput(attrs={"type": "color"}),
    )


class FilterForm(forms.Form):
    first = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    last = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )
    project = forms.ChoiceField(required=False, label="Project")
    tag = forms.CharField(required=False, max_length=50, label="Tag")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["project"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", "All projects"),
            *project_choices(user, include_archived=True)[1:],
        ]


class ImportForm(forms.Form):
    file = forms.FileField(
        label="A CSV from Toggl Track or Clockify, or Routinie's own CSV or JSON export",
    )
