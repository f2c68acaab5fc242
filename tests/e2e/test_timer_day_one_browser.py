"""Issue 13 in real Chromium, for what only a browser shows: the "+1 day" hint before saving,
today's total ticking with a running timer, the running time in the tab title and the
favicon, and a delete undone from its notice."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from routinie.tracking.calendar import today_for, zone_of
from routinie.tracking.entries.services import create_entry, start_timer
from routinie.tracking.models import TimeEntry
from tests.e2e.conftest import watch_for_problems
from tests.e2e.test_accounts_browser import sign_in_in_browser, url_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_the_form_says_plus_one_day_before_saving(live_server, page, make_user, screenshot):
    from playwright.sync_api import expect

    user, password = make_user()
    problems = watch_for_problems(page)
    sign_in_in_browser(page, live_server, user.email, password)
    page.goto(url_of(live_server, "/entries/"))
    page.get_by_role("heading", name="Add an entry").click()
    form = page.locator("#add form")
    form.get_by_label("Start").fill("14:00")
    form.get_by_label("End").fill("15:30")
    expect(form.get_by_test_id("next-day")).to_have_text("")
    form.get_by_label("End").fill("13:00")
    expect(form.get_by_test_id("next-day")).to_have_text("+1 day (23:00 h)")
    form.get_by_label("End").fill("06:00")
    form.get_by_label("Start").fill("22:00")
    expect(form.get_by_test_id("next-day")).to_have_text("+1 day")
    form.get_by_label("Start").fill("14:00")
    form.get_by_label("End").fill("13:00")
    form.get_by_role("button", name="Add entry").click()
    expect(page.get_by_text("This entry lasts 23:00")).to_be_visible()
    assert not TimeEntry.objects.exists()
    form = page.locator("#add form")
    expect(form.get_by_test_id("next-day")).to_have_text("+1 day (23:00 h)")  # after reload too
    form.get_by_label("Yes, it lasted that long").check()
    screenshot(page, "entries-confirm-long")
    form.get_by_role("button", name="Add entry").click()
    expect(page.get_by_text("The entry is added.")).to_be_visible()
    assert TimeEntry.objects.get().end - TimeEntry.objects.get().start == timedelta(hours=23)
    refused = "the server responded with a status of 422"  # the refusal itself, as it should be
    assert [p for p in problems.all() if refused not in p] == []


def _an_hour_into_today(user):
    """Now, when the last hour is all in the person's today (else the test is skipped)."""
    now = timezone.now()
    if (now - timedelta(hours=1)).astimezone(zone_of(user)).date() != today_for(user):
        pytest.skip("too close to midnight for this test")
    return now


def test_the_total_and_the_tab_title_tick_with_the_running_timer(
    live_server, page, make_user, screenshot
):
    from playwright.sync_api import expect

    user, password = make_user()
    now = _an_hour_into_today(user)
    create_entry(user=user, start=now - timedelta(minutes=40), end=now - timedelta(minutes=20))
    start_timer(user=user, description="Writing", start=now - timedelta(minutes=5))
    problems = watch_for_problems(page)
    sign_in_in_browser(page, live_server, user.email, password)
    page.goto(url_of(live_server, "/today/"))
    total = page.get_by_test_id("today-total")
    expect(total).to_have_text(re.compile(r"^0:25:\d\d$"))
    first = total.text_content()
    expect(total).not_to_have_text(first or "", timeout=3000)  # it ticks
    expect(page).to_have_title(re.compile(r"^0:05:\d\d · Writing · Routinie$"))
    icon = page.locator('link[rel~="icon"]')
    expect(icon).to_have_attribute("data-running", "yes")
    assert icon.get_attribute("href").startswith("data:image/svg+xml,")
    screenshot(page, "today-running-total")
    page.goto(url_of(live_server, "/entries/"))
    expect(page).to_have_title(re.compile(r"^0:05:\d\d · Writing · Routinie$"))
    page.goto(url_of(live_server, "/today/"))
    page.get_by_role("button", name="Stop").click()
    expect(page.get_by_role("button", name="Start")).to_be_visible()
    expect(page).to_have_title("Today · Routinie")
    expect(icon).to_have_attribute("data-running", "no")
    assert problems.all() == []


def test_delete_on_today_refreshes_the_total_and_undo_brings_it_back(
    live_server, page, make_user, screenshot
):
    from playwright.sync_api import expect

    user, password = make_user()
    now = _an_hour_into_today(user)
    create_entry(user=user, start=now - timedelta(hours=1), end=now - timedelta(minutes=30))
    gone, _ = create_entry(
        user=user,
        start=now - timedelta(minutes=20),
        end=now - timedelta(minutes=10),
        description="Call",
        tags=["phone"],
    )
    sign_in_in_browser(page, live_server, user.email, password)
    page.goto(url_of(live_server, "/today/"))
    expect(page.get_by_test_id("today-total")).to_have_text("0:40:00")
    page.locator(f"#entry-{gone.id}").get_by_role("button", name="Delete").click()
    expect(page.locator(f"#entry-{gone.id}")).to_have_count(0)
    expect(page.get_by_test_id("today-total")).to_have_text("0:30:00")
    notice = page.get_by_test_id("undo-notice")
    expect(notice).to_contain_text("Deleted “Call”")
    screenshot(page, "today-deleted-undo")
    notice.get_by_role("button", name="Undo").click()
    expect(page.locator(f"#entry-{gone.id}")).to_contain_text("phone")
    expect(page.get_by_test_id("today-total")).to_have_text("0:40:00")
