"""The /reports/ page: range, grouping, totals, charts, downloads, errors, query count."""

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from routinie.core import charts
from routinie.tracking.entries.services import create_entry, create_project
from routinie.tracking.reports.presenters import neighbours, presets_for
from routinie.tracking.reports.selectors import Group

BUCHAREST = ZoneInfo("Europe/Bucharest")  # UTC+2 in November
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)  # a Wednesday
LAST_WEEK = "from=2026-11-16&to=2026-11-22"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def local(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BUCHAREST)


def hours(h: float) -> timedelta:
    return timedelta(hours=h)


@pytest.fixture
def ana(make_user, frozen):
    """A user in Bucharest with a known week (Mon 16 - Sun 22 Nov 2026) of entries.

    Alpha 2.5 h (Mon, deep) + 1 h (Wed, deep meeting); Beta 0.75 h (Tue, meeting);
    no project 2 h from Fri 23:00 to Sat 01:00 (one hour on each day). 6.25 h in all.
    """
    user, _ = make_user(name="Ana Pop", timezone_name="Europe/Bucharest")
    alpha, _ = create_project(user=user, name="Alpha", color="#e4572e")
    beta, _ = create_project(user=user, name="Beta", color="#2e86ab")
    create_entry(
        user=user, start=local(16, 9), end=local(16, 11, 30), project_id=alpha.id, tags=["deep"]
    )
    create_entry(
        user=user,
        start=local(18, 14),
        end=local(18, 15),
        project_id=alpha.id,
        tags=["deep", "meeting"],
    )
    create_entry(
        user=user, start=local(17, 10), end=local(17, 10, 45), project_id=beta.id, tags=["meeting"]
    )
    create_entry(user=user, start=local(20, 23), end=local(21, 1))
    return user


def rows_of(html: str, testid: str) -> list[list[str]]:
    """The text of each cell of each row of the table with this data-testid."""
    match = re.search(rf'<table[^>]*data-testid="{testid}"[^>]*>(.*?)</table>', html, re.S)
    assert match, f"no table {testid}"
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", match.group(1), re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells])
    return rows


def page(client, query: str = "") -> tuple[int, str]:
    response = client.get(f"/reports/{'?' + query if query else ''}")
    return response.status_code, response.content.decode()


# --- Access ------------------------------------------------------------------------------------
def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get("/reports/?from=2026-11-16")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/reports/")


def test_only_get_is_allowed(client, make_user):
    user, _ = make_user()
    client.force_login(user)
    assert client.post("/reports/").status_code == 405


def test_another_users_time_is_not_shown(client, ana, ben):
    other = ben
    create_entry(user=other, start=local(16, 8), end=local(16, 20))
    client.force_login(other)
    _, html = page(client, f"{LAST_WEEK}&group_by=project")
    assert 'data-testid="total-clock">12:00:00<' in html
    assert "Alpha" not in html
    client.force_login(ana)
    _, html = page(client, f"{LAST_WEEK}&group_by=project")
    assert 'data-testid="total-clock">6:15:00<' in html


# --- Numbers -----------------------------------------------------------------------------------
def test_totals_and_days_of_a_known_week(client, ana):
    client.force_login(ana)
    status, html = page(client, f"{LAST_WEEK}&group_by=day")
    assert status == 200
    assert 'data-testid="total-clock">6:15:00<' in html
    assert 'data-testid="total-hours">6.25 h<' in html
    assert 'data-testid="entry-count">4<' in html
    assert 'data-testid="report-range">16 Nov \N{EN DASH} 22 Nov 2026<' in html
    assert rows_of(html, "groups-table") == [
        ["Day", "Time", "Hours", "Share", "Entries"],
        ["Mon 16 Nov 2026", "2:30:00", "2.50 h", "40.0 %", "1"],
        ["Tue 17 Nov 2026", "0:45:00", "0.75 h", "12.0 %", "1"],
        ["Wed 18 Nov 2026", "1:00:00", "1.00 h", "16.0 %", "1"],
        ["Fri 20 Nov 2026", "1:00:00", "1.00 h", "16.0 %", "1"],
        ["Sat 21 Nov 2026", "1:00:00", "1.00 h", "16.0 %", "1"],
        ["Total", "6:15:00", "6.25 h", "100.0 %", "4"],
    ]


def test_groups_by_project_with_colours_and_shares(client, ana):
    client.force_login(ana)
    status, html = page(client, f"{LAST_WEEK}&group_by=project")
    assert status == 200
    assert rows_of(html, "groups-table")[1:] == [
        ["Alpha", "3:30:00", "3.50 h", "56.0 %", "2"],
        ["No project", "2:00:00", "2.00 h", "32.0 %", "1"],
        ["Beta", "0:45:00", "0.75 h", "12.0 %", "1"],
        ["Total", "6:15:00", "6.25 h", "100.0 %", "4"],
    ]
    share = re.search(r'<svg class="share-chart".*?</svg>', html, re.S)
    assert share
    fills = re.findall(r'class="share-segment"[^>]*fill="(#[0-9a-f]{6})"', share.group(0))
    assert fills == ["#e4572e", charts.NO_PROJECT_COLOR, "#2e86ab"]
    assert "Alpha: 56.0 %, 3.50 h; No project: 32.0 %, 2.00 h; Beta: 12.0 %, 0.75 h." in html
    assert 'role="img" aria-labelledby="share-title" aria-describedby="share-desc"' in html


def test_groups_by_tag_week_and_month(client, ana):
    client.force_login(ana)
    _, html = page(client, f"{LAST_WEEK}&group_by=tag")
    assert rows_of(html, "groups-table")[1:] == [
        ["deep", "3:30:00", "3.50 h", "56.0 %", "2"],
        ["No tag", "2:00:00", "2.00 h", "32.0 %", "1"],
        ["meeting", "1:45:00", "1.75 h", "28.0 %", "2"],
        ["Total", "6:15:00", "6.25 h", "", "4"],
    ]
    assert "can add up to more than 100 %" in html
    _, html = page(client, f"{LAST_WEEK}&group_by=week")
    assert rows_of(html, "groups-table")[1] == [
        "Week of 16 Nov 2026",
        "6:15:00",
        "6.25 h",
        "100.0 %",
        "4",
    ]
    _, html = page(client, "from=2026-11-01&to=2026-11-30&group_by=month")
    assert rows_of(html, "groups-table")[1][:3] == ["November 2026", "6:15:00", "6.25 h"]


def test_the_day_chart_has_every_day_of_the_range_whatever_the_grouping(client, ana):
    client.force_login(ana)
    _, html = page(client, f"{LAST_WEEK}&group_by=project")
    assert '<h2 id="timeline-h">Hours per day</h2>' in html
    assert rows_of(html, "timeline-table") == [
        ["Day", "Hours", "Time"],
        ["Mon 16 Nov 2026", "2.50 h", "2:30:00"],
        ["Tue 17 Nov 2026", "0.75 h", "0:45:00"],
        ["Wed 18 Nov 2026", "1.00 h", "1:00:00"],
        ["Thu 19 Nov 2026", "0.00 h", "0:00:00"],
        ["Fri 20 Nov 2026", "1.00 h", "1:00:00"],
        ["Sat 21 Nov 2026", "1.00 h", "1:00:00"],
        ["Sun 22 Nov 2026", "0.00 h", "0:00:00"],
    ]
    wide = re.search(r'<svg class="bar-chart bar-chart-wide".*?</svg>', html, re.S)
    assert wide
    svg = wide.group(0)
    assert 'role="img" aria-labelledby="timeline-wide-title"' in svg
    assert 'aria-describedby="timeline-wide-desc"' in svg
    assert re.findall(r'data-seconds="(\d+)"', svg) == ["9000", "2700", "3600", "3600", "3600"]
    assert svg.count('class="tick-label"') == 7  # a label for each day, the empty ones too
    assert "The most: Mon 16 Nov 2026, 2.50 h." in svg


def test_long_ranges_chart_per_week_then_per_month(client, ana):
    client.force_login(ana)
    status, html = page(client, "from=2026-01-01&to=2026-12-31&group_by=project")
    assert status == 200
    assert "Hours per week" in html
    assert len(rows_of(html, "timeline-table")) == 1 + 53  # 2025-12-29 … 2026-12-28
    status, html = page(client, "from=2017-01-01&to=2026-12-31&group_by=month")
    assert status == 200
    assert "Hours per month" in html
    assert len(rows_of(html, "timeline-table")) == 1 + 120
    assert ["November 2026", "6.25 h", "6:15:00"] in rows_of(html, "timeline-table")


def test_an_empty_range_says_so(client, make_user, frozen):
    user, _ = make_user()
    client.force_login(user)
    status, html = page(client, LAST_WEEK)
    assert status == 200
    assert 'data-testid="total-clock">0:00:00<' in html
    assert "No time tracked in this range." in html
    assert "No time tracked." in html  # the chart's description


# --- Ranges ------------------------------------------------------------------------------------
def test_presets_follow_the_users_zone_and_week_start(client, make_user):
    # 23:30 UTC on Wed 25 Nov is already Thu 26 Nov in Bucharest.
    with time_machine.travel(datetime(2026, 11, 25, 23, 30, tzinfo=UTC), tick=False):
        user, _ = make_user(timezone_name="Europe/Bucharest")
        client.force_login(user)
        status, html = page(client)
        assert status == 200
        assert 'name="from" value="2026-11-23"' in html  # this week by default
        assert 'name="to" value="2026-11-29"' in html
        expected = {
            "this-week": ("2026-11-23", "2026-11-29"),
            "last-week": ("2026-11-16", "2026-11-22"),
            "this-month": ("2026-11-01", "2026-11-30"),
            "last-month": ("2026-10-01", "2026-10-31"),
            "last-30-days": ("2026-10-28", "2026-11-26"),
            "this-year": ("2026-01-01", "2026-12-31"),
        }
        found = dict(
            (slug, (first, last))
            for first, last, slug in re.findall(
                r'href="/reports/\?from=([\d-]+)&amp;to=([\d-]+)&amp;group_by=day" '
                r'data-preset="([a-z0-9-]+)"',
                html,
            )
        )
        assert found == expected
        assert re.search(r'data-preset="this-week" aria-current="true"', html)

        user.week_start = 6  # Sunday
        user.save(update_fields=["week_start"])
        _, html = page(client)
        assert 'data-testid="report-range">22 Nov \N{EN DASH} 28 Nov 2026<' in html


def test_presets_keep_the_grouping_and_mark_the_current_one(client, ana):
    client.force_login(ana)
    _, html = page(client, "from=2026-11-01&to=2026-11-30&group_by=tag")
    assert 'href="/reports/?from=2026-11-16&amp;to=2026-11-22&amp;group_by=tag"' in html
    assert re.search(r'data-preset="this-month" aria-current="true"', html)
    assert not re.search(r'data-preset="this-week" aria-current', html)


def test_preset_ranges_across_a_year_end():
    presets = {p.slug: (p.first, p.last) for p in presets_for(date(2027, 1, 3), week_start=0)}
    assert presets["this-week"] == (date(2026, 12, 28), date(2027, 1, 3))
    assert presets["last-week"] == (date(2026, 12, 21), date(2026, 12, 27))
    assert presets["last-month"] == (date(2026, 12, 1), date(2026, 12, 31))
    assert presets["last-30-days"] == (date(2026, 12, 5), date(2027, 1, 3))
    assert presets["this-year"] == (date(2027, 1, 1), date(2027, 12, 31))
    leap = {p.slug: (p.first, p.last) for p in presets_for(date(2028, 3, 15))}
    assert leap["last-month"] == (date(2028, 2, 1), date(2028, 2, 29))


def test_previous_and_next_periods():
    assert neighbours(date(2026, 11, 16), date(2026, 11, 22)) == (
        (date(2026, 11, 9), date(2026, 11, 15)),
        (date(2026, 11, 23), date(2026, 11, 29)),
    )
    assert neighbours(date(2026, 11, 1), date(2026, 11, 30)) == (
        (date(2026, 10, 1), date(2026, 10, 31)),
        (date(2026, 12, 1), date(2026, 12, 31)),
    )
    assert neighbours(date(2026, 1, 1), date(2026, 12, 31)) == (
        (date(2025, 1, 1), date(2025, 12, 31)),
        (date(2027, 1, 1), date(2027, 12, 31)),
    )
    assert neighbours(date(1900, 1, 1), date(1900, 1, 7))[0] is None


# --- Refusals ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("from=yesterday&to=2026-11-22", "from", "Enter a date as YYYY-MM-DD"),
        ("from=2026-11-16&to=2026-13-01", "to", "Enter a date as YYYY-MM-DD"),
        ("from=&to=2026-11-22", "from", "Enter the first day of the report."),
        ("from=2026-11-22&to=2026-11-16", "to", "The range ends before it starts."),
        ("from=2010-01-01&to=2026-11-22", "to", "A report covers at most ten years."),
        ("from=2026-11-16&to=2026-11-22&group_by=hour", "group_by", "Choose how to group"),
        (
            "from=0001-01-01&to=0001-01-02",
            "from",
            "Choose a date between 1970-01-01 and 2100-12-31.",
        ),
        (
            "from=9999-12-30&to=9999-12-31",
            "from",
            "Choose a date between 1970-01-01 and 2100-12-31.",
        ),
        ("from=2026-11-22&to=2026-11-16&download=csv", "to", "The range ends before it starts."),
    ],
)
def test_bad_input_is_refused_next_to_its_field(client, ana, query, field, message):
    client.force_login(ana)
    response = client.get(f"/reports/?{query}")
    assert response.status_code == 422
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    errors = re.search(
        rf'<ul class="errorlist" id="id_{field}_error" role="alert">(.*?)</ul>', html
    )
    assert errors, html
    assert message in errors.group(1)
    assert f'aria-describedby="id_{field}_error"' in html
    assert 'data-testid="groups-table"' not in html
    assert "Show report" in html  # the form is there to correct it


# --- Downloads ---------------------------------------------------------------------------------
def test_summary_csv_download(client, ana):
    client.force_login(ana)
    _, html = page(client, f"{LAST_WEEK}&group_by=project")
    href = "/reports/?from=2026-11-16&amp;to=2026-11-22&amp;group_by=project&amp;download=csv"
    assert href in html
    assert "/api/v1/time-entries/export?format=csv&amp;from=2026-11-16&amp;to=2026-11-22" in html
    assert "/api/v1/time-entries/export?format=json&amp;from=2026-11-16&amp;to=2026-11-22" in html

    response = client.get(f"/reports/?{LAST_WEEK}&group_by=project&download=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="routinie-summary-by-project-2026-11-16-to-2026-11-22.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    alpha_id = str(ana.projects.get(name="Alpha").id)
    beta_id = str(ana.projects.get(name="Beta").id)
    assert rows == [
        ["key", "label", "seconds", "hours", "entries"],
        [alpha_id, "Alpha", "12600", "3.50", "2"],
        ["", "No project", "7200", "2.00", "1"],
        [beta_id, "Beta", "2700", "0.75", "1"],
    ]
    response = client.get(f"/reports/?{LAST_WEEK}&group_by=day&download=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1] == ["2026-11-16", "Mon 16 Nov 2026", "9000", "2.50", "1"]
    assert len(rows) == 6


def test_summary_csv_does_not_hand_a_spreadsheet_a_formula(client, make_user, frozen):
    user, _ = make_user()
    project, _ = create_project(user=user, name="=HYPERLINK(1)")
    create_entry(user=user, start=local(16, 9), end=local(16, 10), project_id=project.id)
    client.force_login(user)
    response = client.get(f"/reports/?{LAST_WEEK}&group_by=project&download=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][1] == "'=HYPERLINK(1)"


# --- No N+1 ------------------------------------------------------------------------------------
def _grow(user, n: int, offset: int) -> None:
    for i in range(n):
        project, _ = create_project(user=user, name=f"P{offset + i}", color="#123456")
        start = local(1, 8) + timedelta(hours=7 * (offset + i))
        create_entry(
            user=user,
            start=start,
            end=start + hours(6),  # some of them cross local midnight
            project_id=project.id if i % 3 else None,
            tags=[f"t{offset + i}", "all"],
        )


@pytest.mark.parametrize("group_by", ["day", "week", "month", "project", "tag"])
def test_the_page_runs_a_constant_number_of_queries(client, make_user, frozen, group_by):
    user, _ = make_user(timezone_name="Europe/Bucharest")
    client.force_login(user)
    query = f"/reports/?from=2026-11-01&to=2026-11-24&group_by={group_by}"
    counts = []
    for n, offset in ((3, 0), (40, 3)):
        _grow(user, n, offset)
        client.get(query)  # a warm-up: the session and the like
        with CaptureQueriesContext(connection) as queries:
            response = client.get(query)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    # session, user, banners, the blog link's EXISTS, the groups, the stacked projects' pieces,
    # the projects' or tags' names by primary key (not joined: selectors._by_project), the
    # frame's running timer (tracking/forgotten/context.py)...
    assert counts[0] <= 17, counts


# --- Chart geometry ----------------------------------------------------------------------------
def test_bar_heights_are_proportional_to_the_seconds():
    chart = charts.bar_chart(
        [("a", 3600), ("b", 7200), ("c", 0), ("d", 1800)], width=400, height=200
    )
    plot_height = chart.bottom - chart.top
    assert chart.scale_seconds == 7200  # 2 h: a round top
    heights = [bar.height for bar in chart.bars]
    assert heights == pytest.approx([plot_height / 2, plot_height, 0, plot_height / 4], abs=0.01)
    for bar in chart.bars:
        assert bar.y + bar.height == pytest.approx(chart.bottom)
        assert chart.left <= bar.x
        assert bar.x + bar.width <= chart.right
    xs = [bar.x for bar in chart.bars]
    assert xs == sorted(xs)
    assert [g.label for g in chart.gridlines] == ["0:00", "0:30", "1:00", "1:30", "2:00"]


def test_gridlines_are_round_hours_within_the_plot():
    chart = charts.bar_chart([("a", 9 * 3600 + 10)], width=400, height=200)
    assert [g.label for g in chart.gridlines] == ["0 h", "5 h", "10 h"]
    assert chart.scale_seconds == 10 * 3600
    assert chart.gridlines[0].y == chart.bottom
    assert chart.gridlines[-1].y == chart.top
    assert charts.nice_step(3600) == 900
    assert charts.nice_step(4 * 3600) == 3600
    assert charts.nice_step(45 * 3600) == 20 * 3600
    assert charts.nice_step(300 * 3600) == 100 * 3600


def test_a_few_minutes_stay_visible_and_an_empty_chart_has_a_scale():
    chart = charts.bar_chart([("a", 60), ("b", 40 * 3600)], width=400, height=200)
    assert chart.bars[0].height == 1.0
    empty = charts.bar_chart([("a", 0), ("b", 0)], width=400, height=200)
    assert all(bar.height == 0 for bar in empty.bars)
    assert empty.scale_seconds == 3600
    assert charts.bar_chart([], width=400, height=200).bars == []


def test_tick_labels_thin_out_when_the_bars_are_many():
    points = [(str(i), i * 60) for i in range(92)]
    chart = charts.bar_chart(points, width=360, height=200, max_ticks=8)
    assert len(chart.bars) == 92
    assert 1 < len(chart.ticks) <= 8
    assert chart.ticks[0].label == "0"


def test_the_timeline_fills_the_days_without_time():
    groups = [Group("2026-11-17", "Tue", 600, 1), Group("2026-11-20", "Fri", 1200, 2)]
    points = charts.timeline(date(2026, 11, 16), date(2026, 11, 22), "day", groups)
    assert [p.key for p in points] == [f"2026-11-{d}" for d in range(16, 23)]
    assert [p.seconds for p in points] == [0, 600, 0, 0, 1200, 0, 0]
    assert (points[0].label, points[0].sublabel, points[0].title) == (
        "Mon",
        "16",
        "Mon 16 Nov 2026",
    )


def test_the_timeline_unit_keeps_bars_few():
    assert charts.timeline_unit(date(2026, 1, 1), date(2026, 4, 1)) == "day"  # 91 days
    assert charts.timeline_unit(date(2026, 1, 1), date(2026, 4, 2)) == "day"  # 92 days
    assert charts.timeline_unit(date(2026, 1, 1), date(2026, 4, 3)) == "week"
    assert charts.timeline_unit(date(2025, 1, 1), date(2026, 12, 31)) == "month"
    weeks = charts.timeline(date(2026, 1, 1), date(2026, 1, 31), "week", [], week_start=6)
    assert [p.key for p in weeks] == [
        "2025-12-28",
        "2026-01-04",
        "2026-01-11",
        "2026-01-18",
        "2026-01-25",
    ]
    months = charts.timeline(date(2025, 11, 15), date(2026, 2, 1), "month", [])
    assert [p.key for p in months] == ["2025-11", "2025-12", "2026-01", "2026-02"]


def test_share_bars_split_the_width_by_share():
    chart = charts.share_bars(
        [
            charts.Share("Alpha", 3 * 3600, "#e4572e"),
            charts.Share("No project", 3600, charts.NO_PROJECT_COLOR),
            charts.Share("Empty", 0, "#000000"),
        ],
        width=400,
    )
    assert [(s.label, s.x, s.width, s.percent) for s in chart.segments] == [
        ("Alpha", 0.0, 300.0, 75.0),
        ("No project", 300.0, 100.0, 25.0),
    ]
    assert chart.total_seconds == 4 * 3600
    assert charts.safe_color('#12345g"') == charts.NO_PROJECT_COLOR
    assert charts.safe_color("#123456\n") == charts.NO_PROJECT_COLOR
    assert charts.safe_color("#A0b1C2") == "#A0b1C2"
    assert charts.share_bars([], width=400).segments == []
