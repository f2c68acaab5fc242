"""The installable web app and its offline timer (issue 17), in real Chromium with the network
cut (`context.set_offline`): the manifest and its icons, the service worker that keeps /today/,
and the outbox that keeps a start, a stop and a check-in made offline and sends them, once each,
when the connection comes back; a refusal is shown until dismissed; sign-out forgets it all."""

import struct
from datetime import datetime, timedelta

import pytest

from routinie.accounts.models import UserSession
from routinie.tracking.calendar import today_for
from routinie.tracking.models import CheckIn, TimeEntry
from routinie.tracking.routines.schedules import ScheduleSpec
from routinie.tracking.routines.services import create_routine
from tests.e2e.conftest import watch_for_problems
from tests.e2e.site_client import api_token
from tests.e2e.test_accessibility_browser import AXE_SCRIPT, AXE_TAGS, RUN_AXE
from tests.e2e.test_accounts_browser import sign_in_in_browser, url_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def page(new_page):
    """A desktop page whose service worker may register (the suite blocks it elsewhere)."""
    return new_page(service_workers="allow")


CONTROLLED = "() => navigator.serviceWorker.controller !== null"
TODAY_KEPT = """async () => !!(await caches.match("/today/", {cacheName: "routinie-pages"}))"""
OUTBOX = """() => new Promise((resolve) => {
  const open = indexedDB.open("routinie-offline", 1);
  open.onupgradeneeded = () => open.result.createObjectStore("outbox", {keyPath: "seq", autoIncrement: true});
  open.onsuccess = () => {
    const request = open.result.transaction("outbox").objectStore("outbox").getAll();
    request.onsuccess = () => { open.result.close(); resolve(request.result); };
  };
})"""
OUTBOX_EMPTY = f"async () => (await ({OUTBOX})()).length === 0"
SLACK = timedelta(seconds=2)
SERVER_START_FORM = "#timer form.timer-form[hx-post]"  # not the one offline.js draws


def moment(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


def installed(page, live_server, user, password) -> None:
    """Signed in, on /today/, with the service worker controlling it and /today/ kept."""
    sign_in_in_browser(page, live_server, user.email, password)
    page.wait_for_function(CONTROLLED)
    page.wait_for_function(TODAY_KEPT)


def browser_now(page) -> datetime:
    return moment(page.evaluate("new Date().toISOString()").replace("Z", "+00:00"))


def start_stop_and_check_in_offline(page, description: str) -> tuple[datetime, datetime]:
    """Start, stop and tick "Stretch" done, offline; returns when Start and Stop were pressed."""
    from playwright.sync_api import expect

    page.get_by_label("What are you working on?").fill(description)
    started = browser_now(page)
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_test_id("timer-waiting")).to_have_text("Waiting to be sent")
    expect(page.get_by_test_id("running-description")).to_have_text(description)
    stopped = browser_now(page)
    page.get_by_role("button", name="Stop").click()
    expect(page.get_by_test_id("timer-waiting")).to_contain_text("waiting to be sent")
    page.get_by_role("button", name="Done today: Stretch").click()
    expect(page.get_by_test_id("checkin-waiting")).to_have_text("Done, waiting to be sent")
    expect(page.get_by_test_id("outbox-item")).to_have_count(3)
    return started, stopped


def png_size(body: bytes) -> tuple[int, int]:
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", body[16:24])


def test_the_manifest_is_linked_valid_and_its_icons_load(live_server, page, make_user):
    user, password = make_user()
    problems = watch_for_problems(page)
    installed(page, live_server, user, password)

    href = page.locator('link[rel="manifest"]').get_attribute("href")
    answer = page.request.get(url_of(live_server, href))
    assert answer.headers["content-type"] == "application/manifest+json"
    manifest = answer.json()
    assert manifest["name"]
    assert manifest["short_name"] == "Routinie"
    assert manifest["start_url"] == "/today/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#2f6f5e"
    sizes = {}
    for icon in manifest["icons"]:
        assert icon["src"].startswith("/static/"), "served by us, not a third party"
        image = page.request.get(url_of(live_server, icon["src"]))
        assert image.ok
        assert image.headers["content-type"] == "image/png"
        width, height = png_size(image.body())
        assert f"{width}x{height}" == icon["sizes"]
        sizes[icon["purpose"], icon["sizes"]] = True
    assert set(sizes) == {("any", "192x192"), ("any", "512x512"), ("maskable", "512x512")}
    scope = page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
    assert scope == url_of(live_server, "/")
    assert problems.all() == []


def test_offline_start_stop_and_check_in_are_sent_once_when_back_online(
    live_server, page, make_user, site, screenshot
):
    from playwright.sync_api import expect

    user, password = make_user()
    create_routine(user=user, name="Stretch", schedule=ScheduleSpec("daily"))
    problems = watch_for_problems(page)
    installed(page, live_server, user, password)

    page.context.set_offline(True)
    page.reload()  # from the service worker's cache
    expect(page.get_by_role("heading", name="Today", level=1)).to_be_visible()
    started, stopped = start_stop_and_check_in_offline(page, "Offline writing")
    expect(page.get_by_test_id("request-failure")).to_have_count(0)
    page.reload()  # still offline: what waits is still shown
    expect(page.get_by_test_id("outbox-item")).to_have_count(3)
    expect(page.get_by_test_id("checkin-waiting")).to_be_visible()
    screenshot(page, "today-offline-waiting")
    assert TimeEntry.objects.count() == 0
    assert CheckIn.objects.count() == 0

    page.context.set_offline(False)
    expect(page.get_by_test_id("outbox")).to_have_count(0)
    expect(page.locator(SERVER_START_FORM)).to_be_visible()
    token = api_token(site(), user.email, password)
    entries = site().api("GET", "/time-entries", token=token).json()["items"]
    assert len(entries) == 1
    entry = entries[0]
    assert entry["description"] == "Offline writing"
    assert started <= moment(entry["start"]) <= started + SLACK, "the moment Start was pressed"
    assert stopped <= moment(entry["end"]) <= stopped + SLACK, "the moment Stop was pressed"
    routine_id = site().api("GET", "/routines", token=token).json()["items"][0]["id"]
    checkins = site().api("GET", f"/routines/{routine_id}/checkins", token=token).json()["items"]
    assert [(c["date"], c["status"]) for c in checkins] == [(str(today_for(user)), "done")]
    assert page.evaluate(OUTBOX) == []
    assert problems.page_errors == []
    assert problems.csp_violations == []


def test_the_kept_today_page_drops_the_messages_it_was_kept_with(live_server, page, make_user):
    """/today/ kept after an action that said something ("The timer is stopped at …") shows,
    offline, the page without that message: it was said then, not now."""
    from django.utils import timezone
    from playwright.sync_api import expect

    user, password = make_user()
    TimeEntry.objects.create(
        user=user, description="Long", start=timezone.now() - timedelta(hours=9)
    )
    installed(page, live_server, user, password)
    page.get_by_role("button", name="Stop it now").click()
    expect(page.locator("ul.messages")).to_contain_text("The timer is stopped")
    page.wait_for_function(
        """async () => {
          const kept = await caches.match("/today/", {cacheName: "routinie-pages"});
          return !!kept && (await kept.text()).includes("The timer is stopped");
        }"""
    )
    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="Today", level=1)).to_be_visible()
    expect(page.locator("ul.messages")).to_have_count(0)
    expect(page.get_by_test_id("forgotten-banner")).to_have_count(0)


def test_a_stop_that_meets_no_network_is_kept_and_sent_not_failed(live_server, page, make_user):
    """The browser thinks it is online but the page's request fails: the Stop is queued (no
    "No connection" message) and sent through the API with the moment it was pressed."""
    from playwright.sync_api import expect

    user, password = make_user()
    problems = watch_for_problems(page)
    sign_in_in_browser(page, live_server, user.email, password)
    page.get_by_label("What are you working on?").fill("Flaky wifi")
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_test_id("running-description")).to_have_text("Flaky wifi")
    page.route("**/today/timer/", lambda route: route.abort("internetdisconnected"))
    pressed = browser_now(page)
    page.get_by_role("button", name="Stop").click()
    expect(page.locator(SERVER_START_FORM)).to_be_visible()  # the page drawn again after sending
    expect(page.get_by_test_id("request-failure")).to_have_count(0)
    entry = TimeEntry.objects.get()
    assert entry.end is not None
    assert pressed <= entry.end <= pressed + SLACK
    assert problems.csp_violations == []


def test_a_replay_whose_answer_was_lost_creates_nothing_twice(live_server, new_page, make_user):
    """The create reaches the server but its answer is lost (the network drops): sent again
    after a reload, with the same id, it makes no second entry; the stop then lands."""
    from playwright.sync_api import expect

    user, password = make_user()
    create_routine(user=user, name="Stretch", schedule=ScheduleSpec("daily"))
    page = new_page(service_workers="block")  # page.route sees every request
    sign_in_in_browser(page, live_server, user.email, password)
    page.context.set_offline(True)
    started, stopped = start_stop_and_check_in_offline(page, "Twice")

    def answer_lost(route):
        route.fetch()  # the server gets it and commits
        route.abort("internetdisconnected")

    page.route("**/api/v1/time-entries", answer_lost)
    with page.expect_event("requestfailed"):
        page.context.set_offline(False)
    expect(page.get_by_test_id("outbox-item")).to_have_count(3)
    assert TimeEntry.objects.get().end is None, "the create arrived, nothing after it"

    page.unroute("**/api/v1/time-entries")
    page.reload()
    page.wait_for_function(OUTBOX_EMPTY)
    expect(page.get_by_test_id("outbox")).to_have_count(0)
    entry = TimeEntry.objects.get()
    assert entry.description == "Twice"
    assert started <= entry.start <= started + SLACK
    assert entry.end is not None
    assert stopped <= entry.end <= stopped + SLACK
    assert CheckIn.objects.count() == 1


def test_a_refused_start_is_shown_until_dismissed(live_server, page, make_user, site):
    """Meanwhile a timer was started on another device: the offline start is refused (409), the
    page says so, with the times, across reloads, until the person dismisses it."""
    from playwright.sync_api import expect

    user, password = make_user()
    create_routine(user=user, name="Stretch", schedule=ScheduleSpec("daily"))
    installed(page, live_server, user, password)
    page.context.set_offline(True)
    start_stop_and_check_in_offline(page, "On the train")
    token = api_token(site(), user.email, password)
    phone = site().api("POST", "/timer/start", token=token, json={"description": "From my phone"})
    assert phone.status_code == 201

    page.context.set_offline(False)
    conflict = page.get_by_test_id("outbox-conflict")
    expect(conflict).to_contain_text("Start “On the train” at")
    expect(conflict).to_contain_text("was not saved")
    expect(conflict).to_contain_text("another device")
    expect(conflict).to_contain_text("Its stop at")
    expect(page.get_by_role("alert")).to_contain_text("was not saved")
    page.reload()
    expect(conflict).to_have_count(1)
    assert [e.description for e in TimeEntry.objects.all()] == ["From my phone"]
    assert CheckIn.objects.count() == 1, "the check-in behind it was sent"

    conflict.get_by_role("button", name="Dismiss").click()
    expect(conflict).to_have_count(0)
    page.reload()
    expect(page.get_by_test_id("outbox")).to_have_count(0)
    assert page.evaluate(OUTBOX) == []


def test_an_ended_session_keeps_the_outbox_and_asks_to_sign_in(live_server, page, make_user):
    from playwright.sync_api import expect

    user, password = make_user()
    create_routine(user=user, name="Stretch", schedule=ScheduleSpec("daily"))
    installed(page, live_server, user, password)
    page.context.set_offline(True)
    start_stop_and_check_in_offline(page, "Late")
    UserSession.objects.filter(user=user).delete()

    page.context.set_offline(False)
    outbox = page.get_by_test_id("outbox")
    expect(outbox).to_contain_text("your session ended")
    expect(page.get_by_test_id("outbox-item")).to_have_count(3)
    assert TimeEntry.objects.count() == 0

    outbox.get_by_role("link", name="Sign in again").click()
    page.locator('input[name="email"]').fill(user.email)
    page.locator('input[name="password"]').fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_function(OUTBOX_EMPTY)
    expect(page.get_by_test_id("outbox")).to_have_count(0)
    entry = TimeEntry.objects.get()
    assert entry.description == "Late"
    assert entry.end is not None
    assert CheckIn.objects.count() == 1


def test_signing_out_warns_of_unsent_actions_then_forgets_them_and_the_caches(
    live_server, page, make_user
):
    from playwright.sync_api import expect

    user, password = make_user()
    create_routine(user=user, name="Stretch", schedule=ScheduleSpec("daily"))
    installed(page, live_server, user, password)
    page.context.set_offline(True)
    start_stop_and_check_in_offline(page, "Shared laptop")
    asked = []

    def answer(dialog, accept: bool) -> None:
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, False))
    with page.expect_event("dialog"):
        page.get_by_test_id("sign-out").click()
    expect(page.get_by_test_id("outbox-item")).to_have_count(3)
    assert "3 actions" in asked[0]
    assert "deletes them" in asked[0]

    page.once("dialog", lambda dialog: answer(dialog, True))
    with page.expect_event("framenavigated"):  # offline: forgotten here; the sign-out fails
        page.get_by_test_id("sign-out").click()
    page.context.set_offline(False)
    page.goto(url_of(live_server, "/offline/"))  # a page of ours that registers nothing
    assert page.evaluate(OUTBOX) == []
    assert page.evaluate("caches.keys()") == []
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then((r) => r.length)") == 0
    assert TimeEntry.objects.count() == 0
    assert CheckIn.objects.count() == 0


def test_the_waiting_state_passes_axe(live_server, new_page, make_user):
    """axe-core over /today/ offline with a start, a stop and a check-in waiting."""
    from playwright.sync_api import expect

    if not AXE_SCRIPT.exists():
        pytest.skip("axe-core is not installed (npm ci)")
    user, password = make_user()
    create_routine(user=user, name="Stretch", schedule=ScheduleSpec("daily"))
    page = new_page(bypass_csp=True, service_workers="allow")  # lets the test inject axe
    sign_in_in_browser(page, live_server, user.email, password)
    page.context.set_offline(True)
    start_stop_and_check_in_offline(page, "Accessible")
    expect(page.get_by_test_id("outbox")).to_be_visible()
    page.add_script_tag(path=str(AXE_SCRIPT))
    assert page.evaluate(RUN_AXE, AXE_TAGS) == []
