"""The reports page: totals of a range by day, week, month, project or tag, with charts.

A plain GET form (it works with scripts off): parse the range, the grouping and the filters
(a project, a tag, words of the description: in the address, so a report can be bookmarked, and
carried by every link and download), ask `selectors.summary`, render
what `presenters` builds. The charts are SVG drawn from `core.charts`; `?download=csv` gives
the same groups as a file. Its reads tolerate lag: with a read replica, they come from it once it
has the person's last write (`core/replica.py`). The page runs a constant number of queries
whatever the data: up to three summaries (the grouping, the timeline, the projects), each
aggregated in SQL, one read of the projects' colours and one each of the projects and tags to
filter by; when the range is a week or a month, two more for the goals of that period.
"""

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from routinie.accounts.auth import signed_in_user
from routinie.core.errors import InvalidInput
from routinie.core.forms import add_domain_errors
from routinie.core.replica import tolerates_lag
from routinie.tracking.calendar import today_for
from routinie.tracking.goals.selectors import goals_of_range
from routinie.tracking.reports.forms import GROUP_CHOICES, ReportForm, form_data
from routinie.tracking.reports.presenters import (
    Preset,
    Report,
    build_report,
    neighbours,
    presets_for,
    range_label,
    summary_csv,
)
from routinie.tracking.reports.selectors import filter_choices, summary


def _href(first: date, last: date, group_by: str, filters: dict[str, str], **extra: str) -> str:
    query = {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "group_by": group_by,
        **filters,
        **extra,
    }
    return f"{reverse('tracking:reports')}?{urlencode(query)}"


def _export_href(file_format: str, first: date, last: date, filters: dict[str, str]) -> str:
    query = {"format": file_format, "from": first.isoformat(), "to": last.isoformat()}
    if "project" in filters:
        query["project_id"] = filters["project"]
    query.update({k: v for k, v in filters.items() if k != "project"})
    return f"/api/v1/time-entries/export?{urlencode(query)}"


def _context(
    request: HttpRequest, form: ReportForm, presets: list[Preset], report: Report | None
) -> dict[str, Any]:
    group_by = form.cleaned_data.get("group_by", "day") if report else "day"
    if not report and form.data.get("group_by") in dict(GROUP_CHOICES):
        group_by = form.data["group_by"]
    filters = form.filter_query() if report else {}
    context: dict[str, Any] = {
        "filtered": bool(filters),
        "clear_filters_href": _href(report.first, report.last, group_by, {}) if report else "",
        "form": form,
        "report": report,
        "zone_name": signed_in_user(request).timezone,
        "presets": [
            {
                "label": p.label,
                "slug": p.slug,
                "href": _href(p.first, p.last, group_by, filters),
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
            "previous_href": _href(*before, group_by, filters) if before else None,
            "next_href": _href(*after, group_by, filters) if after else None,
            "previous_label": range_label(*before) if before else "",
            "next_label": range_label(*after) if after else "",
            "groupings": [
                {
                    "value": value,
                    "label": label,
                    "href": _href(report.first, report.last, value, filters),
                    "current": value == group_by,
                }
                for value, label in GROUP_CHOICES
            ],
            "group_label": dict(GROUP_CHOICES)[group_by],
            "summary_csv_href": _href(report.first, report.last, group_by, filters, download="csv"),
            "entries_csv_href": _export_href("csv", report.first, report.last, filters),
            "entries_json_href": _export_href("json", report.first, report.last, filters),
        }
    )
    return context


@login_required
@require_safe
@tolerates_lag
def reports(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    presets = presets_for(today_for(user), getattr(user, "week_start", 0))
    projects, tags = filter_choices(user)
    data = form_data(request.GET, presets[0].first, presets[0].last)
    form = ReportForm(data, projects=projects, tags=tags)
    if form.is_valid():
        first, last = form.cleaned_data["from"], form.cleaned_data["to"]
        group_by = form.cleaned_data["group_by"]
        filters = form.filters()
        try:
            main = summary(user=user, first=first, last=last, group_by=group_by, filters=filters)
        except InvalidInput as error:
            add_domain_errors(form, error)
        else:
            if request.GET.get("download") == "csv":
                return summary_csv(main, first, last, group_by)
            report = build_report(user, first, last, group_by, main, filters)
            context = _context(request, form, presets, report)
            context["goals"] = goals_of_range(user, first, last)
            return render(request, "tracking/reports.html", context)
    context = _context(request, form, presets, None)
    return render(request, "tracking/reports.html", context, status=422)
