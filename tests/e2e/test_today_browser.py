"""/today/ and /entries/ in real Chromium: the keyboard timer, a one-click check-in, an inline
edit (htmx), and phone width."""

import re

import pytest

from routinie.tracking.models import CheckIn, TimeEntry
from routinie.tracking.routines.schedules import ScheduleSpec
from routinie.tracking.routines.services import create_routine
from tests.e2e.conftest import settled, watch_for_problems
from tests.e2e.test_accounts_browser import sign_in_in_browser, url_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_start_and_stop_the_timer_with_the_keyboard(live_server, page, make_user, screenshot):
    from playwright.sync_api import expect

    user, password = make_user()
    problems = watch_for_problems(page)
    sign_in_in_browser(page, live_server, user.email, password)
    page.goto(url_of(live_server, "/today/"))
    page.get_by_label("What are you working on?").fill("Write the report")
    page.get_by_label("What are you working on?").press("Enter")
    expect(page.get_by_test_id("running-description")).to_have_text("Write the report")
    clock = page.get_by_test_id("timer-clock")
    first = clock.text_content()
    expect(clock).not_to_have_text(first or "", timeout=3000)  # the clock ticks
    screenshot(page, "today-running")
    page.locator("body").press("s")
    expect(page.get_by_role("button", name="Start")).to_be_visible()
    entry = TimeEntry.objects.get()
    assert entry.description == "Write the report"
    assert entry.end is not None
    settled(page)  # the swap's focus handling is done: S must still reach the shortcut
    page.locator("body").press("s")  # S again starts a new timer with an empty description
    expect(page.get_by_role("button", name="Stop")).to_be_visible()
    assert TimeEntry.objects.filter(end__isnull=True).count() == 1
    assert problems.all() == []


def test_check_in_a_due_routine_with_one_click(live_server, page, make_user, screenshot):
    from playwright.sync_api import expect

    user, password = make_user()
    create_routine(
        user=user, name="Read", schedule=ScheduleSpec("daily"), target_value=20, target_unit="pages"
    )
    sign_in_in_browser(page, live_server, user.email, password)
    page.goto(url_of(live_server, "/today/"))
    row = page.get_by_test_id("due-routine").filter(has_text="Read")
    row.get_by_label("pages today").fill("25")
    row.get_by_role("button", name="Done").click()
    expect(page.get_by_test_id("due-routine").filter(has_text="Read")).to_contain_text(
        "25 of 20 pages · done"
    )
    assert CheckIn.objects.get().value == 25
    screenshot(page, "today-routine-checked")


def test_edit_an_entry_inline_and_read_the_day_total(live_server, page, make_user, screenshot):
    from datetime import UTC, datetime, timedelta

    from playwright.sync_api import expect

    from routinie.tracking.entries.services import create_entry

    user, password = make_user()
    start = datetime(2026, 11, 20, 8, tzinfo=UTC)
    entry, _ = create_entry(
        user=user, start=start, end=start + timedelta(hours=1), description="Draft"
    )
    sign_in_in_browser(page, live_server, user.email, password)
    page.goto(url_of(live_server, "/entries/"))
    row = page.locator(f"#entry-{entry.id}")
    row.get_by_role("link", name="Edit").click()
    editing = page.locator(f"#entry-{entry.id}")
    editing.get_by_label("What are you working on?").fill("Final draft")
    editing.get_by_label("End").fill("10:30")
    editing.get_by_role("button", name="Save").click()
    expect(page.locator(f"#entry-{entry.id}")).to_contain_text("Final draft")
    expect(page.locator(f"#entry-{entry.id}")).to_contain_text("2:30:00")
    expect(page.locator("#day-total-20261120")).to_have_text("2:30:00")
    entry.refresh_from_db()
    assert entry.end - entry.start == timedelta(hours=2, minutes=30)
    screenshot(page, "entries")


def test_today_and_entries_fit_a_phone(live_server, phone_page, make_user, screenshot):
    user, password = make_user()
    create_routine(user=user, name="Stretch", schedule=ScheduleSpec("daily"))
    sign_in_in_browser(phone_page, live_server, user.email, password)
    for path, name in [("/today/", "phone-today"), ("/entries/", "phone-entries")]:
        phone_page.goto(url_of(live_server, path))
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
        screenshot(phone_page, name)
    assert re.search("Stretch", phone_page.goto(url_of(live_server, "/today/")).text())
