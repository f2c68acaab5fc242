"""Breaks in real Chromium (issue 17): Pause and Resume beside Stop, by click and by the P key,
the paused state shown and the clock standing still, and breaks typed on an entry's edit form
(a clear error for a bad one, nothing changed)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from routinie.tracking.entries.services import create_entry, start_timer
from routinie.tracking.models import EntryBreak, TimeEntry
from tests.e2e.conftest import watch_for_problems
from tests.e2e.test_accounts_browser import sign_in_in_browser, url_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_pause_and_resume_the_timer_by_click_and_by_key(live_server, page, make_user, screenshot):
    from playwright.sync_api import expect

    user, password = make_user()
    start_timer(user=user, description="Writing", start=timezone.now() - timedelta(minutes=5))
    problems = watch_for_problems(page)
    sign_in_in_browser(page, live_server, user.email, password)
    page.goto(url_of(live_server, "/today/"))
    timer = page.locator("#timer")
    timer.get_by_role("button", name="Pause").click()
    expect(timer.get_by_test_id("timer-paused")).to_have_text(
        re.compile(r"^Paused since \d\d:\d\d$")
    )
    clock = timer.get_by_test_id("timer-clock")
    standing = clock.text_content()
    page.wait_for_timeout(1500)
    expect(clock).to_have_text(standing or "")  # a paused clock stands still
    screenshot(page, "timer-paused")
    running = TimeEntry.objects.get()
    assert EntryBreak.objects.get(entry=running).end is None
    page.locator("body").press("p")  # the shortcut resumes
    expect(timer.get_by_role("button", name="Pause")).to_be_visible()
    expect(timer.get_by_test_id("timer-paused")).to_have_count(0)
    expect(clock).not_to_have_text(standing or "", timeout=3000)  # it ticks again
    assert EntryBreak.objects.get(entry=running).end is not None
    page.locator("body").press("p")  # and pauses
    expect(timer.get_by_role("button", name="Resume")).to_be_visible()
    page.locator("body").press("s")  # stopping a paused timer closes its break there
    expect(page.get_by_role("button", name="Start")).to_be_visible()
    stopped = TimeEntry.objects.get()
    assert stopped.end is not None
    assert EntryBreak.objects.filter(entry=stopped).order_by("start").last().end == stopped.end
    assert problems.all() == []


def test_breaks_on_the_edit_form(live_server, page, make_user):
    from playwright.sync_api import expect

    user, password = make_user(timezone_name="UTC")
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    entry, _ = create_entry(user=user, start=start, end=start + timedelta(hours=8))
    problems = watch_for_problems(page)
    sign_in_in_browser(page, live_server, user.email, password)
    page.goto(url_of(live_server, f"/entries/{entry.id}/edit/"))
    page.get_by_label("Breaks").fill("12:30-13:00\n15:00-15:15")
    page.get_by_role("button", name="Save").click()
    row = page.get_by_test_id("entry-row")
    expect(row.get_by_test_id("entry-breaks")).to_have_text("break 0:45:00")
    expect(row).to_contain_text("7:15:00")  # the worked time
    assert list(EntryBreak.objects.order_by("start").values_list("start", "end")) == [
        (start + timedelta(hours=3, minutes=30), start + timedelta(hours=4)),
        (start + timedelta(hours=6), start + timedelta(hours=6, minutes=15)),
    ]
    page.goto(url_of(live_server, f"/entries/{entry.id}/edit/"))
    expect(page.get_by_label("Breaks")).to_have_value("12:30-13:00\n15:00-15:15")
    page.get_by_label("Breaks").fill("12:30-13:00\n12:45-13:30")  # overlapping
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Breaks cannot overlap.")).to_be_visible()
    page.get_by_label("Breaks").fill("lunch")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Line 1: write a break like 12:30-13:00.")).to_be_visible()
    assert EntryBreak.objects.count() == 2  # nothing changed
    page.get_by_label("Breaks").fill("15:00-15:15")  # the first one removed
    page.get_by_role("button", name="Save").click()
    expect(row.get_by_test_id("entry-breaks")).to_have_text("break 0:15:00")
    assert EntryBreak.objects.count() == 1
    refused = "the server responded with a status of 422"
    # The edit page has no day total for the saved row's out-of-band total (as before breaks).
    no_total = "htmx:oobErrorNoTarget, #day-total-"
    assert [p for p in problems.all() if refused not in p and no_total not in p] == []
