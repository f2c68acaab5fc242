"""The reports page: totals of a range by day, week, month, project or tag, with charts.

A plain GET form (it works with scripts off): parse the range, ask `reports.summary`, render.
The charts are SVG drawn from `charts`; `?download=csv` gives the same groups as a file. The
page runs a constant number of queries whatever the data: up to three summaries (the grouping,
the timeline, the projects), each aggregated in SQL, and one read of the projects' colours.
"""

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from routinie.core import charts
from routinie.core.errors import InvalidInput
from routinie.core.spreadsheet_safety import guard_formula
from routinie.core.weeks import week_start_of
from routinie.tracking.calendar import today_for
from routinie.tracking.models import Project
from routinie.tracking.ownership import owned
from routinie.tracking.reports import Summary, summary

GROUP_CHOICES = [
    ("day", "Day"),
    ("week", "Week"),
    ("month", "Month"),
    ("project", "Project"),
    ("tag", "Tag"),
]
EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)
DASH = " \N{EN DASH} "
CSV_COLUMNS = ["key", "label", "seconds", "hours", "entries"]


# --- Parsing -----------------------------------------------------------------------------------
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


def _form_data(query: QueryDict, first: date, last: date) -> dict[str, str]:
    """The query's values, with this week and "day" for the ones it leaves out."""
    data = {"from": first.isoformat(), "to": last.isoformat(), "group_by": "day"}
    for name in data:
        if name in query:
            data[name] = str(query[name])
    return data


def _add_errors(form: forms.Form, error: InvalidInput) -> None:
    if not error.errors:
        form.add_error(None, error.detail)
    for item in error.errors:
        form.add_error(item.field if item.field in form.fields else None, item.message)


# --- Ranges: the presets, and the period before and after ------------------------------------
def month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after day's month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Preset:
    slug: str
    label: str
    first: date
    last: date


def presets_for(today: date, week_start: int = 0) -> list[Preset]:
    """The quick ranges, in the user's calendar (`today` in their zone, their week start)."""
    this_week = week_start_of(today, week_start)
    this_month = today.replace(day=1)
    last_month = add_months(today, -1)
    return [
        Preset("this-week", "This week", this_week, this_week + timedelta(days=6)),
        Preset(
            "last-week",
            "Last week",
            this_week - timedelta(days=7),
            this_week - timedelta(days=1),
        ),
        Preset("this-month", "This month", this_month, month_end(this_month)),
        Preset("last-month", "Last month", last_month, month_end(last_month)),
        Preset("last-30-days", "Last 30 days", today - timedelta(days=29), today),
        Preset("this-year", "This year", date(today.year, 1, 1), date(today.year, 12, 31)),
    ]


def neighbours(
    first: date, last: date
) -> tuple[tuple[date, date] | None, tuple[date, date] | None]:
    """The ranges just before and just after: as many whole months, or as many days."""
    try:
        if first.day == 1 and last == month_end(last):
            months = (last.year - first.year) * 12 + last.month - first.month + 1
            before = (add_months(first, -months), first - timedelta(days=1))
            after_first = add_months(first, months)
            after = (after_first, month_end(add_months(after_first, months - 1)))
        else:
            span = timedelta(days=(last - first).days + 1)
            before, after = (first - span, last - span), (first + span, last + span)
    except (OverflowError, ValueError):
        return None, None

    def bounded(r: tuple[date, date]) -> tuple[date, date] | None:
        return r if r[0] >= EARLIEST and r[1] <= LATEST else None

    return bounded(before), bounded(after)


def range_label(first: date, last: date) -> str:
    if first == last:
        return f"{first:%a} {first.day} {first:%b %Y}"
    if first.year == last.year:
        return f"{first.day} {first:%b}{DASH}{last.day} {last:%b %Y}"
    return f"{first.day} {first:%b %Y}{DASH}{last.day} {last:%b %Y}"


# --- The report ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    key: str | None
    label: str
    seconds: int
    entries: int
    percent: float
    color: str | None  # a project's colour, when grouped by project


@dataclass(frozen=True)
class Report:
    first: date
    last: date
    group_by: str
    total_seconds: int
    entry_count: int
    rows: list[Row]
    unit: str  # of the timeline chart: day, week or month
    points: list[charts.Point]
    chart_wide: charts.BarChart
    chart_narrow: charts.BarChart
    share: charts.ShareChart
    busiest: charts.Point | None


def _project_colors(user: Any, summary_of_projects: Summary) -> dict[str, str]:
    ids = [g.key for g in summary_of_projects.groups if g.key]
    if not ids:
        return {}
    rows = owned(Project, user).filter(pk__in=ids).values_list("id", "color")
    return {str(pk): color for pk, color in rows}


def build_report(user: Any, first: date, last: date, group_by: str, main: Summary) -> Report:
    week_start = getattr(user, "week_start", 0)
    unit = charts.timeline_unit(first, last, week_start)

    def summary_by(grouping: str) -> Summary:
        if grouping == group_by:
            return main
        return summary(user=user, first=first, last=last, group_by=grouping)

    by_project = summary_by("project")
    colors = _project_colors(user, by_project)
    points = charts.timeline(first, last, unit, summary_by(unit).groups, week_start)
    rows = [
        Row(
            key=g.key,
            label=g.label,
            seconds=g.seconds,
            entries=g.entries,
            percent=charts.percent_of(g.seconds, main.total_seconds),
            color=charts.safe_color(colors.get(g.key or "")) if group_by == "project" else None,
        )
        for g in main.groups
    ]
    shares = [
        charts.Share(g.label, g.seconds, charts.safe_color(colors.get(g.key or "")))
        for g in by_project.groups
    ]
    busiest = max(points, key=lambda p: p.seconds, default=None)
    return Report(
        first=first,
        last=last,
        group_by=group_by,
        total_seconds=main.total_seconds,
        entry_count=sum(g.entries for g in by_project.groups),
        rows=rows,
        unit=unit,
        points=points,
        chart_wide=charts.bar_chart(points, 960, 280, max_ticks=31),
        chart_narrow=charts.bar_chart(points, 360, 250, max_ticks=8, margin=(10, 4, 38, 40)),
        share=charts.share_bars(shares),
        busiest=busiest if busiest and busiest.seconds else None,
    )


def summary_csv(main: Summary, first: date, last: date, group_by: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"routinie-summary-by-{group_by}-{first:%Y-%m-%d}-to-{last:%Y-%m-%d}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for g in main.groups:
        hours = f"{g.seconds / 3600:.2f}"
        writer.writerow([g.key or "", guard_formula(g.label), g.seconds, hours, g.entries])
    return response


# --- The page ----------------------------------------------------------------------------------
def _href(first: date, last: date, group_by: str, **extra: str) -> str:
    query = {"from": first.isoformat(), "to": last.isoformat(), "group_by": group_by, **extra}
    return f"{reverse('tracking:reports')}?{urlencode(query)}"


def _export_href(file_format: str, first: date, last: date) -> str:
    query = {"format": file_format, "from": first.isoformat(), "to": last.isoformat()}
    return f"/api/v1/time-entries/export?{urlencode(query)}"


def _context(
    request: HttpRequest, form: ReportForm, presets: list[Preset], report: Report | None
) -> dict[str, Any]:
    group_by = form.cleaned_data.get("group_by", "day") if report else "day"
    if not report and form.data.get("group_by") in dict(GROUP_CHOICES):
        group_by = form.data["group_by"]
    context: dict[str, Any] = {
        "form": form,
        "report": report,
        "zone_name": getattr(request.user, "timezone", "UTC"),
        "presets": [
            {
                "label": p.label,
                "slug": p.slug,
                "href": _href(p.first, p.last, group_by),
                "current": report is not None and (p.first, p.last) == (report.first, report.last),
            }
            for p in presets
        ],
    }
    if report is None:
        return context
    before, after = neighbours(report.first, report.last)
    context.update(
        {
            "range_label": range_label(report.first, report.last),
            "previous_href": _href(*before, group_by) if before else None,
            "next_href": _href(*after, group_by) if after else None,
            "previous_label": range_label(*before) if before else "",
            "next_label": range_label(*after) if after else "",
            "groupings": [
                {
                    "value": value,
                    "label": label,
                    "href": _href(report.first, report.last, value),
                    "current": value == group_by,
                }
                for value, label in GROUP_CHOICES
            ],
            "group_label": dict(GROUP_CHOICES)[group_by],
            "summary_csv_href": _href(report.first, report.last, group_by, download="csv"),
            "entries_csv_href": _export_href("csv", report.first, report.last),
            "entries_json_href": _export_href("json", report.first, report.last),
        }
    )
    return context


@login_required
@require_safe
def reports(request: HttpRequest) -> HttpResponse:
    user = request.user
    presets = presets_for(today_for(user), getattr(user, "week_start", 0))
    form = ReportForm(_form_data(request.GET, presets[0].first, presets[0].last))
    if form.is_valid():
        first, last = form.cleaned_data["from"], form.cleaned_data["to"]
        group_by = form.cleaned_data["group_by"]
        try:
            main = summary(user=user, first=first, last=last, group_by=group_by)
        except InvalidInput as error:
            _add_errors(form, error)
        else:
            if request.GET.get("download") == "csv":
                return summary_csv(main, first, last, group_by)
            report = build_report(user, first, last, group_by, main)
            context = _context(request, form, presets, report)
            return render(request, "tracking/reports.html", context)
    context = _context(request, form, presets, None)
    return render(request, "tracking/reports.html", context, status=422)
