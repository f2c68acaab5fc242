"""/reports/ in real Chromium: presets, grouping, the SVG charts and the table, the summary CSV,
a phone, dark mode, scripts turned off, and a refused range."""

import re
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from routinie.core.weeks import week_start_of
from routinie.tracking.calendar import today_for
from routinie.tracking.entries.services import create_entry, create_project
from tests.e2e.conftest import PHONE, watch_for_problems
from tests.e2e.test_accounts_browser import sign_in_in_browser, url_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

ZONE = ZoneInfo("Europe/Bucharest")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE)


@pytest.fixture
def ana(make_user):
    """A user with 6.25 h last week: Alpha 2.5 h (Mon) + 1 h (Wed), Beta 0.75 h (Tue), 2 h with
    no project (Fri). Returns (user, password, Monday of last week)."""
    user, password = make_user(name="Ana Pop", timezone_name="Europe/Bucharest")
    monday = week_start_of(today_for(user), 0) - timedelta(days=7)
    alpha, _ = create_project(user=user, name="Alpha", color="#e4572e")
    beta, _ = create_project(user=user, name="Beta", color="#2e86ab")
    days = [monday + timedelta(days=i) for i in range(7)]
    create_entry(
        user=user, start=at(days[0], 9), end=at(days[0], 11, 30), project_id=alpha.id, tags=["deep"]
    )
    create_entry(
        user=user,
        start=at(days[1], 10),
        end=at(days[1], 10, 45),
        project_id=beta.id,
        tags=["meeting"],
    )
    create_entry(
        user=user,
        start=at(days[2], 14),
        end=at(days[2], 15),
        project_id=alpha.id,
        tags=["deep", "meeting"],
    )
    create_entry(user=user, start=at(days[4], 20), end=at(days[4], 22))
    return user, password, monday


def table_rows(page, testid: str) -> list[list[str]]:
    return page.get_by_test_id(testid).evaluate(
        """table => [...table.querySelectorAll("tbody tr, tfoot tr")].map(
            row => [...row.cells].map(cell => cell.innerText.trim()))"""
    )


def test_pick_a_preset_switch_the_grouping_and_download(live_server, page, ana, screenshot):
    from playwright.sync_api import expect

    user, password, monday = ana
    problems = watch_for_problems(page)
    sign_in_in_browser(page, live_server, user.email, password)
    page.goto(url_of(live_server, "/reports/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    this_week = page.get_by_role("navigation", name="Quick ranges").get_by_role(
        "link", name="This week"
    )
    expect(this_week).to_have_attribute("aria-current", "true")

    page.get_by_role("link", name="Last week").click()
    page.wait_for_url(re.compile(rf"from={monday.isoformat()}&to={monday + timedelta(days=6)}"))
    expect(page.get_by_test_id("total-clock")).to_have_text("6:15:00")
    expect(page.get_by_test_id("total-hours")).to_have_text("6.25 h")
    expect(page.get_by_test_id("entry-count")).to_have_text("4")
    chart = page.get_by_test_id("timeline-chart-wide")
    expect(chart).to_be_visible()
    expect(page.get_by_test_id("timeline-chart-narrow")).to_be_hidden()
    expect(page.get_by_role("img", name=re.compile("^Hours per day"))).to_have_count(1)
    expect(chart).to_have_accessible_name(re.compile(r"^Hours per day, \d+ \w+ . \d+ \w+"))
    expect(chart).to_have_accessible_description(
        re.compile(r"^7 bars, one per day, 6\.25 h in all\. The most: .+, 2\.50 h\.")
    )
    expect(chart.locator("rect.bar-outline")).to_have_count(4)  # a bar a day with time
    expect(chart.locator("text.tick-label:not(.tick-sublabel)")).to_have_count(7)
    heights = chart.locator("rect.bar-outline").evaluate_all(
        "bars => bars.map(b => b.getBBox().height)"
    )
    assert heights[0] / heights[3] == pytest.approx(2.5 / 2, rel=0.01)  # Mon 2.5 h, Fri 2 h
    rows = table_rows(page, "groups-table")
    monday_label = f"{monday:%a} {monday.day} {monday:%b %Y}"
    assert rows[0] == [monday_label, "2:30:00", "2.50 h", "40.0 %", "1"]
    assert rows[-1] == ["Total", "6:15:00", "6.25 h", "100.0 %", "4"]
    screenshot(page, "reports-desktop-days")

    page.get_by_label("Group by").select_option("project")
    page.get_by_role("button", name="Show report").click()
    page.wait_for_url(re.compile(r"group_by=project"))
    expect(page.get_by_role("heading", name="By project")).to_be_visible()
    assert table_rows(page, "groups-table") == [
        ["Alpha", "3:30:00", "3.50 h", "56.0 %", "2"],
        ["No project", "2:00:00", "2.00 h", "32.0 %", "1"],
        ["Beta", "0:45:00", "0.75 h", "12.0 %", "1"],
        ["Total", "6:15:00", "6.25 h", "100.0 %", "4"],
    ]
    share = page.get_by_role("img", name=re.compile("^Share per project"))
    expect(share).to_be_visible()
    expect(share.locator("rect.share-segment")).to_have_count(3)
    widths = share.locator("rect.share-segment").evaluate_all(
        "rects => rects.map(r => r.getBoundingClientRect().width)"
    )
    assert widths[0] / sum(widths) == pytest.approx(0.56, abs=0.01)
    legend = page.get_by_test_id("share-legend").locator("li")
    expect(legend.first).to_contain_text(re.compile(r"Alpha\s+56.0 % · 3.50 h"))
    screenshot(page, "reports-desktop-projects")

    page.get_by_role("navigation", name="Group the table by").get_by_role(
        "link", name="Tag"
    ).click()
    page.wait_for_url(re.compile(r"group_by=tag"))
    assert table_rows(page, "groups-table")[0] == ["deep", "3:30:00", "3.50 h", "56.0 %", "2"]

    with page.expect_download() as download_info:
        page.get_by_test_id("summary-csv").click()
    download = download_info.value
    assert download.suggested_filename.startswith("routinie-summary-by-tag-")
    lines = Path(download.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "key,label,seconds,hours,entries"
    assert lines[1] == "deep,deep,12600,3.50,2"
    assert problems.all() == []


def test_the_report_reads_on_a_phone(live_server, phone_page, ana, screenshot):
    from playwright.sync_api import expect

    user, password, monday = ana
    page = phone_page
    problems = watch_for_problems(page)
    sign_in_in_browser(page, live_server, user.email, password)
    page.goto(
        url_of(
            live_server,
            f"/reports/?from={monday}&to={monday + timedelta(days=6)}&group_by=project",
        )
    )
    expect(page.get_by_test_id("total-clock")).to_have_text("6:15:00")
    expect(page.get_by_test_id("timeline-chart-narrow")).to_be_visible()
    expect(page.get_by_test_id("timeline-chart-wide")).to_be_hidden()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"/reports/ is {width}px wide on a {PHONE['width']}px screen"
    label_size = page.get_by_test_id("timeline-chart-narrow").locator("text.tick-label").first
    assert label_size.evaluate("t => t.getBoundingClientRect().height") >= 11  # readable
    screenshot(page, "reports-phone")
    assert problems.all() == []


def test_the_report_in_dark_mode(live_server, new_page, ana, screenshot):
    from playwright.sync_api import expect

    user, password, monday = ana
    page = new_page(color_scheme="dark")
    problems = watch_for_problems(page)
    sign_in_in_browser(page, live_server, user.email, password)
    page.goto(url_of(live_server, f"/reports/?from={monday}&to={monday + timedelta(days=6)}"))
    expect(page.get_by_test_id("total-hours")).to_have_text("6.25 h")
    outline = page.locator("rect.bar-outline").first.evaluate("b => getComputedStyle(b).stroke")
    assert outline == "rgb(230, 235, 232)"  # the dark theme's --fg: every bar's edge shows
    piece = page.locator("rect.bar-piece").first.get_attribute("fill")
    assert piece == "#e4572e"  # Monday: Alpha's colour
    screenshot(page, "reports-dark")
    assert problems.all() == []


def test_the_report_works_with_scripts_off(live_server, new_page, ana):
    from playwright.sync_api import expect

    user, password, monday = ana
    page = new_page(java_script_enabled=False)
    sign_in_in_browser(page, live_server, user.email, password)
    page.goto(url_of(live_server, "/reports/"))
    page.get_by_label("From", exact=True).fill(monday.isoformat())
    page.get_by_label("To", exact=True).fill((monday + timedelta(days=6)).isoformat())
    page.get_by_label("Group by").select_option("tag")
    page.get_by_role("button", name="Show report").click()
    page.wait_for_url(re.compile(r"group_by=tag"))
    expect(page.get_by_test_id("total-clock")).to_have_text("6:15:00")
    expect(page.get_by_test_id("groups-table")).to_contain_text("meeting")


def test_a_reversed_range_is_refused_next_to_the_field(live_server, page, ana, screenshot):
    from playwright.sync_api import expect

    user, password, monday = ana
    sign_in_in_browser(page, live_server, user.email, password)
    response = page.goto(
        url_of(live_server, f"/reports/?from={monday + timedelta(days=6)}&to={monday}")
    )
    assert response.status == 422
    to_field = page.get_by_label("To", exact=True)
    expect(to_field).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert")).to_have_text("The range ends before it starts.")
    expect(to_field).to_have_accessible_description("The range ends before it starts.")
    expect(page.get_by_test_id("groups-table")).to_have_count(0)
    screenshot(page, "reports-refused")


def test_longer_ranges_chart_per_week_and_stay_legible(live_server, new_page, ana, screenshot):
    from playwright.sync_api import expect

    user, password, _ = ana
    for name, viewport in (("desktop", None), ("phone", PHONE)):
        page = new_page(viewport=viewport)
        problems = watch_for_problems(page)
        sign_in_in_browser(page, live_server, user.email, password)
        page.goto(url_of(live_server, "/reports/"))
        page.get_by_role("link", name="Last 30 days").click()
        page.wait_for_url(re.compile(r"group_by=day"))
        expect(page.get_by_role("heading", name="Hours per day")).to_be_visible()
        screenshot(page, f"reports-{name}-30-days")
        page.get_by_role("link", name="This year").click()
        expect(page.get_by_role("heading", name="Hours per week")).to_be_visible()
        chart = page.get_by_test_id(f"timeline-chart-{'narrow' if viewport else 'wide'}")
        expect(chart).to_be_visible()
        labels = chart.locator("text.tick-label:not(.tick-sublabel)")
        boxes = labels.evaluate_all(
            "ts => ts.map(t => { const r = t.getBoundingClientRect(); return [r.left, r.right]; })"
        )
        assert all(a[1] <= b[0] for a, b in pairwise(boxes)), boxes
        screenshot(page, f"reports-{name}-year")
        assert problems.all() == []
