"""Routines in real Chromium: create one with steps through the form, check it in with one click
(htmx), run it with the countdown, read its heat-map; the same without JavaScript; phone width."""

import re
from datetime import timedelta

import pytest

from routinie.tracking.calendar import today_for
from routinie.tracking.models import CheckIn, Routine, TimeEntry
from routinie.tracking.routines.schedules import ScheduleSpec
from routinie.tracking.routines.services import (
    StepSpec,
    check_in,
    create_routine,
    start_routine_run,
)
from tests.e2e.conftest import PHONE, watch_for_problems
from tests.e2e.test_accounts_browser import path_re, sign_in_in_browser, url_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def day_label(day) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def short_label(day, today) -> str:
    """The day buttons' names: "Mon 23 Nov", with the year when it is not this year's."""
    return day_label(day) if day.year != today.year else f"{day:%a} {day.day} {day:%b}"


def assert_fits_width(page, width: int) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= width, f"the page is {overflow}px wide at {width}px"


def test_create_check_in_run_and_read_a_routine(live_server, page, make_user, screenshot):
    from playwright.sync_api import expect

    user, password = make_user()
    problems = watch_for_problems(page)
    sign_in_in_browser(page, live_server, user.email, password)
    page.goto(url_of(live_server, "/routines/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Routines")

    # The form: only the chosen schedule shows its details.
    form = page.locator("form.rt-form")
    expect(form.get_by_label("Every day")).to_be_checked()
    expect(form.get_by_label("Mon", exact=True)).to_be_hidden()
    form.get_by_label("On certain days of the week").check()
    expect(form.get_by_label("Mon", exact=True)).to_be_visible()
    form.get_by_label("Every day").check()
    form.get_by_label("Name").fill("Morning stretch")
    form.get_by_label("Step 1", exact=True).fill("Neck rolls")
    form.get_by_label("Minutes for step 1", exact=True).fill("1")
    form.get_by_label("Step 2", exact=True).fill("Shoulders")
    form.get_by_label("Minutes for step 2", exact=True).fill("0.05")  # 3 seconds
    screenshot(page, "routines-new-form")
    form.get_by_role("button", name="Create routine").click()

    expect(page.locator("ul.messages")).to_contain_text("Created the routine “Morning stretch”.")
    routine = Routine.objects.get()
    assert list(routine.steps.values_list("name", "duration_seconds")) == [
        ("Neck rolls", 60),
        ("Shoulders", 3),
    ]
    card = page.locator(f"#routine-{routine.pk}")
    expect(card).to_contain_text("Every day · 2 steps, 1 min 3 s")
    expect(card).to_contain_text("Today: due")

    # One click checks it in (htmx swaps the card); the focus stays on its button.
    card.get_by_role("button", name=re.compile(r"^Done")).click()
    expect(card).to_contain_text("Today: done")
    expect(card.locator("dd").first).to_have_text("1 day")
    assert CheckIn.objects.get().status == "done"
    assert page.evaluate("document.activeElement.id") == f"routine-{routine.pk}-act"
    screenshot(page, "routines-list-desktop")
    page.keyboard.press("Enter")  # "Undo", from the keyboard
    expect(card).to_contain_text("Today: due")
    assert CheckIn.objects.count() == 0

    # Run it: start, the countdown runs, next, time's up, finish.
    card.get_by_role("link", name=re.compile("Start routine")).click()
    page.wait_for_url(path_re(live_server, f"/routines/{routine.pk}/run/"))
    page.get_by_role("button", name="Start routine").click()
    expect(page.locator(".rt-run-step-no")).to_have_text("Step 1 of 2")
    expect(page.get_by_role("heading", name="Neck rolls")).to_be_visible()
    countdown = page.locator("time.rt-countdown")
    expect(countdown).to_have_text(re.compile(r"^[01]:\d\d$"))
    first = countdown.text_content()
    expect(countdown).not_to_have_text(first or "", timeout=3000)
    assert re.fullmatch(r"0:5\d", countdown.text_content() or "")
    expect(page).to_have_title(re.compile(r"^0:5\d · Run Morning stretch"))
    running = TimeEntry.objects.get(end__isnull=True)
    assert (running.routine_id, running.routine_step) == (routine.pk, 0)

    page.get_by_role("button", name="Next step").click()
    expect(page.locator(".rt-run-step-no")).to_have_text("Step 2 of 2")
    expect(page.get_by_role("button", name="Next step")).to_have_count(0)
    expect(page.locator("[data-times-up]")).to_have_text(
        "Time's up — go to the next step.", timeout=8000
    )
    expect(countdown).to_have_text("0:00")
    assert TimeEntry.objects.filter(end__isnull=True).get().routine_step == 1  # no auto-advance
    screenshot(page, "routine-run-desktop")
    page.get_by_role("button", name="Finish", exact=True).click()

    expect(page.get_by_role("heading", name="Checked in for today ✓")).to_be_visible()
    expect(page.get_by_test_id("run-finished")).to_contain_text(re.compile(r"\d+ s recorded today"))
    checkin = CheckIn.objects.get()
    assert (checkin.date, checkin.status) == (today_for(user), "done")
    assert TimeEntry.objects.filter(routine=routine, end__isnull=False).count() == 2

    # Its page: stats, the heat-map with today done, the explanation.
    page.get_by_role("link", name="See its calendar and streak").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Morning stretch")
    today = today_for(user)
    today_cell = page.get_by_role("button", name=f"{short_label(today, today)}: done", exact=True)
    expect(today_cell).to_have_count(1)
    expect(page.locator(".rt-stat").first).to_contain_text("1 day")
    expect(page.get_by_role("heading", name="What these numbers mean")).to_be_visible()
    screenshot(page, "routine-detail-desktop")
    assert problems.all() == []


def test_back_fill_archive_and_delete_on_the_routine_page(live_server, page, make_user):
    from playwright.sync_api import expect

    user, password = make_user()
    routine, _ = create_routine(
        user=user, name="Read", schedule=ScheduleSpec("daily"), target_value=20, target_unit="pages"
    )
    problems = watch_for_problems(page)
    sign_in_in_browser(page, live_server, user.email, password)
    page.goto(url_of(live_server, f"/routines/{routine.pk}/"))
    day = today_for(user) - timedelta(days=3)
    page.get_by_label("Day", exact=True).fill(day.isoformat())
    page.get_by_label("Done", exact=True).check()
    page.get_by_label("Value (pages)").fill("12")
    page.get_by_label("Note (optional)").fill("on the train")
    page.get_by_role("button", name="Save check-in").click()

    expect(page.locator("ul.messages")).to_contain_text(f"checked in for {day_label(day)}")
    name = f"{short_label(day, today_for(user))}: 12 of 20 pages · partly done"
    expect(page.get_by_role("button", name=name, exact=True)).to_have_count(1)
    expect(page.locator(".rt-recent")).to_contain_text("on the train")
    checkin = CheckIn.objects.get()
    assert (checkin.date, checkin.value) == (day, 12)

    page.get_by_role("button", name=f"Delete the check-in of {day_label(day)}").click()
    expect(page.locator("ul.messages")).to_contain_text("Removed the check-in")
    assert CheckIn.objects.count() == 0

    page.get_by_role("button", name="Archive").click()
    expect(page.locator("ul.messages")).to_contain_text("Archived “Read”.")
    page.goto(url_of(live_server, "/routines/"))
    page.get_by_text("Archived routines (1)").click()
    page.get_by_role("button", name="Unarchive Read").click()
    expect(page.locator("ul.messages")).to_contain_text("“Read” is active again.")

    page.get_by_role("link", name="Read").first.click()
    page.get_by_text("Delete this routine…").click()
    page.get_by_role("button", name="Yes, delete “Read”").click()
    page.wait_for_url(path_re(live_server, "/routines/"))
    expect(page.locator("ul.messages")).to_contain_text("Deleted “Read”")
    assert Routine.objects.count() == 0
    assert problems.all() == []


def test_everything_works_without_javascript(live_server, new_page, make_user, screenshot):
    from playwright.sync_api import expect

    user, password = make_user()
    routine, _ = create_routine(
        user=user,
        name="Tea",
        schedule=ScheduleSpec("weekdays", days=(0, 1, 2, 3, 4, 5, 6)),
        steps=[StepSpec("Boil", 120), StepSpec("Steep", 180)],
    )
    page = new_page(java_script_enabled=False)
    sign_in_in_browser(page, live_server, user.email, password)
    page.goto(url_of(live_server, "/routines/"))
    card = page.locator(f"#routine-{routine.pk}")
    card.get_by_role("button", name=re.compile(r"^Skip")).click()
    expect(page.locator("ul.messages")).to_contain_text("“Tea” checked in for today: skipped.")
    expect(card).to_contain_text("Today: skipped")

    page.goto(url_of(live_server, f"/routines/{routine.pk}/run/"))
    page.get_by_role("button", name="Start routine").click()
    expect(page.locator("time.rt-countdown")).to_have_text(re.compile(r"^(2:00|1:5\d)$"))
    shown = page.locator("time.rt-countdown").text_content()
    page.wait_for_timeout(1500)
    assert page.locator("time.rt-countdown").text_content() == shown  # no script, no ticking
    page.get_by_role("button", name="Next step").click()
    expect(page.locator("ul.messages")).to_contain_text("Step 2: Steep.")
    page.get_by_role("button", name="Finish", exact=True).click()
    expect(page.get_by_role("heading", name="Checked in for today ✓")).to_be_visible()
    assert CheckIn.objects.get().status == "done"
    screenshot(page, "routine-run-no-js")

    # A bad form without JavaScript: the server says what is wrong, next to the field.
    page.goto(url_of(live_server, "/routines/new/"))
    page.get_by_label("Name").fill("Swim")
    page.get_by_label("A number of times a week").check()
    page.get_by_label("Times a week", exact=True).fill("9")
    with page.expect_response(url_of(live_server, "/routines/new/")) as posted:
        page.get_by_role("button", name="Create routine").click()
    assert posted.value.status == 422
    expect(page.locator(".rt-kind-detail .errorlist")).to_have_text(
        "Times per week is a number from 1 to 7."
    )
    assert Routine.objects.count() == 1


def test_routine_pages_at_phone_width(live_server, phone_page, make_user, screenshot):
    from playwright.sync_api import expect

    user, password = make_user()
    routine, _ = create_routine(
        user=user,
        name="Evening walk around the neighbourhood",
        schedule=ScheduleSpec("weekdays", days=(0, 2, 4)),
        target_value=3,
        target_unit="km",
        steps=[StepSpec("Shoes on", 60), StepSpec("Walk", 1800)],
    )
    other, _ = create_routine(
        user=user, name="Read", schedule=ScheduleSpec("times_per_week", count=3)
    )
    today = today_for(user)
    for back in range(1, 70):
        day = today - timedelta(days=back)
        if day.weekday() in (0, 2, 4) and back % 11:
            check_in(
                user=user, routine_id=routine.pk, day=day, status="done", value=3 if back % 4 else 2
            )
        if back % 3 == 0:
            check_in(user=user, routine_id=other.pk, day=day, status="done")
    check_in(user=user, routine_id=routine.pk, day=today - timedelta(days=15), status="skipped")
    page = phone_page
    problems = watch_for_problems(page)
    sign_in_in_browser(page, live_server, user.email, password)

    page.goto(url_of(live_server, "/routines/"))
    expect(page.locator(".rt-card")).to_have_count(2)
    assert_fits_width(page, PHONE["width"])
    screenshot(page, "routines-list-phone")
    page.get_by_text("New routine").click()
    assert_fits_width(page, PHONE["width"])
    screenshot(page, "routines-new-form-phone")

    page.goto(url_of(live_server, f"/routines/{routine.pk}/"))
    assert_fits_width(page, PHONE["width"])
    screenshot(page, "routine-detail-phone")

    start_routine_run(user=user, routine_id=routine.pk)
    page.goto(url_of(live_server, f"/routines/{routine.pk}/run/"))
    expect(page.locator("time.rt-countdown")).to_be_visible()
    assert_fits_width(page, PHONE["width"])
    screenshot(page, "routine-run-phone")

    page.goto(url_of(live_server, f"/routines/{routine.pk}/edit/"))
    expect(page.get_by_label("Step 2", exact=True)).to_have_value("Walk")
    assert_fits_width(page, PHONE["width"])
    screenshot(page, "routine-edit-phone")
    assert problems.all() == []
