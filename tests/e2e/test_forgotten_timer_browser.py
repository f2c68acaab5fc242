"""The forgotten timer in real Chromium (issue 17): the banner's "stop it at the time I left",
and idle detection (the page's clock driven by Playwright: no waiting): the dialog on return,
keyboard-usable, Escape keeping the time, discarding it as a break or by stopping the timer;
axe over the banner, the confirm page and the open dialog, light and dark."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from routinie.accounts.models import User
from routinie.tracking.entries.services import start_timer
from routinie.tracking.models import EntryBreak, TimeEntry
from tests.e2e.conftest import BROWSER_TIMEZONE, watch_for_problems
from tests.e2e.test_accessibility_browser import AXE_TAGS, RUN_AXE, axe_source
from tests.e2e.test_accounts_browser import sign_in_in_browser, url_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _left(user: User, ago: timedelta) -> Any:
    """The person's last activity `ago` back (set after signing in: that was a write too)."""
    left = (timezone.now() - ago).replace(microsecond=0)
    User.objects.filter(pk=user.pk).update(last_active_at=left)
    return left


def test_the_banner_stops_the_forgotten_timer_at_the_time_i_left(live_server, page, make_user):
    from playwright.sync_api import expect

    user, password = make_user(timezone_name=BROWSER_TIMEZONE)
    entry = start_timer(user=user, description="Report", start=timezone.now() - timedelta(hours=9))
    problems = watch_for_problems(page)
    sign_in_in_browser(page, live_server, user.email, password)
    left = _left(user, timedelta(hours=7))
    page.goto(url_of(live_server, "/reports/"))
    banner = page.get_by_test_id("forgotten-banner")
    expect(banner).to_contain_text("Did you forget it?")
    shown = f"{timezone.localtime(left, timezone=user_zone(user)):%H:%M}"
    banner.get_by_role("button", name=f"Stop it at {shown}, when I left").click()
    page.wait_for_url(re.compile(r".*/reports/$"))
    expect(page.get_by_role("status").filter(has_text="The timer is stopped at")).to_contain_text(
        shown
    )
    expect(page.get_by_test_id("forgotten-banner")).to_have_count(0)
    assert TimeEntry.objects.get(pk=entry.pk).end == left
    assert problems.all() == []


def back(page: Any) -> None:
    """An input after idle time, and the page's check with the server that the timer runs."""
    with page.expect_response("**/api/v1/timer"):
        page.keyboard.press("Shift")


def user_zone(user: User) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(user.timezone)


def test_idle_time_is_asked_about_on_return_and_discarded(live_server, page, make_user):
    from playwright.sync_api import expect

    user, password = make_user(timezone_name=BROWSER_TIMEZONE)
    entry = start_timer(
        user=user, description="Deep work", start=timezone.now() - timedelta(hours=2)
    )
    problems = watch_for_problems(page)
    page.clock.install()
    sign_in_in_browser(page, live_server, user.email, password)
    page.goto(url_of(live_server, "/today/"))
    dialog = page.get_by_role("dialog", name="Were you away?")
    expect(dialog).to_be_hidden()

    page.clock.fast_forward("09:00")  # under the 10 minutes: no question
    page.keyboard.press("Shift")
    expect(dialog).to_be_hidden()

    page.clock.fast_forward("15:00")  # away: the next input asks
    back(page)
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("15 min")
    expect(dialog.get_by_role("button", name="Keep the idle time")).to_be_focused()
    page.keyboard.press("Escape")  # keeps the time, changes nothing
    expect(dialog).to_be_hidden()
    assert not EntryBreak.objects.filter(entry=entry).exists()

    page.clock.fast_forward("12:00")
    with page.expect_response("**/api/v1/timer"):
        page.mouse.move(200, 200)
        page.mouse.move(210, 220)
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Discard it, keep the timer running").click()
    page.wait_for_url(re.compile(r".*/today/$"))
    expect(page.get_by_role("status").filter(has_text="idle time is left out")).to_be_visible()
    (idle,) = EntryBreak.objects.filter(entry=entry)
    assert idle.end is not None
    assert abs((idle.end - idle.start) - timedelta(minutes=12)) <= timedelta(seconds=2)
    assert TimeEntry.objects.get(pk=entry.pk).end is None

    page.clock.fast_forward("20:00")
    back(page)
    expect(dialog).to_be_visible()
    before = timezone.now()
    dialog.get_by_role("button", name=re.compile(r"^Discard it: stop the timer at")).click()
    page.wait_for_url(re.compile(r".*/today/$"))
    expect(page.get_by_role("status").filter(has_text="when you went idle")).to_be_visible()
    end = TimeEntry.objects.get(pk=entry.pk).end
    assert end is not None
    assert abs((before - timedelta(minutes=20)) - end) <= timedelta(seconds=5)
    expect(page.get_by_role("dialog", name="Were you away?")).to_have_count(0)  # nothing runs
    assert problems.all() == []


def test_no_question_when_the_timer_was_stopped_or_paused_meanwhile(live_server, page, make_user):
    from playwright.sync_api import expect

    from routinie.tracking.entries.breaks import pause_timer, resume_timer
    from routinie.tracking.entries.services import stop_timer

    user, password = make_user(timezone_name=BROWSER_TIMEZONE)
    start_timer(user=user, description="Deep work", start=timezone.now() - timedelta(hours=2))
    problems = watch_for_problems(page)
    page.clock.install()
    sign_in_in_browser(page, live_server, user.email, password)
    page.goto(url_of(live_server, "/entries/"))
    dialog = page.get_by_role("dialog", name="Were you away?")
    pause_timer(user=user)  # paused in another tab: the idle time is a break already
    page.clock.fast_forward("15:00")
    back(page)
    expect(dialog).to_be_hidden()
    resume_timer(user=user)
    page.clock.fast_forward("15:00")
    back(page)
    expect(dialog).to_be_visible()  # running again: asked
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    stop_timer(user=user)  # stopped on another device
    page.clock.fast_forward("15:00")
    back(page)
    expect(dialog).to_be_hidden()
    assert problems.all() == []


def _axe(page: Any) -> list[str]:
    page.add_script_tag(content=axe_source())
    return [f"{v['id']}: {v['help']} ({v['target']})" for v in page.evaluate(RUN_AXE, AXE_TAGS)]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_banner_confirm_page_and_idle_dialog_pass_axe(live_server, new_page, make_user, theme):
    from playwright.sync_api import expect

    user, password = make_user(timezone_name=BROWSER_TIMEZONE)
    entry = start_timer(user=user, description="Report", start=timezone.now() - timedelta(hours=9))
    page = new_page(color_scheme=theme, bypass_csp=True)
    page.clock.install()
    sign_in_in_browser(page, live_server, user.email, password)
    _left(user, timedelta(hours=7))
    page.goto(url_of(live_server, "/today/"))
    expect(page.get_by_test_id("forgotten-banner")).to_be_visible()
    found = _axe(page)
    page.goto(url_of(live_server, f"/timer/forgotten/{entry.pk}/"))
    expect(page.get_by_role("button", name="Stop it now")).to_be_visible()
    found += _axe(page)
    page.goto(url_of(live_server, "/entries/"))
    page.clock.fast_forward("30:00")
    back(page)
    expect(page.get_by_role("dialog", name="Were you away?")).to_be_visible()
    found += _axe(page)
    assert found == [], "\n".join(found)
