"""Reminder settings in real Chromium: a routine's reminder time on its edit page, the daily
digest on /routines/, and the unsubscribe page's button (no sign-in). The bad inputs a time
field cannot type are posted as a form would be, over HTTP."""

from datetime import time

import pytest

from routinie.tracking.models import ReminderDigest, Routine
from routinie.tracking.reminders.links import unsubscribe_url
from routinie.tracking.routines.schedules import ScheduleSpec
from routinie.tracking.routines.services import create_routine
from tests.e2e.site_client import Site
from tests.e2e.test_accounts_browser import path_re, sign_in_in_browser, url_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_set_a_reminder_and_the_digest_then_unsubscribe_from_the_link(live_server, page, make_user):
    from playwright.sync_api import expect

    user, password = make_user(email="ana@example.test", timezone_name="Europe/Berlin")
    routine, _ = create_routine(user=user, name="Stretch", schedule=ScheduleSpec("daily"))
    sign_in_in_browser(page, live_server, user.email, password)

    page.goto(url_of(live_server, f"/routines/{routine.pk}/edit/"))
    page.get_by_label("E-mail reminder (optional)").fill("07:30")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(path_re(live_server, f"/routines/{routine.pk}/"))
    routine.refresh_from_db()
    assert routine.reminder_time == time(7, 30)
    page.goto(url_of(live_server, f"/routines/{routine.pk}/edit/"))
    expect(page.get_by_label("E-mail reminder (optional)")).to_have_value("07:30")

    page.goto(url_of(live_server, "/routines/"))
    page.get_by_label("Daily digest at (your time zone; empty: no digest)").fill("21:15")
    page.get_by_role("button", name="Save the digest time").click()
    expect(page.get_by_text("You will get the daily digest at 21:15.")).to_be_visible()
    assert ReminderDigest.objects.get(user=user).time == time(21, 15)
    expect(page.get_by_label("Daily digest at (your time zone; empty: no digest)")).to_have_value(
        "21:15"
    )

    page.context.clear_cookies()  # the link works without sign-in
    page.goto(
        unsubscribe_url(user.pk, routine.pk).replace("http://127.0.0.1:8000", live_server.url)
    )
    expect(page.get_by_text("Stop the e-mail reminders for “Stretch”?")).to_be_visible()
    assert Routine.objects.get().reminder_time == time(7, 30)  # looking changed nothing
    page.get_by_role("button", name="Stop these reminders").click()
    expect(page.get_by_text("Done: no more reminders for “Stretch”.")).to_be_visible()
    assert Routine.objects.get().reminder_time is None
    assert ReminderDigest.objects.filter(user=user).exists()  # only this routine's


def test_a_bad_reminder_time_posted_to_the_forms_is_refused_and_changes_nothing(
    live_server, make_user
):
    user, password = make_user(email="ana@example.test")
    routine, _ = create_routine(user=user, name="Stretch", schedule=ScheduleSpec("daily"))
    site = Site(live_server.url)
    assert site.sign_in(user.email, password).status_code == 302
    edit = f"/routines/{routine.pk}/edit/"
    for bad in ("25:00", "7.30", "7:30pm"):
        answer = site.submit(
            edit, edit, {"name": "Renamed", "schedule_kind": "daily", "reminder_time": bad}
        )
        assert answer.status_code == 422, bad
        assert "A reminder time is written like" in answer.text
        assert Routine.objects.get().name == "Stretch"
        digest = site.submit("/routines/", "/routines/reminders/", {"digest_time": bad})
        assert digest.status_code == 302
        assert "The digest was not changed" in site.get("/routines/").text
        assert not ReminderDigest.objects.exists()
