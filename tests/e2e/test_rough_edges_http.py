"""Rough edges of day one (issue 13, item 12): addresses typed or reloaded answer 200 or
redirect, the favicon is served, and the time zone is searched and still checked."""

import pytest

from tests.e2e.site_client import Site

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(site, make_user) -> tuple[Site, object, str]:
    user, password = make_user()
    web = site()
    assert web.sign_in(user.email, password).status_code == 302
    return web, user, password


def test_reloading_the_token_address_goes_back_to_the_account_page(site, make_user):
    web, _user, _ = signed_in(site, make_user)
    created = web.submit("/account/", "/account/tokens/", {"label": "laptop"})
    assert created.status_code == 201
    reloaded = web.get("/account/tokens/")
    assert reloaded.status_code == 302
    assert reloaded.headers["location"] == "/account/#tokens"
    assert site().get("/account/tokens/").headers["location"].startswith("/login/")


@pytest.mark.parametrize("path", ["/account/tokens/", "/privacy/changes/"])
def test_an_address_typed_alone_is_never_a_400_or_405(site, make_user, path):
    web, _user, _ = signed_in(site, make_user)
    response = web.get(path)
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        assert web.get(response.headers["location"]).status_code == 200


def test_the_favicon_is_served(site):
    web = site()
    response = web.get("/favicon.ico")
    assert response.status_code == 302
    icon = web.get(response.headers["location"])
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in icon.content


def test_the_time_zone_is_searched_in_a_list_and_checked_by_the_server(site, make_user):
    web, user, _ = signed_in(site, make_user)
    page = web.get("/account/").text
    assert 'list="timezone-list"' in page
    assert '<datalist id="timezone-list">' in page
    assert '<option value="Europe/Bucharest">Europe · Bucharest · UTC+0' in page
    assert page.count("<option value=") >= 400
    profile = {"name": user.name, "email": user.email, "week_start": "0"}

    typed = web.submit(
        "/account/", "/account/profile/", {**profile, "timezone": "america/new york"}
    )
    assert typed.status_code == 302
    user.refresh_from_db()
    assert user.timezone == "America/New_York"

    wrong = web.submit("/account/", "/account/profile/", {**profile, "timezone": "Mars/Olympus"})
    assert wrong.status_code == 422
    assert "is not a time zone we know" in wrong.text
    user.refresh_from_db()
    assert user.timezone == "America/New_York"


def test_delete_my_account_looks_dangerous(site, make_user):
    web, _user, _ = signed_in(site, make_user)
    page = web.get("/account/").text
    assert 'class="button danger-button" href="/account/delete/"' in page
    css = web.get("/static/routinie/css/app.css").text
    assert ".button.danger-button" in css
