"""Signing in (api.md, "Additions (second round)"): "Stay signed in on this device" (30 days,
declared in the cookie inventory), and where signing in lands."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from routinie.privacy.cookies import by_name
from tests.e2e.site_client import Site

pytestmark = pytest.mark.django_db(transaction=True)
THIRTY_DAYS = 30 * 86400


def sign_in(web: Site, email: str, password: str, **extra: str):
    return web.submit("/login/", "/login/", {"email": email, "password": password, **extra})


def session_cookie_header(response) -> str:
    (header,) = [
        h
        for h in response.headers.get_list("set-cookie")
        if h.startswith(settings.SESSION_COOKIE_NAME + "=")
    ]
    return header.lower()


def test_the_sign_in_form_offers_to_stay_signed_in(site):
    page = site().get("/login/")
    assert 'type="checkbox" name="remember"' in page.text
    assert "Stay signed in on this device" in page.text


@pytest.mark.promise("P14")
def test_staying_signed_in_lasts_thirty_days_idle_or_not(site, make_user):
    user, password = make_user()
    web = site()
    with time_machine.travel(timezone.now(), tick=True) as clock:
        response = sign_in(web, user.email, password, remember="on")
        assert response.status_code == 302
        assert f"max-age={THIRTY_DAYS}" in session_cookie_header(response)
        clock.shift(timedelta(days=3))  # the browser was closed; the cookie is kept
        assert web.is_signed_in(), "no 2-hour idle limit when staying signed in"
        clock.shift(timedelta(days=26, hours=23))
        assert web.is_signed_in()
        clock.shift(timedelta(hours=2))
        assert not web.is_signed_in(), "30 days from sign-in at most"


@pytest.mark.promise("P14")
def test_unticked_the_cookie_ends_with_the_browser_and_the_idle_limit_holds(site, make_user):
    user, password = make_user()
    web = site()
    with time_machine.travel(timezone.now(), tick=True) as clock:
        response = sign_in(web, user.email, password)
        header = session_cookie_header(response)
        assert "max-age" not in header
        assert "expires" not in header
        clock.shift(timedelta(minutes=121))
        assert not web.is_signed_in()


@pytest.mark.promise("P14")
def test_a_shared_computer_never_stays_signed_in(site, make_user):
    user, password = make_user()
    web = site()
    with time_machine.travel(timezone.now(), tick=True) as clock:
        response = sign_in(web, user.email, password, remember="on", shared_computer="on")
        assert "max-age" not in session_cookie_header(response)
        clock.shift(timedelta(minutes=16))
        assert not web.is_signed_in()


@pytest.mark.promise("P10")
def test_the_cookie_inventory_says_so(site):
    session = by_name()[settings.SESSION_COOKIE_NAME]
    assert "30 days" in session.lifetime
    assert "Stay signed in on this device" in session.lifetime
    assert "30 days" in site().get("/cookies/").text


def test_signing_in_without_next_lands_on_today_and_with_next_comes_back(site, make_user):
    user, password = make_user()
    assert sign_in(site(), user.email, password).headers["location"] == "/today/"
    back = sign_in(site(), user.email, password, next="/reports/?week=1")
    assert back.headers["location"] == "/reports/?week=1"
    away = sign_in(site(), user.email, password, next="https://evil.example/")
    assert away.headers["location"] == "/today/"


def test_an_htmx_request_after_the_session_ended_is_a_401_not_a_sign_in_page(site, make_user):
    from routinie.accounts.models import UserSession

    user, password = make_user()
    web = site()
    sign_in(web, user.email, password)
    token = web.csrf_from("/today/")
    UserSession.objects.filter(user=user).delete()
    htmx = {"HX-Request": "true", "X-CSRFToken": token}
    stop = web.http.post("/today/timer/", data={"action": "stop"}, headers=htmx)
    assert stop.status_code == 401
    assert "session ended" in stop.text
    plain = web.http.post("/today/timer/", data={"action": "stop", "csrfmiddlewaretoken": token})
    assert plain.status_code == 302, "a page's own form still leads to sign-in"
    assert plain.headers["location"].startswith("/login/?next=")
    never_signed_in = site().http.post("/today/timer/", headers={"HX-Request": "true"})
    assert never_signed_in.status_code == 403, "no session cookie: a plain CSRF refusal"
