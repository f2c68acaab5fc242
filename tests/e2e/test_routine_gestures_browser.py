"""Loop's gestures in real Chromium: tap a day (mouse or keyboard) to toggle it on a routine's
card and its page, `+1` on /today/ and on the card; all with htmx, the page never reloads."""

from datetime import timedelta

import pytest

from routinie.tracking.calendar import today_for
from routinie.tracking.models import CheckIn
from routinie.tracking.routines.schedules import ScheduleSpec
from routinie.tracking.routines.services import create_routine
from tests.e2e.conftest import PHONE, settled, watch_for_problems
from tests.e2e.test_accounts_browser import sign_in_in_browser, url_of
from tests.e2e.test_routines_browser import short_label

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def mark_page(page) -> None:
    """A flag that a reload would wipe out."""
    page.evaluate("window.notReloaded = true")


def not_reloaded(page) -> bool:
    return page.evaluate("window.notReloaded === true")


def state_of(routine, day):
    checkin = CheckIn.objects.filter(routine=routine, date=day).first()
    return None if checkin is None else (checkin.status, checkin.value)


def test_tap_a_day_on_the_card_and_the_page_toggles_it_without_reload(live_server, page, make_user):
    from playwright.sync_api import expect

    user, password = make_user()
    routine, _ = create_routine(user=user, name="Stretch", schedule=ScheduleSpec("daily"))
    problems = watch_for_problems(page)
    sign_in_in_browser(page, live_server, user.email, password)
    page.goto(url_of(live_server, "/routines/"))
    mark_page(page)
    today = today_for(user)
    day = today - timedelta(days=2)
    name = short_label(day, today)
    card_days = page.get_by_test_id("days-card")

    cell = card_days.locator(f'button[value="{day.isoformat()}"]')
    before = cell.get_attribute("aria-label")
    assert before in {f"{name}: missed", f"{name}: no check-in"}
    cell.click()
    expect(card_days.get_by_role("button", name=f"{name}: done", exact=True)).to_be_visible()
    assert state_of(routine, day) == ("done", None)
    # The keyboard: the same button, focused, with Enter.
    settled(page)
    card_days.get_by_role("button", name=f"{name}: done", exact=True).focus()
    page.keyboard.press("Enter")
    skipped = card_days.get_by_role("button", name=f"{name}: skipped", exact=True)
    expect(skipped).to_be_visible()
    assert state_of(routine, day) == ("skipped", None)
    settled(page)
    expect(skipped).to_be_focused()  # the keyboard stays where it was: Enter again goes on
    assert not_reloaded(page)

    page.goto(url_of(live_server, f"/routines/{routine.pk}/"))
    mark_page(page)
    grid = page.get_by_test_id("days-detail")
    settled(page)
    grid.get_by_role("button", name=f"{name}: skipped", exact=True).focus()
    page.keyboard.press("Enter")
    expect(grid.get_by_role("button", name=before, exact=True)).to_be_visible()
    settled(page)
    expect(grid.get_by_role("button", name=before, exact=True)).to_be_focused()
    assert state_of(routine, day) is None
    settled(page)
    grid.get_by_role("button", name=f"{short_label(today, today)}: no check-in").click()
    expect(page.get_by_test_id("day-report")).to_have_text("done")
    expect(page.locator(".rt-stat").first).to_contain_text("1 day")
    assert not_reloaded(page)
    assert problems.all() == []


def test_plus_one_on_today_and_the_card_reaches_the_target_without_reload(
    live_server, new_page, make_user, screenshot
):
    from playwright.sync_api import expect

    user, password = make_user()
    routine, _ = create_routine(
        user=user,
        name="Water",
        schedule=ScheduleSpec("daily"),
        target_value=3,
        target_unit="glasses",
    )
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    problems = watch_for_problems(page)
    sign_in_in_browser(page, live_server, user.email, password)
    page.goto(url_of(live_server, "/today/"))
    mark_page(page)
    row = page.get_by_test_id("due-routine").filter(has_text="Water")
    settled(page)
    row.get_by_role("button", name="+1 glasses for Water").click()
    expect(row.get_by_test_id("day-report")).to_have_text("1 of 3 glasses · partly done")
    settled(page)
    row.get_by_role("button", name="+1 glasses for Water").click()
    expect(row.get_by_test_id("day-report")).to_have_text("2 of 3 glasses · partly done")
    assert not_reloaded(page)

    page.goto(url_of(live_server, "/routines/"))
    mark_page(page)
    card = page.locator(f"#routine-{routine.pk}")
    settled(page)
    card.get_by_role("button", name="+1 glasses for Water").click()
    expect(card.get_by_test_id("day-report")).to_have_text("3 of 3 glasses · done")
    expect(card.get_by_role("button", name="+1 glasses for Water")).to_have_count(0)
    expect(card.get_by_role("button", name="Undo today's check-in of Water")).to_be_visible()
    assert state_of(routine, today_for(user)) == ("done", 3)
    assert not_reloaded(page)
    screenshot(page, "routines-plus-one-phone")

    page.goto(url_of(live_server, "/today/"))
    row = page.get_by_test_id("due-routine").filter(has_text="Water")
    expect(row.get_by_test_id("day-report")).to_have_text("3 of 3 glasses · done")
    expect(row.get_by_role("button", name="Done today: Water")).to_have_count(0)
    settled(page)
    row.get_by_role("button", name="Undo today's check-in of Water").focus()
    page.keyboard.press("Enter")  # the Undo button goes: the keyboard stays in the routine's row
    expect(row.get_by_role("button", name="Done today: Water")).to_be_visible()
    settled(page)
    assert row.evaluate("el => el.contains(document.activeElement)")
    assert state_of(routine, today_for(user)) is None
    assert problems.all() == []


def test_four_routines_fit_in_about_two_phone_screens(live_server, new_page, make_user):
    user, password = make_user()
    for name in ("Stretch", "Read", "Walk", "Journal"):
        create_routine(user=user, name=name, schedule=ScheduleSpec("daily"))
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in_in_browser(page, live_server, user.email, password)
    page.goto(url_of(live_server, "/routines/"))
    cards = page.locator("article.rt-card")
    first = cards.nth(0).bounding_box()
    last = cards.nth(3).bounding_box()
    span = last["y"] + last["height"] - first["y"]
    assert span <= 2 * PHONE["height"], f"four cards take {span}px"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
