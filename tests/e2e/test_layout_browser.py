"""The site's frame in real Chromium at phone width: no page wider than the screen even with a
long unbroken word in the data, the phone menu (opens, reachable by keyboard, closes), form
controls big enough for a finger."""

from datetime import UTC, datetime, timedelta

import pytest

from routinie.support.services import start_conversation
from routinie.tracking.entries.services import create_entry
from routinie.tracking.routines.schedules import ScheduleSpec
from routinie.tracking.routines.services import create_routine
from tests.e2e.conftest import PHONE
from tests.e2e.test_accounts_browser import sign_in_in_browser, url_of
from tests.e2e.test_blog_http import make_post
from tests.e2e.test_foundation_http import PUBLIC_PAGES, SIGNED_IN_PAGES

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

LONG_WORD = "Supercalifragilistic" * 8  # 160 letters, no place to break
WIDTH = "document.documentElement.scrollWidth"


def _phone(new_page):
    return new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=1)


@pytest.fixture
def member_with_long_words(make_user):
    """A person whose entry, routine and support message are one long unbroken word each."""
    user, password = make_user()
    now = datetime.now(UTC).replace(microsecond=0)
    create_entry(
        user=user,
        start=now - timedelta(hours=2),
        end=now - timedelta(hours=1),
        description=LONG_WORD,
        tags=[LONG_WORD[:40]],
    )
    create_routine(user=user, name=LONG_WORD[:100], schedule=ScheduleSpec("daily"))
    conversation, _ = start_conversation(user=user, body=LONG_WORD)
    return user, password, f"/support/{conversation.pk}/"


def test_no_page_is_wider_than_a_phone_even_with_a_long_word(
    live_server, new_page, member_with_long_words, screenshot
):
    user, password, conversation = member_with_long_words
    make_post(title=LONG_WORD, slug="long", summary=LONG_WORD, body=LONG_WORD)
    visitor = _phone(new_page)
    too_wide = []
    for path in [p for p in PUBLIC_PAGES if not p.startswith("/api/")] + ["/blog/long/"]:
        visitor.goto(url_of(live_server, path))
        if visitor.evaluate(WIDTH) > PHONE["width"]:
            too_wide.append((path, visitor.evaluate(WIDTH)))
    member = _phone(new_page)
    sign_in_in_browser(member, live_server, user.email, password)
    for path in [*SIGNED_IN_PAGES, conversation]:
        member.goto(url_of(live_server, path))
        if member.evaluate(WIDTH) > PHONE["width"]:
            too_wide.append((path, member.evaluate(WIDTH)))
            screenshot(member, f"too-wide-{path.strip('/').replace('/', '-')}")
    assert too_wide == []


def test_the_phone_menu_opens_is_reachable_by_keyboard_and_closes(
    live_server, new_page, make_user, screenshot
):
    from playwright.sync_api import expect

    user, password = make_user()
    phone = _phone(new_page)
    sign_in_in_browser(phone, live_server, user.email, password)
    phone.goto(url_of(live_server, "/today/"))
    menu = phone.get_by_role("button", name="Menu")
    reports = phone.get_by_role("navigation", name="Main").get_by_role("link", name="Reports")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(reports).to_be_hidden()
    header = phone.locator(".site-header").bounding_box()
    assert header["height"] < 80  # one row, not three

    menu.focus()
    phone.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(reports).to_be_visible()
    screenshot(phone, "phone-menu-open")
    reached = []
    for _ in range(9):  # the nine links of the menu, Sign out last
        phone.keyboard.press("Tab")
        reached.append(phone.evaluate("document.activeElement.textContent.trim()"))
    assert reached[:6] == ["Today", "Entries", "Projects", "Goals", "Routines", "Reports"]
    assert "Sign out" in reached

    phone.keyboard.press("Shift+Tab")
    phone.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    expect(reports).to_be_hidden()

    menu.click()  # a tap opens it, and a link takes you there
    reports.click()
    phone.wait_for_url(url_of(live_server, "/reports/"))
    expect(phone.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "false")


def test_on_a_desktop_the_links_show_without_a_menu_button(live_server, page, make_user):
    from playwright.sync_api import expect

    user, password = make_user()
    sign_in_in_browser(page, live_server, user.email, password)
    page.goto(url_of(live_server, "/today/"))
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Reports")).to_be_visible()


def test_form_controls_are_at_least_44_pixels_tall_on_a_phone(live_server, new_page, make_user):
    user, password = make_user()
    phone = _phone(new_page)
    sign_in_in_browser(phone, live_server, user.email, password)
    for path in ["/today/", "/entries/", "/reports/", "/account/"]:
        phone.goto(url_of(live_server, path))
        heights = phone.evaluate(
            """() => [...document.querySelectorAll('main input, main select, main textarea')]
                .filter((el) => el.type !== 'hidden' && el.type !== 'checkbox'
                        && el.type !== 'radio' && el.offsetParent !== null)
                .map((el) => [el.name || el.id || el.type, el.getBoundingClientRect().height])"""
        )
        assert heights, path
        assert [h for h in heights if h[1] < 44] == [], path
