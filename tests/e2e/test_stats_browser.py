"""/stats/ and the staff statistics page in real Chromium: figures, charts, rules, no problems
(CSP, console), and no cookie for an anonymous visitor (P04, P05)."""

import pytest

from routinie.stats.releases import refresh_statistics
from routinie.stats.tests.people import people
from tests.e2e.conftest import PHONE, watch_for_problems
from tests.e2e.test_accounts_browser import sign_in_in_browser, url_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def platform(settings):
    """Sixty people of different habits, and a release with a generous epsilon (so this small
    platform's figures stand out from the noise for the eye)."""
    settings.STATS_EPSILON_PER_RELEASE = 10.0
    settings.STATS_EPSILON_BUDGET = 100.0
    people(25, hours=[2, 3, 1, 4], kinds=["daily"], checkins=6, projects=2)
    people(15, hours=[8, 6, 7, 5, 8], kinds=["weekdays", "times_per_week"], checkins=12, days_ago=2)
    people(12, hours=[1], kinds=["every_n_days"], checkins=1, days_ago=4)
    people(8, hours=[0.5, 0.5], days_ago=6)
    refresh_statistics()


@pytest.mark.promise("P04")
def test_the_statistics_page_shows_figures_charts_and_their_rules(
    live_server, page, platform, screenshot
):
    problems = watch_for_problems(page)
    page.goto(url_of(live_server, "/stats/"))
    headline = page.get_by_test_id("headline-active_people")
    assert "people actively use Routinie" in headline.inner_text()
    assert int(page.get_by_test_id("value-active_people").inner_text().replace(",", "")) >= 20
    assert "Fewer than 10 people: not shown." in headline.text_content()
    assert page.get_by_test_id("chart-hours_by_weekday").is_visible()
    assert page.get_by_test_id("chart-active_days").locator("rect.bar").count() >= 1
    assert page.get_by_test_id("chart-routine_kinds").is_visible()
    assert "at least one time entry" in page.get_by_test_id("active-definition").inner_text()
    assert page.get_by_test_id("ledger").is_visible()
    assert page.context.cookies() == []
    screenshot(page, "stats-public")
    assert problems.all() == []


def test_the_statistics_page_fits_a_phone(live_server, new_page, platform, screenshot):
    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    phone.goto(url_of(live_server, "/stats/"))
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    screenshot(phone, "stats-public-phone")


@pytest.mark.promise("P05")
def test_staff_see_distributions_in_the_browser(live_server, page, platform, make_user, screenshot):
    staff, password = make_user(name="Sam Staff", email="sam@example.test", staff=True)
    refresh_statistics()  # Sam counts too
    problems = watch_for_problems(page)
    sign_in_in_browser(page, live_server, staff.email, password)
    page.goto(url_of(live_server, "/stats/staff/"))
    assert page.get_by_role("heading", name="Statistics for staff").is_visible()
    assert page.get_by_test_id("distribution-entries_30d").locator("rect.bar").count() >= 1
    assert page.get_by_test_id("percentiles").first.is_visible()
    screenshot(page, "stats-staff")
    assert problems.all() == []
