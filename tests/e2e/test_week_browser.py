"""The week view and the timesheet in real Chromium: drag a block to move it, drag its lower
edge, a refused drag puts the block back and says why, click an empty slot to add, type a
duration into a timesheet cell; screenshots at 1280 and 390 wide, light and dark."""

from datetime import UTC, datetime, timedelta

import pytest

from routinie.tracking.entries.services import create_entry, create_project
from routinie.tracking.models import TimeEntry
from tests.e2e.conftest import PHONE, watch_for_problems
from tests.e2e.test_accounts_browser import sign_in_in_browser, url_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

MONDAY = "2026-11-23"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A November 2026 time in Bucharest (UTC+2), as UTC."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC) - timedelta(hours=2)


@pytest.fixture
def person(make_user):
    return make_user(name="Ada Pop", email="ada@example.test", timezone_name="Europe/Bucharest")


def open_week(page, live_server, person):
    user, password = person
    sign_in_in_browser(page, live_server, user.email, password)
    page.goto(url_of(live_server, f"/week/?week={MONDAY}"))
    return user


def drag(page, locator, dx: float, dy: float, *, from_bottom: bool = False) -> None:
    box = locator.bounding_box()
    x = box["x"] + box["width"] / 2
    y = box["y"] + (box["height"] - 2 if from_bottom else min(10, box["height"] / 2))
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx / 2, y + dy / 2, steps=5)
    page.mouse.move(x + dx, y + dy, steps=5)
    page.mouse.up()


def slot(page) -> float:
    column = page.get_by_test_id("week-day-2026-11-24")
    return column.bounding_box()["height"] / 96


def test_drag_a_block_to_another_day_and_hour_keeps_its_length(
    live_server, page, person, screenshot
):
    from playwright.sync_api import expect

    problems = watch_for_problems(page)
    project, _ = create_project(user=person[0], name="Web", color="#aa3355")
    entry, _ = create_entry(
        user=person[0],
        start=at(24, 9),
        end=at(24, 10, 30),
        description="Draft",
        project_id=project.id,
    )
    open_week(page, live_server, person)
    block = page.get_by_test_id(f"block-{entry.id}")
    expect(block).to_be_visible()
    screenshot(page, "week-1280-light")
    next_day = page.get_by_test_id("week-day-2026-11-25").bounding_box()["x"]
    drag(page, block, next_day - block.bounding_box()["x"] + 8, 8 * slot(page))
    expect(page.get_by_test_id("week-status")).to_contain_text("Saved")
    entry.refresh_from_db()
    assert (entry.start, entry.end) == (at(25, 11), at(25, 12, 30))  # one day on, two hours later
    expect(page.get_by_test_id("day-total-2026-11-25")).to_have_text("1:30:00")
    expect(page.get_by_test_id("day-total-2026-11-24")).to_have_text("0:00:00")
    assert problems.all() == []


def test_drag_the_lower_edge_to_change_the_end(live_server, page, person):
    from playwright.sync_api import expect

    entry, _ = create_entry(user=person[0], start=at(24, 9), end=at(24, 10), description="Draft")
    open_week(page, live_server, person)
    drag(page, page.get_by_test_id(f"block-{entry.id}"), 0, 6 * slot(page), from_bottom=True)
    expect(page.get_by_test_id("week-status")).to_contain_text("Saved")
    entry.refresh_from_db()
    assert (entry.start, entry.end) == (at(24, 9), at(24, 11, 30))
    expect(page.get_by_test_id("week-total")).to_have_text("2:30:00")


def test_a_refused_drag_puts_the_block_back_and_says_why(live_server, page, person):
    from playwright.sync_api import expect

    entry, _ = create_entry(user=person[0], start=at(24, 9), end=at(24, 10), description="Draft")
    open_week(page, live_server, person)
    block = page.get_by_test_id(f"block-{entry.id}")
    before = block.bounding_box()
    TimeEntry.objects.filter(pk=entry.pk).delete()  # deleted meanwhile, in another tab
    drag(page, block, 0, 8 * slot(page))
    expect(page.get_by_test_id("week-status")).to_have_text("Not saved: No such time entry.")
    after = block.bounding_box()
    assert (after["x"], after["y"]) == (before["x"], before["y"])


def test_click_an_empty_slot_then_add_the_entry(live_server, page, person):
    from playwright.sync_api import expect

    user = person[0]
    open_week(page, live_server, person)
    column = page.get_by_test_id("week-day-2026-11-26")
    box = column.bounding_box()
    page.get_by_test_id("week-day-2026-11-26").scroll_into_view_if_needed()
    # 14:00 is row 56: click inside it
    page.locator(".week-scroll").evaluate("(el, y) => { el.scrollTop = y; }", 52 * slot(page))
    box = column.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + 56.5 * slot(page))
    form = page.get_by_test_id("week-add-form")
    expect(form.get_by_label("What did you work on?")).to_be_focused()
    expect(form.get_by_label("Date")).to_have_value("2026-11-26")
    expect(form.get_by_label("Start")).to_have_value("14:00")
    expect(form.get_by_label("End", exact=True)).to_have_value("15:00")
    form.get_by_label("What did you work on?").fill("Review")
    form.get_by_label("End", exact=True).fill("")  # an end or a duration, not both
    form.get_by_label("or Duration").fill("45m")
    form.get_by_role("button", name="Add entry").click()
    expect(page.get_by_role("status").filter(has_text="The entry is added.")).to_be_visible()
    entry = TimeEntry.objects.get(user=user)
    assert (entry.description, entry.start, entry.end) == ("Review", at(26, 14), at(26, 14, 45))


def test_a_timesheet_cell_typed_1h30_saves_on_blur_and_the_totals_follow(
    live_server, page, person, screenshot
):
    from playwright.sync_api import expect

    user = person[0]
    project, _ = create_project(user=user, name="Web")
    create_entry(user=user, start=at(24, 9), end=at(24, 10), project_id=project.id)
    sign_in_in_browser(page, live_server, user.email, person[1])
    page.goto(url_of(live_server, f"/timesheet/?week={MONDAY}"))
    cell = page.get_by_label("Web, Thursday 26 November")
    cell.fill("1h30")
    cell.press("Tab")
    expect(page.get_by_test_id(f"row-total-{project.id}")).to_have_text("2:30:00")
    expect(page.get_by_test_id("column-total-3")).to_have_text("1:30:00")
    expect(page.get_by_label("Web, Thursday 26 November")).to_have_value("1:30")
    entry = TimeEntry.objects.get(user=user, description="Timesheet")
    assert (entry.start, entry.end) == (at(26, 9), at(26, 10, 30))
    page.get_by_label("Web, Friday 27 November").fill("soon")
    page.get_by_label("Web, Friday 27 November").press("Tab")
    expect(page.get_by_test_id(f"error-cell-{project.id}-2026-11-27")).to_contain_text(
        "is not a duration"
    )
    assert TimeEntry.objects.filter(user=user).count() == 2
    screenshot(page, "timesheet-1280-light")


def test_what_is_typed_in_the_next_cell_while_a_save_is_on_its_way_is_kept(
    live_server, page, person
):
    """The save of a cell answers with the whole table: the next cell, typed into while that
    answer was on its way, keeps what was typed (and is saved when it is left in turn)."""
    from playwright.sync_api import expect

    user = person[0]
    project, _ = create_project(user=user, name="Web")
    create_entry(user=user, start=at(24, 9), end=at(24, 10), project_id=project.id)
    sign_in_in_browser(page, live_server, user.email, person[1])
    page.goto(url_of(live_server, f"/timesheet/?week={MONDAY}"))
    held: list = []

    def hold_saves(route):
        if route.request.method == "POST" and not held:
            held.append(route)  # answered below, once the next cell is typed into
        else:
            route.continue_()

    page.route("**/timesheet/", hold_saves)
    with page.expect_request(lambda request: request.method == "POST"):
        page.get_by_label("Web, Thursday 26 November").fill("1h30")
        page.get_by_label("Web, Thursday 26 November").press("Tab")
    friday = page.get_by_label("Web, Friday 27 November")
    expect(friday).to_be_focused()
    friday.type("2h")
    held[0].continue_()
    expect(page.get_by_test_id(f"row-total-{project.id}")).to_have_text("2:30:00")
    expect(page.get_by_label("Web, Friday 27 November")).to_have_value("2h")
    page.get_by_label("Web, Friday 27 November").press("Tab")
    expect(page.get_by_test_id(f"row-total-{project.id}")).to_have_text("4:30:00")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_week_and_the_timesheet_at_both_widths(
    live_server, new_page, person, screenshot, scheme
):
    from playwright.sync_api import expect

    user, password = person
    project, _ = create_project(user=user, name="Web", color="#aa3355")
    create_entry(
        user=user, start=at(24, 9), end=at(24, 10, 30), description="Draft", project_id=project.id
    )
    create_entry(user=user, start=at(24, 10), end=at(24, 11), description="Call")
    create_entry(user=user, start=at(25, 22), end=at(26, 1), description="Late release")
    for width, viewport in [("1280", None), ("390", PHONE)]:
        page = new_page(viewport=viewport, color_scheme=scheme)
        problems = watch_for_problems(page)
        sign_in_in_browser(page, live_server, user.email, password)
        page.goto(url_of(live_server, f"/week/?week={MONDAY}&day=2026-11-24"))
        expect(page.get_by_test_id("week-total")).to_have_text("5:30:00")
        if viewport:
            expect(page.get_by_test_id("week-day-2026-11-25")).to_be_hidden()
            page.get_by_role("link", name="Wed 25").click()
            expect(page.get_by_test_id("shown-day")).to_have_text("Wednesday 25 November")
        screenshot(page, f"week-{width}-{scheme}")
        page.goto(url_of(live_server, f"/timesheet/?week={MONDAY}"))
        screenshot(page, f"timesheet-{width}-{scheme}")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= int(width), f"{width}px page scrolls sideways ({scroll_width})"
        assert problems.all() == []
