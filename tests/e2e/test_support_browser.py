"""The support chat in a real browser (headless Debian Chromium over the live server): the person
writes, a staff reply made meanwhile appears without reloading (the page polls with htmx), a
reply through the form stays on the page; staff answer from the console."""

from typing import Any

import pytest

from tests.e2e.conftest import PHONE, watch_for_problems

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def sign_in(page: Any, live_server: Any, email: str, password: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.locator('input[name="email"]').fill(email)
    page.locator('input[name="password"]').fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/today/")  # where signing in lands


@pytest.fixture
def people(make_user: Any) -> dict[str, Any]:
    ana, ana_password = make_user(name="Ana Pop", email="ana@example.test")
    sam, sam_password = make_user(name="Sam Staff", email="sam@wesrom.test", staff=True)
    return {"ana": (ana, ana_password), "sam": (sam, sam_password)}


@pytest.mark.promise("P07")
def test_a_person_chats_and_a_staff_reply_appears_without_reloading(
    live_server, page, people, settings, screenshot
):
    from playwright.sync_api import expect

    from routinie.support.models import Conversation
    from routinie.support.services import post_staff_reply

    settings.SUPPORT_POLL_SECONDS = 1
    problems = watch_for_problems(page)
    ana, password = people["ana"]
    sign_in(page, live_server, ana.email, password)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Support").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Support")
    page.get_by_label("Subject (optional)").fill("Timer question")
    page.get_by_label("Your message").fill("My timer stops by itself after a minute.")
    page.get_by_role("button", name="Send").click()

    conversation = Conversation.objects.get(user=ana)
    page.wait_for_url(f"{live_server.url}/support/{conversation.pk}/")
    log = page.get_by_test_id("chat-log")
    expect(log).to_contain_text("My timer stops by itself after a minute.")
    page.evaluate("window.__stillTheSamePage = true")

    sam, _ = people["sam"]
    post_staff_reply(staff=sam, conversation_id=conversation.pk, body="Which browser do you use?")
    expect(log).to_contain_text("Which browser do you use?", timeout=15000)
    expect(log.locator(".from-staff")).to_contain_text("Routinie support")

    page.get_by_label("Your message").fill("Chromium, on Debian.")
    page.get_by_role("button", name="Send").click()
    expect(log).to_contain_text("Chromium, on Debian.")
    expect(page.get_by_label("Your message")).to_have_value("")
    assert page.evaluate("window.__stillTheSamePage") is True, "no page load"
    assert page.url == f"{live_server.url}/support/{conversation.pk}/"
    assert conversation.messages.count() == 3

    expect(page.locator("ul.messages")).to_have_count(0)
    path = screenshot(page, "support-chat")
    assert path.stat().st_size > 0
    page.set_viewport_size(PHONE)
    screenshot(page, "support-chat-phone")
    page.get_by_label("Your message").fill("")
    page.get_by_role("button", name="Send").click()  # the browser's own check stops it
    assert conversation.messages.count() == 3
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("link", name="All conversations").click()
    expect(page.get_by_test_id("conversation-list")).to_contain_text("Timer question")
    screenshot(page, "support-inbox")
    assert problems.all() == []


def test_staff_answer_from_the_console(live_server, page, people, screenshot):
    from playwright.sync_api import expect

    from routinie.support.services import start_conversation

    ana, _ = people["ana"]
    conversation, _ = start_conversation(user=ana, body="Can I import from Toggl?")
    problems = watch_for_problems(page)
    sam, password = people["sam"]
    sign_in(page, live_server, sam.email, password)
    page.goto(f"{live_server.url}/support/staff/")
    queue = page.get_by_test_id("staff-queue")
    expect(queue).to_contain_text("Can I import from Toggl?")
    expect(queue).to_contain_text("Ana Pop")
    screenshot(page, "support-console")
    queue.get_by_role("link", name="Can I import from Toggl?").click()
    page.get_by_label("Your message").fill("Yes: /entries/, Import.")
    page.get_by_role("button", name="Send reply").click()
    page.wait_for_url(f"{live_server.url}/support/staff/{conversation.pk}/#latest")
    expect(page.get_by_test_id("chat-log")).to_contain_text("Sam Staff (staff)")
    screenshot(page, "support-console-conversation")
    page.get_by_role("button", name="Close conversation").click()
    expect(page.get_by_role("button", name="Reopen conversation")).to_be_visible()
    conversation.refresh_from_db()
    assert conversation.status == "closed"
    assert problems.all() == []
