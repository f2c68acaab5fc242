"""Goals in real Chromium (issue 17): set one on /goals/ (a clear error for a bad one, nothing
made), see it on /today/ as a progress bar that says its hours to a screen reader, change and
delete it; readable at phone width."""

from datetime import timedelta

import pytest
from django.utils import timezone

from routinie.tracking.entries.services import create_entry, create_project
from routinie.tracking.models import Goal
from tests.e2e.conftest import watch_for_problems
from tests.e2e.test_accounts_browser import sign_in_in_browser, url_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def fits_the_width(page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_set_a_goal_and_follow_it_on_today(live_server, page, make_user, screenshot):
    from playwright.sync_api import expect

    user, password = make_user(timezone_name="UTC")
    book, _ = create_project(user=user, name="Book")
    # Worked today: 1 h 30 min (started at the day's start, UTC, so within this week and month).
    start = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    create_entry(user=user, start=start, end=start + timedelta(minutes=90), project_id=book.id)
    problems = watch_for_problems(page)
    sign_in_in_browser(page, live_server, user.email, password)
    today_card = page.locator("#goals")
    expect(today_card.get_by_text("No goals yet.")).to_be_visible()
    today_card.get_by_role("link", name="Set a goal").click()

    form = page.get_by_test_id("new-goal")
    form.get_by_label("Period").select_option(label="A month")
    form.get_by_label("Hours").fill("0")
    form.get_by_label("or a tag").fill("deep")
    form.get_by_role("button", name="Set goal").click()
    expect(page.get_by_role("alert").filter(has_text="longer than zero")).to_be_visible()
    assert not Goal.objects.exists()

    form.get_by_label("Hours").fill("10")
    form.get_by_label("or a tag").fill("")
    form.get_by_label("Project").select_option(label="Book")
    form.get_by_role("button", name="Set goal").click()
    expect(page.get_by_text("The goal is set.")).to_be_visible()
    goal = Goal.objects.get()
    assert (goal.period, goal.seconds, goal.project_id) == ("month", 36000, book.id)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    bar = page.locator("#goals").get_by_role("progressbar")
    expect(bar).to_have_attribute("aria-valuetext", "1 h 30 min of 10 h")
    expect(bar).to_have_accessible_name("Book 10 h a month")
    expect(page.locator("#goals").get_by_test_id("goal-text")).to_contain_text(
        "1 h 30 min of 10 h, 8 h 30 min to go"
    )
    screenshot(page, "goals-today")

    page.goto(url_of(live_server, "/goals/"))
    page.locator(f"#goal-{goal.pk} summary").click()
    edit = page.locator(f"#goal-{goal.pk} form").first
    edit.get_by_label("Hours").fill("1.25")
    edit.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The goal is saved.")).to_be_visible()
    expect(page.get_by_test_id("goal-met")).to_have_text("Met")
    expect(page.get_by_test_id("goal-text")).to_contain_text("1 h 30 min of 1 h 15 min: met")
    page.get_by_role("button", name="Delete the goal Book, 1 h 15 min a month").click()
    expect(page.get_by_text("The goal is deleted.")).to_be_visible()
    assert not Goal.objects.exists()
    # The refused form's own 422 is the one message the browser logs.
    assert [p for p in problems.all() if "status of 422" not in p] == []


def test_the_goals_card_and_page_fit_a_phone(live_server, phone_page, make_user, screenshot):
    from playwright.sync_api import expect

    user, password = make_user()
    long_tag = "a-very-long-tag-name-that-should-wrap-on-a-phone-screen-x"[:50]
    Goal.objects.create(user=user, period="week", seconds=36000, tag=long_tag)
    sign_in_in_browser(phone_page, live_server, user.email, password)
    expect(phone_page.locator("#goals").get_by_role("progressbar")).to_be_visible()
    assert fits_the_width(phone_page)
    screenshot(phone_page, "goals-today-phone")
    phone_page.goto(url_of(live_server, "/goals/"))
    expect(phone_page.get_by_role("heading", name="Your goals")).to_be_visible()
    assert fits_the_width(phone_page)
    screenshot(phone_page, "goals-page-phone")


def test_the_card_follows_an_entry_added_on_today_without_a_reload(live_server, page, make_user):
    from playwright.sync_api import expect

    user, password = make_user(timezone_name="UTC")
    Goal.objects.create(user=user, period="week", seconds=36000, tag="deep")
    problems = watch_for_problems(page)
    sign_in_in_browser(page, live_server, user.email, password)
    card = page.locator("#goals")
    expect(card.get_by_role("progressbar")).to_have_attribute("aria-valuetext", "0 min of 10 h")
    page.get_by_text("Add a finished entry").click()
    manual = page.locator("#manual form")
    manual.get_by_label("Tags").fill("deep")
    manual.get_by_label("Start").fill("00:00")
    manual.get_by_label("or Duration").fill("1h30")
    manual.get_by_role("button", name="Add entry").click()
    expect(card.get_by_role("progressbar")).to_have_attribute(
        "aria-valuetext", "1 h 30 min of 10 h"
    )
    expect(card.get_by_test_id("goal-text")).to_contain_text("8 h 30 min to go")
    assert page.evaluate("document.querySelectorAll('#goals').length") == 1
    assert problems.all() == []
