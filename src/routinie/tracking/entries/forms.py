"""Page forms for time entries, the timer, projects, filters and imports. They parse what a
person types (local dates and times); the rules live in the services."""

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django import forms

from routinie.accounts.models import User
from routinie.core.errors import InvalidInput
from routinie.core.forms import RangedDateField
from routinie.tracking.calendar import exists_locally
from routinie.tracking.entries.durations import duration_text, parse_duration
from routinie.tracking.models import Project
from routinie.tracking.ownership import owned


def project_choices(user: User, *, include_archived: bool = False) -> list[tuple[str, str]]:
    projects = owned(Project, user).order_by("name")
    if not include_archived:
        projects = projects.filter(archived=False)
    return [("", "No project"), *((str(p.id), p.name) for p in projects)]


def split_tags(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


BREAK_LINE = re.compile(
    "^\\s*(\\d{1,2})[:.h]?(\\d{2})\\s*[-\u2013\u2014]\\s*(\\d{1,2})[:.h]?(\\d{2})\\s*$"
)


def _clock_from(moment: datetime, hour: int, minute: int) -> datetime:
    """The first time hour:minute on the clock of `moment`'s zone at or after `moment`."""
    at = moment.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return at if at >= moment.replace(second=0, microsecond=0) else at + timedelta(days=1)


def parse_break_lines(text: str, start: datetime) -> list[tuple[datetime, datetime]]:
    """Breaks typed one per line ("12:30-13:00") in the zone of `start` (aware, local): a
    break starts on the first such time from the entry's start on, and ends on the first such
    time from its own start on (past midnight: the next day). The services check that they
    lie inside the entry and do not overlap."""
    spans = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = BREAK_LINE.match(line)
        clocks = [int(part) for part in match.groups()] if match else []
        if not match or clocks[0] > 23 or clocks[2] > 23 or clocks[1] > 59 or clocks[3] > 59:
            raise InvalidInput.on(
                "breaks", f"Line {number}: write a break like 12:30-13:00.", "break_format"
            )
        break_start = _clock_from(start, clocks[0], clocks[1])
        spans.append((break_start, _clock_from(break_start, clocks[2], clocks[3])))
    return spans


LONG_ENTRY = timedelta(hours=12)  # longer than this is asked again: "Yes, it lasted 23 h"


def clock_input(**attrs: str) -> forms.TimeInput:
    """A 24-hour time typed as text (09:30): `<input type=time>` follows the browser's locale
    in Chromium (12:55 AM) whatever `lang` says, so the page shows what the lists show."""
    return forms.TimeInput(
        format="%H:%M",
        attrs={
            "inputmode": "numeric",
            "placeholder": "09:30",
            "pattern": r"[0-2]?[0-9][:.h]?[0-5][0-9]",
            "autocomplete": "off",
            "size": "5",
            "class": "clock-input",
            **attrs,
        },
    )


TIME_FORMATS = ["%H:%M", "%H:%M:%S", "%H.%M", "%Hh%M", "%H%M"]


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
    new_project = forms.CharField(
        required=False,
        max_length=100,
        label="+ New project",
        help_text="Type a name to create a project and use it here.",
        widget=forms.TextInput(attrs={"placeholder": "New project name", "autocomplete": "off"}),
    )
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


class StartForm(TimerForm):
    """The timer's form: start now, or at a time typed today ("started at 09:10")."""

    started_at = forms.TimeField(
        required=False,
        label="Started at",
        input_formats=TIME_FORMATS,
        help_text="Leave empty to start now.",
        widget=clock_input(placeholder="now"),
    )


class RunningForm(TimerForm):
    """Correct the running timer: what, project, tags and when it started (today or earlier)."""

    started_at = forms.TimeField(
        label="Started at", input_formats=TIME_FORMATS, widget=clock_input()
    )


class EntryForm(TimerForm):
    day = RangedDateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label="Start", input_formats=TIME_FORMATS, widget=clock_input(**{"data-start": ""})
    )
    end_time = forms.TimeField(
        label="End",
        input_formats=TIME_FORMATS,
        help_text="An end earlier than the start means the next day.",
        widget=clock_input(**{"data-end": ""}),
    )
    breaks = forms.CharField(
        label="Breaks",
        required=False,
        max_length=2000,
        help_text="One per line, like 12:30-13:00; left out of the worked time. Clear a line "
        "to remove that break.",
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "12:30-13:00"}),
    )
    confirm_long = forms.BooleanField(
        required=False,
        label="Yes, it lasted that long",
        help_text="Entries over 12 hours are asked again, in case of a typo.",
    )

    asks_confirmation = False  # set when the entry is over 12 hours and not yet confirmed

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self._set_projects(project_choices(user, include_archived=True))
        self.order_fields(
            [
                "description",
                "day",
                "start_time",
                "end_time",
                "breaks",
                "project",
                "new_project",
                "tags",
            ]
        )

    def times(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """The entry's start and end as aware datetimes; an end before the start is next day."""
        day: date = self.cleaned_data["day"]
        start = datetime.combine(day, self.cleaned_data["start_time"], tzinfo=zone)
        return start, self._end(start, zone)

    def break_spans(self, start: datetime) -> list[tuple[datetime, datetime]]:
        """The typed breaks, each in local times from the entry's start on (a time earlier
        than the one before it is the next day); InvalidInput names the breaks field."""
        return parse_break_lines(self.cleaned_data.get("breaks") or "", start)

    def _end(self, start: datetime, zone: ZoneInfo) -> datetime:
        end_time: time = self.cleaned_data["end_time"]
        end_day = start.date() + timedelta(days=1) if end_time < start.time() else start.date()
        return datetime.combine(end_day, end_time, tzinfo=zone)

    def checked_times(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """`times`, refusing an entry over 12 hours unless `confirm_long` is ticked (a typed
        14:00-13:00 is 23 hours, surely not meant); InvalidInput names the end field."""
        start, end = self.times(zone)
        for side, moment in (("start", start), ("end", end)):
            if not exists_locally(moment):
                raise InvalidInput.on(
                    side,
                    f"{moment:%H:%M} on {moment:%Y-%m-%d} does not exist in {zone.key}: the "
                    "clocks jumped forward past it. Choose a time before or after the change.",
                    "dst_gap",
                )
        if end - start > LONG_ENTRY and not self.cleaned_data.get("confirm_long"):
            self.asks_confirmation = True
            hours = duration_text(round((end - start).total_seconds()))
            raise InvalidInput.on(
                "end",
                f"This entry lasts {hours} h"
                + (" (it ends the next day)" if end.date() != start.date() else "")
                + ". If that is right, tick “Yes, it lasted that long” and save again.",
                "confirm_long",
            )
        return start, end


class ManualForm(EntryForm):
    """/today/'s manual mode: a finished entry by start and end, or start and a typed duration
    (1h30, 90m, 1:30, 1.5), on today's date unless another is given."""

    duration = forms.CharField(
        required=False,
        max_length=20,
        label="or Duration",
        help_text="1h30, 90m, 1:30 or 1.5",
        widget=forms.TextInput(attrs={"placeholder": "1h30", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["description"].label = "What did you work on?"
        self.fields["description"].widget.attrs["placeholder"] = "What did you work on?"
        self.fields["end_time"].required = False
        self.fields["end_time"].help_text = "An end earlier than the start means the next day."
        self.order_fields(
            [
                "description",
                "day",
                "start_time",
                "end_time",
                "duration",
                "project",
                "new_project",
                "tags",
            ]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("end_time") and not (data.get("duration") or "").strip():
            if "end_time" not in self.errors:
                self.add_error("end_time", "Give an end, or a duration such as 1h30.")
        elif data.get("end_time") and (data.get("duration") or "").strip():
            self.add_error("duration", "Give an end or a duration, not both.")
        return data

    def break_spans(self, start: datetime) -> list[tuple[datetime, datetime]]:
        """The typed breaks, each in local times from the entry's start on (a time earlier
        than the one before it is the next day); InvalidInput names the breaks field."""
        return parse_break_lines(self.cleaned_data.get("breaks") or "", start)

    def _end(self, start: datetime, zone: ZoneInfo) -> datetime:
        typed = (self.cleaned_data.get("duration") or "").strip()
        if typed:  # a duration is elapsed time: counted in UTC, so a DST change is kept
            elapsed = timedelta(seconds=parse_duration(typed))
            return (start.astimezone(UTC) + elapsed).astimezone(zone)
        return super()._end(start, zone)


# Named colours, each with at least 3:1 contrast on the light and the dark card: a person picks
# by name (read by screen readers), not by a hue alone.
PALETTE = [
    ("#2f6f5e", "Green"),
    ("#1f6fb2", "Blue"),
    ("#6a4fb3", "Violet"),
    ("#b0417a", "Pink"),
    ("#c0392b", "Red"),
    ("#b35c00", "Orange"),
    ("#8a7300", "Ochre"),
    ("#5f6b73", "Slate"),
]


class ProjectForm(forms.Form):
    """A project's name and colour: the colour is picked by name from the palette (any #rrggbb
    is accepted, as through the API; the service checks it)."""

    name = forms.CharField(max_length=100, label="Project name")
    color = forms.CharField(
        max_length=7,
        initial="#2f6f5e",
        label="Colour",
        widget=forms.RadioSelect(choices=PALETTE, attrs={"class": "swatch-input"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = (self.initial or {}).get("color")
        if current and current not in dict(PALETTE):  # a colour set through the API stays
            widget = self.fields["color"].widget
            assert isinstance(widget, forms.RadioSelect)
            widget.choices = [*PALETTE, (current, f"Current ({current})")]


class FilterForm(forms.Form):
    first = RangedDateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    last = RangedDateField(
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
