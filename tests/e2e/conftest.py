import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require
from tests.e2e.site_client import Site

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# A fixed browser time zone, so the sign-up's time-zone preselection is deterministic.
BROWSER_TIMEZONE = "Europe/Bucharest"
REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"


@pytest.fixture
def site(live_server: object) -> Iterator[Callable[..., Site]]:
    """Open independent clients (each its own cookie jar) against the live server."""
    opened: list[Site] = []

    def open_site(**kwargs: object) -> Site:
        client = Site(live_server.url, **kwargs)  # type: ignore[attr-defined]
        opened.append(client)
        return client

    yield open_site
    for client in opened:
        client.close()


# --- A real Chromium (Debian's), driven by Playwright -----------------------------------------
@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Debian Chromium for the whole run; never a downloaded browser."""
    require(CHROMIUM.exists(), "Debian chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium: Any) -> Iterator[Callable[..., Any]]:
    """Open pages, each in its own fresh context (own cookies); all closed after the test."""
    contexts: list[Any] = []

    def open_page(viewport: dict[str, int] | None = None, **options: Any) -> Any:
        options.setdefault("timezone_id", BROWSER_TIMEZONE)
        # The service worker's own fetches (the app shell, /today/) run beside the test's
        # database writes, and the suite's in-memory SQLite locks a table read by one thread
        # while another writes it: only the tests of the installable app let it register
        # (`service_workers="allow"`, tests/e2e/test_offline_browser.py).
        options.setdefault("service_workers", "block")
        context = chromium.new_context(viewport=viewport or DESKTOP, **options)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    """A desktop-sized page (1280x800) in a fresh browser context."""
    return new_page()


@pytest.fixture
def phone_page(new_page: Callable[..., Any]) -> Any:
    """A phone-sized page (390x844) in a fresh browser context."""
    return new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)


@pytest.fixture
def screenshot() -> Callable[[Any, str], Path]:
    """Save a full-page screenshot as test-artifacts/screenshots/<name>.png (gitignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@dataclass
class PageProblems:
    """What a page reported while the test ran: console errors, uncaught errors, CSP refusals."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)

    def all(self) -> list[str]:
        return self.console_errors + self.page_errors + self.csp_violations


# Installed by the browser itself (not subject to the page's CSP) before any page script runs.
_REPORT_CSP = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__reportCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"}`
    + ` on ${e.documentURI}`);
});
"""


def watch_for_problems(page: Any) -> PageProblems:
    """Record a page's console errors, uncaught errors and CSP violations, across navigations."""
    problems = PageProblems()
    page.on(
        "console",
        lambda msg: (
            problems.console_errors.append(f"{msg.text} ({msg.location.get('url', '')})")
            if msg.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.page_errors.append(str(error)))
    page.expose_function(
        "__reportCspViolation", lambda violation: problems.csp_violations.append(violation)
    )
    page.add_init_script(_REPORT_CSP)
    return problems


@pytest.fixture
def page_problems(page: Any) -> PageProblems:
    """Problems reported by `page`; attach before the first navigation."""
    return watch_for_problems(page)


# --- A browser whose cookies are really blocked (P11) -----------------------------------------
BLOCK_ALL_COOKIES = {"profile": {"default_content_setting_values": {"cookies": 2}}}


@pytest.fixture
def cookieless_context(chromium: Any, tmp_path: Path) -> Iterator[Any]:
    """A browser profile with the content setting "block all cookies", as a user would set it.

    Chromium then neither stores a cookie it receives nor sends one, and document.cookie stays
    empty. It is a persistent context: a profile's preferences are the only way to give
    Chromium that setting (a plain `new_context` cannot).
    """
    profile = tmp_path / "chromium-profile"
    (profile / "Default").mkdir(parents=True)
    (profile / "Default" / "Preferences").write_text(json.dumps(BLOCK_ALL_COOKIES))
    context = chromium.browser_type.launch_persistent_context(
        str(profile),
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        viewport=DESKTOP,
        timezone_id=BROWSER_TIMEZONE,
    )
    yield context
    context.close()


def report_cookies_disabled(page: Any) -> None:
    """Make `navigator.cookieEnabled` read false on this page, as when cookies are turned off.

    Headless Chromium 156 still answers `navigator.cookieEnabled === true` under "block all
    cookies" (while really refusing every cookie); DevTools' Emulation.setDocumentCookieDisabled
    makes the page report it. It lasts across navigations of the page.
    """
    page.context.new_cdp_session(page).send(
        "Emulation.setDocumentCookieDisabled", {"disabled": True}
    )


@pytest.fixture
def cookieless_page(cookieless_context: Any) -> Any:
    """A page of the cookie-blocking profile that also reports cookies as disabled."""
    pages = cookieless_context.pages
    page = pages[0] if pages else cookieless_context.new_page()
    report_cookies_disabled(page)
    return page


def settled(page: Any) -> None:
    """Wait until htmx has settled the last swap: the new buttons are wired only then (a key
    pressed before would send the plain form, as without JavaScript)."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )
