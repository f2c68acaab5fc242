"""Failures are never silent (issue 13): in real Chromium, a request made after the session ended,
a server error and a lost network each say so in the page (role="alert"), with a way forward."""

import pytest

from routinie.accounts.models import UserSession
from routinie.tracking.models import TimeEntry
from tests.e2e.conftest import watch_for_problems
from tests.e2e.test_accounts_browser import path_re, sign_in_in_browser, url_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def start_timer(page, live_server, description: str) -> None:
    from playwright.sync_api import expect

    page.goto(url_of(live_server, "/today/"))
    page.get_by_label("What are you working on?").fill(description)
    page.get_by_label("What are you working on?").press("Enter")
    expect(page.get_by_test_id("running-description")).to_have_text(description)


def test_the_message_names_the_button_pressed_in_a_form_of_several(live_server, page, make_user):
    """The timer's form holds Pause and Stop: a failed Pause says "Pause", a failed Stop "Stop"
    (the message once named the form's first button, whichever was pressed)."""
    from playwright.sync_api import expect

    user, password = make_user()
    sign_in_in_browser(page, live_server, user.email, password)
    start_timer(page, live_server, "Write the report")
    UserSession.objects.filter(user=user).delete()  # the session ends on the server

    page.get_by_role("button", name="Pause").click()
    alert = page.get_by_role("alert").filter(has_text="session ended")
    expect(alert).to_contain_text("“Pause” was not saved.")


def test_stop_after_the_session_ended_says_so_and_signing_in_comes_back(
    live_server, page, make_user, screenshot
):
    from playwright.sync_api import expect

    user, password = make_user()
    sign_in_in_browser(page, live_server, user.email, password)
    start_timer(page, live_server, "Write the report")
    UserSession.objects.filter(user=user).delete()  # the session ends on the server

    page.get_by_role("button", name="Stop").click()
    alert = page.get_by_role("alert").filter(has_text="session ended")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("“Stop” was not saved.")
    expect(page.get_by_test_id("running-description")).to_have_text("Write the report")
    assert TimeEntry.objects.get().end is None, "nothing was stopped"
    screenshot(page, "today-session-ended")

    alert.get_by_role("link", name="Sign in again").click()
    page.wait_for_url(path_re(live_server, r"/login/\?next=%2Ftoday%2F"))
    page.locator('input[name="email"]').fill(user.email)
    page.locator('input[name="password"]').fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(path_re(live_server, "/today/"))
    page.get_by_role("button", name="Stop").click()
    expect(page.get_by_role("button", name="Start")).to_be_visible()
    assert TimeEntry.objects.get().end is not None


def test_signing_out_in_another_tab_is_caught_too(live_server, new_page, make_user):
    from playwright.sync_api import expect

    user, password = make_user()
    page = new_page()
    sign_in_in_browser(page, live_server, user.email, password)
    start_timer(page, live_server, "Read")
    other = page.context.new_page()  # same browser, same cookies
    other.goto(url_of(live_server, "/account/"))
    other.get_by_test_id("sign-out").click()
    other.wait_for_url(path_re(live_server, r"/\?signed_out=1"))

    page.bring_to_front()
    page.get_by_role("button", name="Stop").click()
    expect(page.get_by_role("alert").filter(has_text="session ended")).to_be_visible()
    assert TimeEntry.objects.get().end is None


def test_a_server_error_and_a_lost_network_are_said_in_the_page(live_server, page, make_user):
    from playwright.sync_api import expect

    user, password = make_user()
    problems = watch_for_problems(page)
    sign_in_in_browser(page, live_server, user.email, password)
    start_timer(page, live_server, "Plan")

    page.route("**/today/timer/", lambda route: route.fulfill(status=500, body="boom"))
    page.get_by_role("button", name="Stop").click()
    alert = page.get_by_test_id("request-failure")
    expect(alert).to_have_attribute("role", "alert")
    expect(alert).to_contain_text("Something went wrong on our side (error 500)")
    expect(alert.get_by_role("link", name="Contact support")).to_have_attribute("href", "/contact/")

    page.unroute("**/today/timer/")
    page.route("**/today/timer/", lambda route: route.abort("internetdisconnected"))
    # (a Stop that meets no network is kept and sent later: see test_offline_browser.py)
    page.get_by_role("button", name="Pause").click()
    expect(alert).to_contain_text("“Pause” was not saved. No connection to Routinie")
    assert TimeEntry.objects.get().end is None

    page.unroute("**/today/timer/")
    page.get_by_role("button", name="Stop").click()  # it works again: the message goes
    expect(page.get_by_role("button", name="Start")).to_be_visible()
    expect(alert).to_be_hidden()
    assert TimeEntry.objects.get().end is not None
    assert problems.page_errors == []  # htmx itself logs the failed requests to the console
    assert problems.csp_violations == []


def test_fetch_through_the_wrapper_says_when_signed_out(live_server, page, make_user):
    from playwright.sync_api import expect

    user, password = make_user()
    sign_in_in_browser(page, live_server, user.email, password)
    page.goto(url_of(live_server, "/entries/"))
    UserSession.objects.filter(user=user).delete()
    status = page.evaluate(
        "() => window.routinie.fetch('/account/').then(function (r) { return r.status; })"
    )
    assert status == 200  # the sign-in page the redirect led to
    expect(page.get_by_role("alert").filter(has_text="session ended")).to_be_visible()
    link = page.get_by_role("link", name="Sign in again")
    expect(link).to_have_attribute("href", "/login/?next=%2Fentries%2F")
