"""Accounts in a real browser (headless Debian Chromium over the live server): sign-up, sign-out,
cookies blocked, the password hint, API tokens, keyboard use and a phone-width layout."""

import re

import pytest

from tests.e2e.conftest import BROWSER_TIMEZONE, PHONE, watch_for_problems
from tests.e2e.site_client import STRONG_PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def url_of(live_server, path: str) -> str:
    return f"{live_server.url}{path}"


def path_re(live_server, path_pattern: str) -> re.Pattern[str]:
    """A URL pattern for Playwright's wait_for_url/expect: this server, then the path."""
    return re.compile("^" + re.escape(live_server.url) + path_pattern + "$")


def header(page):
    return page.get_by_role("navigation", name="Main")


def sign_in_in_browser(page, live_server, email: str, password: str) -> None:
    page.goto(url_of(live_server, "/login/"))
    page.locator('input[name="email"]').fill(email)
    page.locator('input[name="password"]').fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(path_re(live_server, "/today/"))


def test_sign_up_lands_signed_in_and_sign_out_signs_out(live_server, page, screenshot):
    from playwright.sync_api import expect

    from routinie.accounts.models import User

    page.goto(url_of(live_server, "/signup/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Create your account")
    page.locator('input[name="name"]').fill("Ana Pop")
    page.locator('input[name="email"]').fill("ana.pop@example.test")
    page.locator('input[name="password"]').fill(STRONG_PASSWORD)
    screenshot(page, "signup-filled")
    page.get_by_role("button", name="Create account").click()

    page.wait_for_url(path_re(live_server, "/today/"))  # straight to work, greeted once:
    banners = page.locator(".banner")  # the greeting and the request to confirm are one message
    expect(banners).to_have_count(1)
    expect(banners).to_contain_text("Welcome to Routinie, Ana Pop! Please confirm your e-mail")
    expect(page.locator("ul.messages")).to_have_count(0)
    expect(page.get_by_text("Welcome back")).to_have_count(0)
    expect(page.get_by_test_id("operator-identity")).to_contain_text("Wesrom Corporation")
    screenshot(page, "home-signed-in")
    user = User.objects.get()
    assert user.email == "ana.pop@example.test"
    assert user.timezone == BROWSER_TIMEZONE  # preselected from the browser by app.js
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert set(cookies) == {"csrftoken", "routinie_session"}
    for cookie in cookies.values():  # browser-session cookies, unreadable by scripts (P10)
        assert cookie["expires"] == -1, cookie["name"]
        assert cookie["httpOnly"], cookie["name"]

    header(page).get_by_test_id("sign-out").click()

    page.wait_for_url(path_re(live_server, r"/\?signed_out=1"))
    expect(header(page).get_by_role("link", name="Sign in")).to_be_visible()
    expect(page.get_by_test_id("sign-out")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("Welcome back")
    page.goto(url_of(live_server, "/account/"))
    page.wait_for_url(path_re(live_server, r"/login/\?next=/account/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


@pytest.mark.promise("P11")
def test_with_cookies_blocked_public_pages_work_and_sign_in_says_cookies_are_needed(
    live_server, cookieless_page, make_user, screenshot
):
    from playwright.sync_api import expect

    user, password = make_user(name="Ana Pop")
    page = cookieless_page
    context = page.context

    page.goto(url_of(live_server, "/"))
    assert page.evaluate("navigator.cookieEnabled") is False
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Track your time and your routines. Keep your privacy."
    )
    expect(page.get_by_test_id("operator-identity")).to_contain_text("Wesrom Corporation")
    page.goto(url_of(live_server, "/privacy/"))
    expect(page.get_by_test_id("policy-text")).to_contain_text("Routinie privacy policy")
    expect(page.get_by_test_id("policy-text")).to_contain_text("You can block cookies")
    page.goto(url_of(live_server, "/contact/"))
    expect(page.get_by_test_id("contact-identity")).to_contain_text("Wesrom Corporation")
    expect(page.get_by_test_id("contact-identity")).to_contain_text("support@wesrom.com")

    page.goto(url_of(live_server, "/login/"))
    expect(page.locator("[data-cookie-warning]")).to_be_visible()
    expect(page.locator("[data-cookie-warning]")).to_contain_text(
        "Cookies are needed to stay signed in"
    )
    assert context.cookies() == []  # the CSRF cookie the page set was refused
    page.locator('input[name="email"]').fill(user.email)
    page.locator('input[name="password"]').fill(password)
    with page.expect_response(url_of(live_server, "/login/")) as posted:
        page.get_by_role("button", name="Sign in").click()

    assert posted.value.request.method == "POST"
    assert posted.value.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Cookies are needed to stay signed in"
    )
    expect(page.get_by_test_id("cookies-needed")).to_contain_text("Please allow cookies")
    screenshot(page, "cookies-blocked-sign-in")
    assert context.cookies() == []
    expect(header(page).get_by_role("link", name="Sign in")).to_be_visible()
    expect(page.get_by_test_id("sign-out")).to_have_count(0)
    page.goto(url_of(live_server, "/account/"))
    page.wait_for_url(path_re(live_server, r"/login/\?next=/account/"))


@pytest.mark.promise("P11")
def test_blocking_cookies_in_the_browser_settings_really_refuses_every_cookie(
    live_server, cookieless_context
):
    """The fixture above is real: Chromium's own setting refuses cookies, not a test shim."""
    page = cookieless_context.pages[0] if cookieless_context.pages else None
    page = page or cookieless_context.new_page()
    requests: list[dict[str, str]] = []
    page.on("request", lambda request: requests.append(request.headers))
    page.goto(url_of(live_server, "/login/"))
    page.goto(url_of(live_server, "/login/"))
    assert cookieless_context.cookies() == []
    assert page.evaluate("document.cookie = 'probe=1; path=/'; document.cookie") == ""
    assert requests
    assert all("cookie" not in {name.lower() for name in headers} for headers in requests)


@pytest.mark.promise("P11")
def test_the_login_page_warns_at_once_when_the_browser_settings_block_cookies(
    live_server, cookieless_context
):
    from playwright.sync_api import expect

    page = cookieless_context.pages[0] if cookieless_context.pages else None
    page = page or cookieless_context.new_page()
    page.goto(url_of(live_server, "/login/"))
    assert page.evaluate("document.cookie = 'probe=1; path=/'; document.cookie") == ""
    expect(page.locator("[data-cookie-warning]")).to_be_visible(timeout=2000)


@pytest.mark.promise("P13")
def test_the_strength_hint_ticks_rules_as_typed_and_a_weak_password_is_refused_by_name(
    live_server, page, screenshot
):
    from playwright.sync_api import expect

    from routinie.accounts.models import User

    page.goto(url_of(live_server, "/signup/"))
    password = page.locator('input[name="password"]')
    length = page.locator('li[data-rule="length"]')
    digit = page.locator('li[data-rule="digit"]')
    meter = page.locator(".strength")
    label = page.locator("[data-strength-label]")
    expect(length).not_to_have_class(re.compile(r"\bmet\b"))
    expect(digit).not_to_have_class(re.compile(r"\bmet\b"))

    password.press_sequentially("abc1")
    expect(digit).to_have_class(re.compile(r"\bmet\b"))
    expect(length).not_to_have_class(re.compile(r"\bmet\b"))
    expect(label).to_have_text("Too weak")

    password.fill("")
    password.press_sequentially("abcdefgh")
    expect(length).to_have_class(re.compile(r"\bmet\b"))
    expect(digit).not_to_have_class(re.compile(r"\bmet\b"))
    expect(meter).to_have_attribute("data-score", "0")

    password.fill("")
    password.press_sequentially(STRONG_PASSWORD)
    expect(length).to_have_class(re.compile(r"\bmet\b"))
    expect(digit).to_have_class(re.compile(r"\bmet\b"))
    expect(meter).to_have_attribute("data-score", "3")
    expect(label).to_have_text("Good")
    screenshot(page, "signup-strength-hint")

    page.locator('input[name="name"]').fill("Ana Pop")
    page.locator('input[name="email"]').fill("ana@example.test")
    password.fill("no-digits-here")
    with page.expect_response(url_of(live_server, "/signup/")) as posted:
        page.get_by_role("button", name="Create account").click()

    assert posted.value.status == 422
    errors = page.get_by_test_id("password-errors")
    expect(errors).to_be_visible()
    expect(errors).to_contain_text("at least one number")
    expect(page.locator('input[name="email"]')).to_have_value("ana@example.test")
    expect(page.get_by_test_id("sign-out")).to_have_count(0)
    screenshot(page, "signup-weak-password-refused")
    assert not User.objects.exists()


@pytest.mark.promise("P12")
def test_an_api_token_made_on_the_account_page_is_shown_once(
    live_server, page, page_problems, make_user, screenshot
):
    from playwright.sync_api import expect

    from routinie.accounts.models import ApiToken

    user, password = make_user(name="Ana Pop")
    sign_in_in_browser(page, live_server, user.email, password)
    page.goto(url_of(live_server, "/account/"))
    for section in ["Profile", "Password", "Active sessions", "API tokens"]:
        expect(page.get_by_role("heading", level=2, name=section)).to_be_visible()
    expect(page.get_by_test_id("session-row")).to_have_count(1)
    expect(page.get_by_test_id("session-row")).to_contain_text("this one")
    expect(page.get_by_test_id("new-token")).to_have_count(0)

    tokens = page.locator("section#tokens")
    tokens.locator('input[name="label"]').fill("laptop script")
    with page.expect_response(url_of(live_server, "/account/tokens/")) as posted:
        tokens.get_by_role("button", name="Create token").click()

    assert posted.value.status == 201
    shown = page.get_by_test_id("new-token")
    expect(shown).to_be_visible()
    expect(shown).to_contain_text("laptop script")
    secret = shown.locator(".token-once").inner_text().strip()
    assert secret.startswith("rt_")
    assert len(secret) > 20
    screenshot(page, "account-new-token")
    stored = ApiToken.objects.get(user=user)
    assert secret not in {stored.token_hash, stored.label}

    page.goto(url_of(live_server, "/account/"))  # open the page again: the secret is gone
    expect(page.get_by_test_id("new-token")).to_have_count(0)
    assert secret not in page.content()
    expect(tokens.get_by_role("cell", name="laptop script")).to_be_visible()
    screenshot(page, "account")

    assert page_problems.all() == []


def test_the_login_page_is_usable_with_the_keyboard(live_server, page):
    from playwright.sync_api import expect

    page.goto(url_of(live_server, "/login/"))
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Skip to content")
    expect(skip).to_have_attribute("href", "#main")
    box = skip.bounding_box()
    assert box is not None
    assert box["x"] >= 0  # shown on focus, not left off-screen
    assert box["y"] >= 0

    page.keyboard.press("Enter")  # skip the header: the next Tab lands in the form
    page.keyboard.press("Tab")
    expect(page.locator('input[name="email"]')).to_be_focused()

    page.goto(url_of(live_server, "/login/"))
    focus_order: list[str] = []  # and without the skip link: through the header, then the form
    # (no post is published: the menu has no Blog link)
    for _ in range(10):
        page.keyboard.press("Tab")
        focus_order.append(
            page.evaluate("(e => e.name || e.textContent.trim())(document.activeElement)")
        )
        if focus_order[-1] == "email":
            break
    assert focus_order == ["Skip to content", "Routinie", "Sign in", "Sign up", "email"]
    expect(page.locator('input[name="email"]')).to_be_focused()


def test_a_keyboard_only_user_can_sign_in(live_server, page, make_user):
    from playwright.sync_api import expect

    user, password = make_user(name="Ana Pop")
    page.goto(url_of(live_server, "/login/"))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    expect(page.locator('input[name="password"]')).to_be_focused()
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(path_re(live_server, "/today/"))  # where signing in lands
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")


@pytest.mark.parametrize("path", ["/signup/", "/login/", "/", "/privacy/", "/contact/"])
def test_a_public_page_fits_a_phone_screen_without_sideways_scrolling(
    live_server, phone_page, screenshot, path
):
    from playwright.sync_api import expect

    page = phone_page
    problems = watch_for_problems(page)
    page.goto(url_of(live_server, path))
    expect(page.get_by_test_id("operator-identity")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} is {width}px wide on a {PHONE['width']}px screen"
    name = path.strip("/") or "home"
    screenshot(page, f"phone-{name}")
    assert problems.all() == []


def test_the_account_page_fits_a_phone_screen(live_server, phone_page, make_user, screenshot):
    from playwright.sync_api import expect

    user, password = make_user(name="Ana Pop")
    page = phone_page
    sign_in_in_browser(page, live_server, user.email, password)
    page.goto(url_of(live_server, "/account/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"/account/ is {width}px wide on a {PHONE['width']}px screen"
    screenshot(page, "phone-account")
