"""Reports filtered by project, tag and description, with any grouping: the API, the page (the
filters in its address, its links and downloads), owner scoping, and bars stacked by project."""

import csv
import io
import json
import re
from html import unescape

import pytest
from django.test import Client

from routinie.accounts.services import create_api_token
from routinie.tracking.entries.services import create_entry, create_project
from routinie.tracking.models import Project
from routinie.tracking.tests import test_report_page as base

pytestmark = pytest.mark.django_db
frozen = base.frozen
ana = base.ana  # Alpha 2.5 h Mon + 1 h Wed; Beta 0.75 h Tue; no project 2 h Fri-Sat
LAST_WEEK = base.LAST_WEEK
H = 3600


@pytest.fixture
def api(ana):
    _, token = create_api_token(user=ana, label="reports")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def project_id(user, name):
    return str(Project.objects.get(user=user, name=name).pk)


def summary(api, query):
    response = api.get(f"/api/v1/reports/summary?{LAST_WEEK}&{query}")
    assert response.status_code == 200, response.content
    body = response.json()
    return body["total_seconds"], [(g["key"], g["seconds"], g["entries"]) for g in body["groups"]]


def test_api_project_filter_combines_with_each_grouping(api, ana):
    alpha = project_id(ana, "Alpha")
    assert summary(api, f"group_by=day&project_id={alpha}") == (
        3.5 * H,
        [("2026-11-16", 2.5 * H, 1), ("2026-11-18", 1 * H, 1)],
    )
    assert summary(api, f"group_by=week&project_id={alpha}") == (
        3.5 * H,
        [("2026-11-16", 3.5 * H, 2)],
    )
    assert summary(api, f"group_by=project&project_id={alpha}") == (3.5 * H, [(alpha, 3.5 * H, 2)])


def test_api_tag_filter_keeps_the_entries_other_tags_when_grouped_by_tag(api, ana):
    assert summary(api, "group_by=project&tag=meeting") == (
        1.75 * H,
        [(project_id(ana, "Alpha"), 1 * H, 1), (project_id(ana, "Beta"), 0.75 * H, 1)],
    )
    assert summary(api, "group_by=tag&tag=meeting") == (
        1.75 * H,
        [("meeting", 1.75 * H, 2), ("deep", 1 * H, 1)],
    )


def test_api_description_contains_any_case_and_all_filters_together(api, ana):
    beta = project_id(ana, "Beta")
    create_entry(
        user=ana,
        start=base.local(19, 9),
        end=base.local(19, 10),
        description="Write the Quarterly REPORT",
        project_id=beta,
        tags=["meeting"],
    )
    assert summary(api, "group_by=day&description=report") == (H, [("2026-11-19", H, 1)])
    assert summary(api, f"group_by=month&description=quarterly&tag=meeting&project_id={beta}") == (
        H,
        [("2026-11", H, 1)],
    )
    assert summary(
        api, f"group_by=day&description=report&project_id={project_id(ana, 'Alpha')}"
    ) == (
        0,
        [],
    )


def test_api_someone_elses_or_an_unknown_project_gives_an_empty_report(api, ana, make_user):
    other, _ = make_user(name="Other")
    theirs, _ = create_project(user=other, name="Theirs")
    create_entry(user=other, start=base.local(16, 9), end=base.local(16, 17), project_id=theirs.id)
    assert summary(api, f"group_by=day&project_id={theirs.pk}") == (0, [])
    assert summary(api, "group_by=project&project_id=00000000-0000-0000-0000-000000000000") == (
        0,
        [],
    )
    assert api.get(f"/api/v1/reports/summary?{LAST_WEEK}&project_id=alpha").status_code == 422


def test_page_filters_are_in_every_link_and_download(client, ana):
    client.force_login(ana)
    alpha = project_id(ana, "Alpha")
    status, html = base.page(client, f"{LAST_WEEK}&group_by=day&project={alpha}&tag=deep")
    assert status == 200
    assert base.rows_of(html, "groups-table")[1:] == [
        ["Mon 16 Nov 2026", "2:30:00", "2.50 h", "71.4 %", "1"],
        ["Wed 18 Nov 2026", "1:00:00", "1.00 h", "28.6 %", "1"],
        ["Total", "3:30:00", "3.50 h", "100.0 %", "2"],
    ]
    hrefs = [unescape(h) for h in re.findall(r'href="([^"]*/reports/\?[^"]*)"', html)]
    kept = [h for h in hrefs if f"project={alpha}&tag=deep" in h]
    dropped = [h for h in hrefs if h not in kept]
    assert len(kept) >= 6 + 2 + 5  # the quick ranges, before and after, the other groupings
    assert dropped == [f"/reports/?{LAST_WEEK}&group_by=day"]  # "Clear filters"
    summary_csv = client.get(
        f"/reports/?{LAST_WEEK}&group_by=day&project={alpha}&tag=deep&download=csv"
    )
    rows = list(csv.reader(io.StringIO(summary_csv.content.decode())))
    assert [r[0] for r in rows[1:]] == ["2026-11-16", "2026-11-18"]

    for file_format in ("csv", "json"):
        link = unescape(
            re.search(
                rf'href="(/api/v1/time-entries/export\?format={file_format}[^"]*)"', html
            ).group(1)
        )
        assert f"project_id={alpha}" in link
        assert "tag=deep" in link
        body = b"".join(client.get(link).streaming_content).decode()
        if file_format == "json":
            entries = json.loads(body)["time_entries"]
        else:
            entries = list(csv.DictReader(io.StringIO(body)))
        assert sorted(e["project_id"] for e in entries) == [alpha, alpha]


def test_page_description_filter_and_its_field_kept(client, ana):
    client.force_login(ana)
    create_entry(
        user=ana, start=base.local(19, 9), end=base.local(19, 9, 30), description="Standup notes"
    )
    status, html = base.page(client, f"{LAST_WEEK}&group_by=project&description=standup")
    assert status == 200
    assert 'name="description" value="standup"' in html
    assert base.rows_of(html, "groups-table")[1:] == [
        ["No project", "0:30:00", "0.50 h", "100.0 %", "1"],
        ["Total", "0:30:00", "0.50 h", "100.0 %", "1"],
    ]


def test_page_refuses_someone_elses_project_clearly(client, ana, make_user):
    other, _ = make_user(name="Other")
    theirs, _ = create_project(user=other, name="Secret plan")
    client.force_login(ana)
    status, html = base.page(client, f"{LAST_WEEK}&project={theirs.pk}")
    assert status == 422
    assert "Choose one of your projects" in html
    assert "Secret plan" not in html
    status, html = base.page(client, f"{LAST_WEEK}&description={'x' * 201}")
    assert status == 422
    assert "at most 200 characters" in html


def test_bars_are_stacked_by_project_with_a_table_of_the_same_numbers(client, ana):
    client.force_login(ana)
    status, html = base.page(client, f"{LAST_WEEK}&group_by=week")
    assert status == 200
    wide = re.search(r'<svg class="bar-chart bar-chart-wide".*?</svg>', html, re.S).group(0)
    stacks = re.findall(r'<g class="bar-stack" data-seconds="(\d+)">(.*?)</g>', wide, re.S)
    pieces = [
        (seconds, re.findall(r'fill="(#\w+)" data-piece-seconds="(\d+)"', body))
        for seconds, body in stacks
    ]
    assert pieces == [
        ("9000", [("#e4572e", "9000")]),
        ("2700", [("#2e86ab", "2700")]),
        ("3600", [("#e4572e", "3600")]),
        ("3600", [(base.charts.NO_PROJECT_COLOR, "3600")]),
        ("3600", [(base.charts.NO_PROJECT_COLOR, "3600")]),
    ]
    table = base.rows_of(html, "stack-table")
    assert table[0] == ["Day", "Alpha", "No project", "Beta", "Total"]
    assert table[1] == ["Mon 16 Nov 2026", "2.50 h", "0.00 h", "0.00 h", "2.50 h"]
    assert table[3] == ["Wed 18 Nov 2026", "1.00 h", "0.00 h", "0.00 h", "1.00 h"]


def test_a_stacked_bar_is_as_tall_as_the_bar():
    chart = base.charts.bar_chart([("a", 4 * H)], width=400, height=200)
    bar = chart.bars[0]
    pieces = base.charts.stack(
        bar, [base.charts.Share("A", 3 * H, "#123456"), base.charts.Share("B", H, "bad")]
    )
    assert [p.color for p in pieces] == ["#123456", base.charts.NO_PROJECT_COLOR]
    assert pieces[0].y + pieces[0].height == pytest.approx(bar.y + bar.height, abs=0.02)
    assert pieces[1].y == pytest.approx(bar.y, abs=0.02)
    assert sum(p.height for p in pieces) == pytest.approx(bar.height, abs=0.02)


# --- Which rows a report reads (selectors.overlapping) ------------------------------------------
def test_a_timer_running_since_before_the_range_counts_in_it(make_user, frozen):
    """The lower bound on `start` (range start - MAX_ENTRY) must not leave out a timer that was
    started long before and still runs (stored directly: the API refuses such a start)."""
    from datetime import timedelta

    from routinie.tracking.models import TimeEntry
    from routinie.tracking.reports.selectors import summary as report

    user, _ = make_user(timezone_name="Europe/Bucharest")
    TimeEntry.objects.create(user=user, start=base.local(1, 9), end=None)  # 24 days before NOW
    old = base.local(1, 8)
    TimeEntry.objects.create(user=user, start=old, end=old + timedelta(minutes=30))
    result = report(
        user=user, first=base.local(23, 0).date(), last=base.local(25, 0).date(), group_by="day"
    )
    # 22 Nov 22:00 UTC (local midnight of the 23rd) to NOW (25 Nov 12:00 UTC): the running timer
    # only; the finished entry of the 1st is outside.
    assert result.total_seconds == (2 * 24 + 14) * H
    assert [g.seconds for g in result.groups] == [24 * H, 24 * H, 14 * H]
