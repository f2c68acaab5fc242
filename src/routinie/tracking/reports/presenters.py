"""What the report page shows: the quick ranges, the periods before and after, the table and
its charts (from `core.charts`), and the summary as a CSV file."""

import csv
from dataclasses import dataclass
from datetime import date, timedelta

from django.http import HttpResponse

from routinie.accounts.models import User
from routinie.core import charts
from routinie.core.date_range import EARLIEST, LATEST
from routinie.core.spreadsheet_safety import guard_formula
from routinie.core.weeks import week_start_of
from routinie.tracking.entries.selectors import project_colors
from routinie.tracking.reports.selectors import Filters, Summary, summary

DASH = " \N{EN DASH} "
CSV_COLUMNS = ["key", "label", "seconds", "hours", "entries"]


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
    # Each bar of the timeline with its projects' pieces (wide and narrow charts)
    stacked_wide: list[tuple[charts.Bar, list[charts.Piece]]]
    stacked_narrow: list[tuple[charts.Bar, list[charts.Piece]]]
    projects: list[charts.Share]  # in stacking order, for the table by project
    point_parts: list[tuple[charts.Point, list[int]]]  # a point's seconds per project


def _stacked(
    chart: charts.BarChart, parts: list[list[charts.Share]]
) -> list[tuple[charts.Bar, list[charts.Piece]]]:
    return [
        (bar, charts.stack(bar, bar_parts))
        for bar, bar_parts in zip(chart.bars, parts, strict=True)
    ]


def build_report(
    user: User, first: date, last: date, group_by: str, main: Summary, filters: Filters
) -> Report:
    week_start = getattr(user, "week_start", 0)
    unit = charts.timeline_unit(first, last, week_start)

    def summary_by(grouping: str) -> Summary:
        if grouping == group_by:
            return main
        return summary(user=user, first=first, last=last, group_by=grouping, filters=filters)

    by_project = summary_by("project")
    colors = project_colors(user, [g.key for g in by_project.groups if g.key])
    by_unit = summary_by(unit)
    points = charts.timeline(first, last, unit, by_unit.groups, week_start)
    projects = [
        (g.key or "", charts.Share(g.label, g.seconds, charts.safe_color(colors.get(g.key or ""))))
        for g in by_project.groups
    ]
    point_parts = [
        (point, [by_unit.parts.get(point.key, {}).get(key, 0) for key, _ in projects])
        for point in points
    ]
    bar_parts = [
        [
            charts.Share(p.label, seconds, p.color)
            for (_, p), seconds in zip(projects, row, strict=True)
        ]
        for _, row in point_parts
    ]
    chart_wide = charts.bar_chart(points, 960, 280, max_ticks=31)
    chart_narrow = charts.bar_chart(points, 360, 250, max_ticks=8, margin=(10, 4, 38, 40))
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
        chart_wide=chart_wide,
        chart_narrow=chart_narrow,
        share=charts.share_bars(shares),
        busiest=busiest if busiest and busiest.seconds else None,
        stacked_wide=_stacked(chart_wide, bar_parts),
        stacked_narrow=_stacked(chart_narrow, bar_parts),
        projects=[share for _, share in projects],
        point_parts=point_parts,
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
