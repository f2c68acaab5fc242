"""Two-factor sign-in in a real browser (headless Debian Chromium over the live server): turning it
on from /account/ (the key shown, a code from pyotp, the recovery codes shown once and downloaded
as a .txt), then signing in in two steps; axe over the new pages in light and dark."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import pytest
import time_machine
from django.utils import timezone

from tests.e2e.conftest import watch_for_problems
from tests.e2e.test_accessibility_browser import AXE_SCRIPT, AXE_TAGS, RUN_AXE, axe_source
from tests.personas import PASSWORD
from tests.plugin import require

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
STEP = timedelta(seconds=30)


def frozen_clock() -> time_machine.travel:
    """The clock stopped at the start of a 30-second step (for the server's thread too): a code
    changes only when the test moves the clock, never because a real step ended mid-test."""
    step_start = int(timezone.now().timestamp()) // 30 * 30
    return time_machine.travel(datetime.fromtimestamp(step_start, UTC), tick=False)


def at(live_server, path_pattern: str) -> re.Pattern[str]:
    return re.compile("^" + re.escape(live_server.url) + path_pattern + "$")


def axe_violations(page) -> list[str]:
    page.add_script_tag(content=axe_source())
    found = page.evaluate(RUN_AXE, AXE_TAGS)
    return [f"{v['id']}: {v['help']} ({v['target']})" for v in found]


def sign_in_first_step(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.locator('input[name="email"]').fill(email)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.promise("P12")
def test_turn_on_from_the_account_page_then_sign_in_in_two_steps(
    live_server, new_page, make_user, screenshot
):
    from playwright.sync_api import expect

    require(AXE_SCRIPT.exists(), "axe-core is not installed: run `make install`")
    user, _ = make_user(name="Ana Pop")
    page = new_page(bypass_csp=True)  # only so that axe can be injected; the CSP is unchanged
    problems = watch_for_problems(page)
    with frozen_clock() as clock:
        sign_in_first_step(page, live_server, user.email)
        page.wait_for_url(at(live_server, "/today/"))
        page.goto(f"{live_server.url}/account/")
        expect(page.get_by_test_id("two-factor-card")).to_contain_text("Off.")
        page.get_by_role("link", name="Turn on two-factor sign-in").click()
        page.wait_for_url(at(live_server, "/account/two-factor/"))
        page.get_by_label("Your password").fill(PASSWORD)
        page.get_by_role("button", name="Set up two-factor sign-in").click()

        secret_shown = page.get_by_test_id("two-factor-secret")
        expect(secret_shown).to_be_visible()
        grouped = secret_shown.inner_text()
        assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", grouped), grouped
        totp = pyotp.TOTP(grouped.replace(" ", ""))
        uri = page.get_by_test_id("otpauth-uri").inner_text()
        assert pyotp.parse_uri(uri).secret == totp.secret
        assert axe_violations(page) == []
        screenshot(page, "two-factor-setup")
        page.get_by_label("The 6-digit code your app shows").fill(totp.now())
        page.get_by_role("button", name="Turn two-factor sign-in on").click()

        codes_list = page.get_by_test_id("recovery-codes").locator("li")
        expect(codes_list).to_have_count(10)
        codes = [c.strip() for c in codes_list.all_inner_texts()]
        assert axe_violations(page) == []
        screenshot(page, "two-factor-recovery-codes")
        with page.expect_download() as waiting:
            page.get_by_role("link", name="Download them as a .txt file").click()
        download = waiting.value
        assert download.suggested_filename == "routinie-recovery-codes.txt"
        saved = Path(download.path()).read_text(encoding="utf-8").split()
        assert all(code in saved for code in codes)

        page.get_by_role("link", name="Done: back to your account").click()
        expect(page.get_by_test_id("two-factor-card")).to_contain_text("10 recovery codes left")
        page.goto(f"{live_server.url}/account/two-factor/")  # the codes are never shown again
        assert not any(code in page.content() for code in codes)

        page.get_by_test_id("sign-out").first.click()
        page.wait_for_url(at(live_server, r"/\?signed_out=1"))

        sign_in_first_step(page, live_server, user.email)
        page.wait_for_url(at(live_server, "/login/code/"))
        expect(page.get_by_role("heading", level=1)).to_contain_text("two-factor code")
        half_cookie = next(c for c in page.context.cookies() if c["name"] == "routinie_session")
        assert axe_violations(page) == []
        screenshot(page, "sign-in-second-step")
        page.goto(f"{live_server.url}/today/")  # half signed in: nothing to see
        page.wait_for_url(at(live_server, r"/login/\?next=/today/"))
        page.goto(f"{live_server.url}/login/code/")
        page.get_by_label("Two-factor code").fill(totp.now())  # used to confirm: refused
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("alert")).to_contain_text("not right")
        clock.shift(STEP)
        page.get_by_label("Two-factor code").fill(totp.now())
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(at(live_server, "/today/"))
        signed_in = next(c for c in page.context.cookies() if c["name"] == "routinie_session")
        assert signed_in["value"] != half_cookie["value"]
    # The one answer that is not a success is the refused replay (a 422 with the form).
    assert [p for p in problems.all() if "status of 422" not in p] == []


@pytest.mark.promise("P12")
def test_a_recovery_code_signs_in_once_and_confirm_it_is_you_in_dark(
    live_server, new_page, make_user
):
    from playwright.sync_api import expect

    from routinie.accounts import two_factor

    require(AXE_SCRIPT.exists(), "axe-core is not installed: run `make install`")
    user, _ = make_user()
    with frozen_clock() as clock:
        setup = two_factor.begin(user=user, password=PASSWORD)
        codes = two_factor.confirm(user=user, code=pyotp.TOTP(setup.secret).now())
        page = new_page(bypass_csp=True, color_scheme="dark")
        sign_in_first_step(page, live_server, user.email)
        page.wait_for_url(at(live_server, "/login/code/"))
        assert axe_violations(page) == []
        page.get_by_label("Two-factor code").fill(codes[0])
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(at(live_server, "/today/"))

        clock.shift(timedelta(minutes=11))
        page.goto(f"{live_server.url}/account/")
        page.get_by_test_id("export-start").click()  # htmx: sent to the confirmation page
        page.wait_for_url(at(live_server, r"/account/confirm/\?next=%2Faccount%2F%23export"))
        page.goto(f"{live_server.url}/account/delete/")
        page.wait_for_url(at(live_server, r"/account/confirm/\?next=%2Faccount%2Fdelete%2F"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it's you")
        assert axe_violations(page) == []
        page.get_by_label("Your password").fill(PASSWORD)
        page.get_by_label("Two-factor code").fill(codes[0])  # used: refused
        page.get_by_role("button", name="Confirm").click()
        expect(page.locator(".errorlist")).to_contain_text("not right")
        page.get_by_label("Your password").fill(PASSWORD)
        page.get_by_label("Two-factor code").fill(codes[1])
        page.get_by_role("button", name="Confirm").click()
        page.wait_for_url(at(live_server, "/account/delete/"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Delete your account")
