"""The sign-in, password-reset and account pages in real Chromium, light and dark, 1280 and
390 px wide: they fit, report no problem, and "Delete my account" looks dangerous."""

import pytest

from tests.e2e.conftest import DESKTOP, PHONE, watch_for_problems
from tests.e2e.test_accounts_browser import sign_in_in_browser, url_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SIGNED_OUT = ["/login/", "/password-reset/", "/password-reset/pr_not-a-real-one/"]


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_access_pages_fit_and_report_no_problem(
    live_server, new_page, make_user, screenshot, scheme, viewport
):
    page = new_page(viewport=viewport, color_scheme=scheme)
    problems = watch_for_problems(page)
    width = viewport["width"]
    for path in SIGNED_OUT:
        page.goto(url_of(live_server, path))
        assert _fits(page), path
        screenshot(page, f"access{path.replace('/', '-')[:-1]}-{width}-{scheme}")
    user, password = make_user()
    sign_in_in_browser(page, live_server, user.email, password)
    page.goto(url_of(live_server, "/account/"))
    assert _fits(page)
    screenshot(page, f"access-account-{width}-{scheme}")
    expected = "status of 400"  # the page for a link that does not work is a 400, on purpose
    assert [p for p in problems.all() if expected not in p] == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_delete_my_account_is_styled_as_danger(live_server, new_page, make_user, scheme):
    page = new_page(color_scheme=scheme)
    user, password = make_user()
    sign_in_in_browser(page, live_server, user.email, password)
    page.goto(url_of(live_server, "/account/"))
    background = "el => getComputedStyle(el).backgroundColor"
    delete = page.get_by_role("link", name="Delete my account…").evaluate(background)
    save = page.get_by_role("button", name="Save profile").evaluate(background)
    stop_like = page.evaluate(
        "() => { const b = document.createElement('button'); b.className = 'danger';"
        " document.body.append(b); const c = getComputedStyle(b).backgroundColor;"
        " b.remove(); return c; }"
    )
    assert delete != save
    assert delete == stop_like, "the same danger colour as every dangerous button"
