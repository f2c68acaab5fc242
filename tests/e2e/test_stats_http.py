"""Statistics over a live server: the public page and API, the staff page, erasure (P04, P05)."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from routinie.stats.models import KeyFigures
from routinie.stats.pseudonyms import pseudonym_of
from routinie.stats.releases import refresh_statistics
from routinie.stats.staff_figures import BUCKETS
from routinie.stats.tests.people import people, person
from tests.e2e.site_client import STRONG_PASSWORD, api_sign_up, api_token

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def no_noise(settings):
    """So much epsilon that the noise is (almost surely) zero: what shows is what k lets
    through, and exact numbers can be asserted."""
    settings.STATS_EPSILON_PER_RELEASE = 1000.0
    settings.STATS_EPSILON_BUDGET = 100000.0


def _kind(api: dict, key: str) -> dict:
    [figure] = [f for f in api["figures"] if f["name"] == "routine_kinds"]
    [value] = [v for v in figure["values"] if v["key"] == key]
    return value


def _page_row(html: str, label: str) -> str:
    match = re.search(rf"<th scope=\"row\">{label}</th><td class=\"num\">(.*?)</td>", html)
    assert match, label
    return match.group(1)


@pytest.mark.promise("P04")
def test_a_group_of_k_minus_1_is_not_published_and_a_group_of_k_is(site, no_noise):
    people(20, hours=[2], kinds=["daily"], checkins=2)
    people(9, hours=[1], kinds=["every_n_days"])
    refresh_statistics(release_now=True)
    web = site()
    api = web.get("/api/v1/public/stats").json()
    assert api["k"] == 10
    assert _kind(api, "every_n_days") == {
        "key": "every_n_days",
        "label": "Every few days",
        "value": None,
        "withheld": "k",
    }
    assert _kind(api, "daily")["value"] == 20
    page = web.get("/stats/").text
    assert "not shown: fewer than 10 people" in _page_row(page, "Every few days")
    assert _page_row(page, "Every day") == "20"

    person(hours=[1], kinds=["every_n_days"])
    refresh_statistics(release_now=True)
    api = web.get("/api/v1/public/stats").json()
    assert _kind(api, "every_n_days")["value"] == 10
    assert _page_row(web.get("/stats/").text, "Every few days") == "10"


@pytest.mark.promise("P04")
def test_the_public_figures_state_the_rules_that_made_them(site, settings):
    settings.STATS_EPSILON_PER_RELEASE = 1.0
    people(30, hours=[3, 2], kinds=["daily"], checkins=4)
    refresh_statistics()
    web = site()
    api = web.get("/api/v1/public/stats").json()
    assert api["epsilon"] == 1.0
    assert api["budget"]["spent_in_window"] == 1.0
    assert "at least one time entry" in api["active_definition"]
    names = [f["name"] for f in api["figures"]]
    assert names == [
        "active_people",
        "hours_30d",
        "routine_kinds",
        "hours_by_weekday",
        "active_days",
    ]
    for figure in api["figures"]:
        assert figure["epsilon"] == pytest.approx(0.2)
        assert figure["noise_scale"] > 0
        assert figure["sensitivity"] > 0
        assert "Fewer than 10 people: not shown." in figure["rule_text"]
    headline = api["figures"][0]
    assert headline["margin"] > 0
    assert "rounded down" in headline["rule"]
    page = web.get("/stats/").text
    assert api["active_definition"] in page
    assert "OpenDP" in page
    assert "ε spent" in page
    assert page.count('data-testid="chart-') >= 2  # the SVG charts


@pytest.mark.promise("P04")
def test_reloading_shows_the_same_noisy_numbers(site):
    people(15, hours=[4], kinds=["weekdays"], checkins=1)
    refresh_statistics()
    web = site()
    first, second = web.get("/api/v1/public/stats").json(), web.get("/api/v1/public/stats").json()
    assert first["figures"] == second["figures"]


@pytest.mark.promise("P11")
def test_the_public_statistics_set_no_cookie(site):
    people(3, hours=[1])
    refresh_statistics()
    web = site()
    for path in ("/stats/", "/api/v1/public/stats"):
        response = web.get(path)
        assert response.status_code == 200
        assert "set-cookie" not in response.headers
    assert not web.http.cookies


def test_before_any_release_the_page_says_so_honestly(site):
    web = site()
    page = web.get("/stats/")
    assert page.status_code == 200
    assert "No figures published yet" in page.text
    api = web.get("/api/v1/public/stats").json()
    assert api["released_at"] is None
    assert api["figures"] == []


def _staff_client(site, make_user, staff: bool):
    user, password = make_user(name="Sam Staff", email=f"sam-{staff}@example.test", staff=staff)
    web = site()
    assert web.sign_in(user.email, password).status_code == 302  # signed in: the 404 is for them
    return web


@pytest.mark.promise("P05")
def test_the_staff_page_is_a_404_for_anyone_but_staff(site, make_user):
    assert site().get("/stats/staff/").status_code == 404
    assert _staff_client(site, make_user, staff=False).get("/stats/staff/").status_code == 404


def _distribution_rows(html: str, name: str) -> int:
    section = html.split(f'data-testid="distribution-{name}"', 1)[1].split("</section>", 1)[0]
    table = section.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return table.count("<tr>")


@pytest.mark.promise("P05")
def test_the_staff_page_shows_distributions_never_a_row_per_account(site, make_user):
    crowd = people(12, hours=[1], checkins=1, kinds=["daily"])
    refresh_statistics()
    staff = _staff_client(site, make_user, staff=True)
    small = staff.get("/stats/staff/")
    assert small.status_code == 200
    assert "Time entries, last 30 days" in small.text

    crowd += people(40, hours=[1, 1, 1], checkins=5, kinds=["weekdays"])
    refresh_statistics()
    large = staff.get("/stats/staff/").text
    for html in (small.text, large):
        # One row per range, however many accounts: 13 accounts or 53.
        assert _distribution_rows(html, "entries_total") == len(BUCKETS)
        assert _distribution_rows(html, "seconds_30d") == len(BUCKETS)
        for someone in crowd[:5] + crowd[-5:]:
            assert someone.name not in html
            assert someone.email not in html
            assert pseudonym_of(someone.pk) not in html
            assert str(someone.pk) not in html
    assert "Sam Staff" not in large.split("<main", 1)[1].split("</main>", 1)[0]
    assert re.search(r"Median: <strong>\d+</strong>", large)  # 53 accounts: percentiles show


@pytest.mark.promise("P05")
def test_deleting_the_account_over_the_api_deletes_its_key_figures(site):
    web = site()
    api_sign_up(web, "Ana", "ana@example.test")
    token = api_token(web, "ana@example.test")
    start = datetime.now(UTC) - timedelta(days=1)
    created = web.api(
        "POST",
        "/time-entries",
        token=token,
        json={"start": start.isoformat(), "end": (start + timedelta(hours=1)).isoformat()},
    )
    assert created.status_code == 201, created.text
    refresh_statistics()
    me = web.api("GET", "/me", token=token).json()
    row = KeyFigures.objects.get(pseudonym=pseudonym_of(me["id"]))
    assert row.entries_total == 1
    assert row.seconds_total == 3600
    assert (
        web.api("DELETE", "/me", token=token, json={"password": STRONG_PASSWORD}).status_code == 204
    )
    assert not KeyFigures.objects.filter(pseudonym=row.pseudonym).exists()
