"""Two-factor sign-in over a live server (api.md, "Hardening"): pyotp, an independent RFC 6238
implementation, computes every code, so the server's codes are what any authenticator app makes.

The clock is stopped and moved with time-machine (the live server's thread sees it too): a code
is accepted once per 30-second step, so each test steps the clock to get a fresh one.
"""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pyotp
import pytest
import time_machine
from django.utils import timezone

from routinie.accounts.models import RecoveryCode, TwoFactor
from tests.e2e.site_client import Site, api_token
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)
STEP = timedelta(seconds=30)


def frozen_clock() -> time_machine.travel:
    """The clock stopped at the start of a 30-second step (for the server's thread too): a code
    changes only when the test moves the clock, never because a real step ended mid-test."""
    step_start = int(timezone.now().timestamp()) // 30 * 30
    return time_machine.travel(datetime.fromtimestamp(step_start, UTC), tick=False)


def _token(web: Site, email: str, otp: str | None = None):
    body = {"email": email, "password": PASSWORD, "label": "script"}
    if otp is not None:
        body["otp"] = otp
    return web.api("POST", "/auth/tokens", json=body)


def _turn_on(web: Site, token: str) -> tuple[pyotp.TOTP, list[str]]:
    setup = web.api("POST", "/me/2fa", token=token, json={"password": PASSWORD})
    assert setup.status_code == 200, setup.text
    totp = pyotp.TOTP(setup.json()["secret"])
    confirmed = web.api("POST", "/me/2fa/confirm", token=token, json={"code": totp.now()})
    assert confirmed.status_code == 200, confirmed.text
    return totp, confirmed.json()["recovery_codes"]


@pytest.mark.promise("P12")
def test_turning_on_through_the_api_then_a_token_needs_the_code(site, make_user):
    user, _ = make_user()
    web = site()
    token = api_token(web, user.email)
    with frozen_clock() as clock:
        assert web.api("POST", "/me/2fa", token=token, json={"password": "nope"}).status_code == 422
        setup = web.api("POST", "/me/2fa", token=token, json={"password": PASSWORD})
        assert setup.status_code == 200, setup.text
        body = setup.json()
        assert set(body) == {"secret", "otpauth_uri"}
        uri = urlparse(body["otpauth_uri"])
        query = parse_qs(uri.query)
        assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
        assert query["secret"] == [body["secret"]]
        assert query["issuer"] == ["Routinie"]
        parsed = pyotp.parse_uri(body["otpauth_uri"])
        assert (parsed.digits, parsed.interval, parsed.digest().name) == (6, 30, "sha1")

        assert _token(web, user.email).status_code == 201, "not active before it is confirmed"
        wrong = web.api("POST", "/me/2fa/confirm", token=token, json={"code": "000000"})
        assert wrong.status_code == 422
        assert wrong.json()["errors"][0]["field"] == "code"
        assert _token(web, user.email).status_code == 201, "a wrong code turned nothing on"

        totp = pyotp.TOTP(body["secret"])
        confirmed = web.api("POST", "/me/2fa/confirm", token=token, json={"code": totp.now()})
        assert confirmed.status_code == 200, confirmed.text
        codes = confirmed.json()["recovery_codes"]
        assert len(codes) == 10
        assert len(set(codes)) == 10

        without = _token(web, user.email)
        assert without.status_code == 401
        assert "code is needed" in without.json()["detail"]
        assert _token(web, user.email, otp="123456").status_code == 401
        clock.shift(STEP)
        made = _token(web, user.email, otp=totp.now())
        assert made.status_code == 201, made.text
        assert web.api("GET", "/me", token=made.json()["token"]).status_code == 200


@pytest.mark.promise("P12")
def test_a_code_is_accepted_once_and_a_recovery_code_once(site, make_user):
    user, _ = make_user()
    web = site()
    with frozen_clock() as clock:
        totp, codes = _turn_on(web, api_token(web, user.email))
        used_to_confirm = totp.now()
        assert _token(web, user.email, otp=used_to_confirm).status_code == 401, "replayed"
        clock.shift(STEP)
        fresh = totp.now()
        assert _token(web, user.email, otp=fresh).status_code == 201
        assert _token(web, user.email, otp=fresh).status_code == 401, "replayed"

        assert _token(web, user.email, otp=codes[0]).status_code == 201
        assert _token(web, user.email, otp=codes[0]).status_code == 401, "a recovery code twice"
        spaced = codes[1].upper().replace("-", " ")
        assert _token(web, user.email, otp=spaced).status_code == 201
    assert RecoveryCode.objects.filter(user=user).count() == 8
    stored = list(RecoveryCode.objects.filter(user=user).values_list("code_hash", flat=True))
    assert not any(code.replace("-", "") in h or code in h for code in codes for h in stored)


@pytest.mark.promise("P12")
def test_wrong_codes_are_throttled_per_account(site, make_user):
    user, _ = make_user()
    web = site()
    with frozen_clock() as clock:
        totp, _codes = _turn_on(web, api_token(web, user.email))
        clock.shift(STEP)
        for attempt in range(5):
            assert _token(web, user.email, otp=f"00000{attempt}").status_code == 401
        refused = _token(web, user.email, otp=totp.now())
        assert refused.status_code == 429, "the limit holds even for a right code"
        assert int(refused.headers["retry-after"]) > 0
        other = site()  # another client: the limit is the account's
        assert _token(other, user.email, otp=totp.now()).status_code == 429


def test_turning_off_takes_the_password_and_a_code(site, make_user):
    user, _ = make_user()
    web = site()
    with frozen_clock() as clock:
        token = api_token(web, user.email)
        totp, codes = _turn_on(web, token)
        clock.shift(STEP)
        wrong = web.api("DELETE", "/me/2fa", token=token, json={"password": "x", "code": "1"})
        assert wrong.status_code == 422
        assert (
            web.api("DELETE", "/me/2fa", token=token, json={"password": PASSWORD}).status_code
            == 422
        )
        assert TwoFactor.objects.filter(user=user).exists()
        off = web.api(
            "DELETE", "/me/2fa", token=token, json={"password": PASSWORD, "code": totp.now()}
        )
        assert off.status_code == 204
    assert not TwoFactor.objects.filter(user=user).exists()
    assert not RecoveryCode.objects.filter(user=user).exists()
    assert _token(web, user.email).status_code == 201
    again = web.api("DELETE", "/me/2fa", token=token, json={"password": PASSWORD, "code": codes[0]})
    assert again.status_code == 409


def _first_step(web: Site, email: str, **extra: str):
    return web.submit("/login/", "/login/", {"email": email, "password": PASSWORD, **extra})


@pytest.mark.promise("P12")
def test_the_sign_in_page_asks_for_the_code_and_the_first_step_grants_nothing(site, make_user):
    user, _ = make_user()
    web = site()
    with frozen_clock() as clock:
        totp, codes = _turn_on(web, api_token(web, user.email))
        clock.shift(STEP)
        first = _first_step(web, user.email, next="/reports/")
        assert first.status_code == 302
        assert first.headers["location"] == "/login/code/"
        half_cookie = web.session_cookie()
        assert half_cookie
        assert web.get("/today/").status_code == 302, "half signed in: no page"
        assert web.get("/account/").headers["location"].startswith("/login/")
        assert web.api("GET", "/me").status_code == 401, "half signed in: no API"

        form = web.get("/login/code/")
        assert form.status_code == 200
        assert 'name="code"' in form.text
        wrong = web.submit("/login/code/", "/login/code/", {"code": "000000"})
        assert wrong.status_code == 422
        assert "not right" in wrong.text
        assert not web.is_signed_in()
        done = web.submit("/login/code/", "/login/code/", {"code": totp.now()})
        assert done.status_code == 302
        assert done.headers["location"] == "/reports/"
        assert web.session_cookie() != half_cookie, "the session id rotates on sign-in"
        assert web.is_signed_in()

        other = site()  # a recovery code works in the second step too, once
        assert _first_step(other, user.email).status_code == 302
        assert other.submit("/login/code/", "/login/code/", {"code": codes[3]}).status_code == 302
        assert other.is_signed_in()
        third = site()
        assert _first_step(third, user.email).status_code == 302
        assert third.submit("/login/code/", "/login/code/", {"code": codes[3]}).status_code == 422


@pytest.mark.promise("P12")
def test_the_half_signed_in_state_expires_after_five_minutes(site, make_user):
    user, _ = make_user()
    web = site()
    with frozen_clock() as clock:
        totp, _codes = _turn_on(web, api_token(web, user.email))
        assert _first_step(web, user.email).status_code == 302
        csrf = web.csrf_from("/login/code/")  # the form opened in time, sent too late
        clock.shift(timedelta(minutes=5, seconds=30))
        late = web.http.post("/login/code/", data={"csrfmiddlewaretoken": csrf, "code": totp.now()})
        assert late.status_code == 302
        assert late.headers["location"] == "/login/"
        assert not web.is_signed_in()
        assert "took too long" in web.get("/login/").text


def test_without_two_factor_signing_in_is_one_step(site, make_user):
    user, _ = make_user()
    web = site()
    response = _first_step(web, user.email)
    assert response.headers["location"] == "/today/"
    assert web.get("/login/code/").headers["location"] == "/login/"
    stranger = site()  # the address typed, no first step: just the sign-in form, no message
    assert stranger.get("/login/code/").headers["location"] == "/login/"
    assert "took too long" not in stranger.get("/login/").text


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.mark.promise("P14")
def test_sensitive_pages_ask_to_confirm_it_is_you_after_ten_minutes(site, make_user):
    user, _ = make_user()
    web = site()
    with frozen_clock() as clock:
        token = api_token(web, user.email)
        assert web.sign_in(user.email).status_code == 302
        assert web.get("/account/delete/").status_code == 200, "just signed in: no question"
        clock.shift(timedelta(minutes=11))
        asked = web.get("/account/delete/")
        assert asked.status_code == 302
        assert asked.headers["location"] == "/account/confirm/?next=%2Faccount%2Fdelete%2F"
        for action in ("/account/export/", "/account/password/"):
            posted = web.submit("/account/", action, {})
            assert posted.status_code == 302, action
            assert posted.headers["location"].startswith("/account/confirm/?next="), action
        email_change = web.submit(
            "/account/",
            "/account/profile/",
            {
                "name": "Ana",
                "email": "new@example.test",
                "timezone": "UTC",
                "week_start": "0",
                "current_password": PASSWORD,
            },
        )
        assert email_change.headers["location"].startswith("/account/confirm/")
        user.refresh_from_db()
        assert user.email != "new@example.test", "nothing changed"
        csrf = CSRF.search(web.get("/account/").text).group(1)  # type: ignore[union-attr]
        session_export = web.api("POST", "/me/export", headers={"X-CSRFToken": csrf})
        assert session_export.status_code == 403
        assert "Confirm it's you" in session_export.json()["detail"]
        assert web.api("POST", "/me/export", token=token).status_code == 202, "bearer: unchanged"

        wrong = web.submit("/account/confirm/", "/account/confirm/", {"password": "nope"})
        assert wrong.status_code == 422
        before = web.session_cookie()
        confirmed = web.submit(
            "/account/confirm/?next=/account/delete/",
            "/account/confirm/",
            {"password": PASSWORD, "next": "/account/delete/"},
        )
        assert confirmed.status_code == 302
        assert confirmed.headers["location"] == "/account/delete/"
        assert web.session_cookie() != before, "the session id rotates on confirming"
        assert web.get("/account/delete/").status_code == 200
        elsewhere = web.submit(
            "/account/confirm/",
            "/account/confirm/",
            {"password": PASSWORD, "next": "https://evil.test/"},
        )
        assert elsewhere.headers["location"] == "/account/"


@pytest.mark.promise("P12")
def test_confirming_it_is_you_takes_the_code_when_two_factor_is_on(site, make_user):
    user, _ = make_user()
    web = site()
    with frozen_clock() as clock:
        totp, _codes = _turn_on(web, api_token(web, user.email))
        clock.shift(STEP)
        assert _first_step(web, user.email).status_code == 302
        assert web.submit("/login/code/", "/login/code/", {"code": totp.now()}).status_code == 302
        clock.shift(timedelta(minutes=11))
        page = web.get("/account/confirm/")
        assert 'name="code"' in page.text
        no_code = web.submit("/account/confirm/", "/account/confirm/", {"password": PASSWORD})
        assert no_code.status_code == 422
        assert web.get("/account/delete/").status_code == 302
        ok = web.submit(
            "/account/confirm/", "/account/confirm/", {"password": PASSWORD, "code": totp.now()}
        )
        assert ok.status_code == 302
        assert web.get("/account/delete/").status_code == 200


def test_bad_input_to_the_two_factor_api_is_a_clear_error(site, make_user):
    user, _ = make_user()
    web = site()
    token = api_token(web, user.email)
    confirm_first = web.api("POST", "/me/2fa/confirm", token=token, json={"code": "123456"})
    assert confirm_first.status_code == 409
    for body in ({}, {"code": None}, {"code": "1" * 41}, {"code": "1", "x": 1}):
        answer = web.api("POST", "/me/2fa/confirm", token=token, json=body)
        assert answer.status_code == 422, body
        assert answer.json()["detail"]
    huge = _token(web, user.email, otp="9" * 41)
    assert huge.status_code == 422
    assert not TwoFactor.objects.filter(user=user).exists()


SECRET_SHOWN = re.compile(r'data-testid="two-factor-secret">([A-Z2-7 ]+)<')
CODE_SHOWN = re.compile(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>")


def test_the_account_pages_turn_it_on_make_new_codes_and_turn_it_off(site, make_user):
    user, _ = make_user()
    web = site()
    page = "/account/two-factor/"
    with frozen_clock() as clock:
        assert web.sign_in(user.email).status_code == 302
        assert "Turn on two-factor sign-in" in web.get("/account/").text
        wrong = web.submit(page, "/account/two-factor/begin/", {"password": "nope"})
        assert wrong.status_code == 422
        assert not TwoFactor.objects.filter(user=user).exists()
        begun = web.submit(page, "/account/two-factor/begin/", {"password": PASSWORD})
        assert begun.headers["location"] == "/account/two-factor/#confirm"
        shown = SECRET_SHOWN.search(web.get(page).text)
        assert shown, "the key is shown, grouped"
        totp = pyotp.TOTP(shown.group(1).replace(" ", ""))
        assert not two_factor_on(user), "not on before a code confirms it"

        on = web.submit(page, "/account/two-factor/confirm/", {"code": totp.now()})
        assert on.status_code == 200
        assert "no-store" in on.headers["cache-control"]
        first_codes = CODE_SHOWN.findall(on.text)
        assert len(first_codes) == 10
        assert all(code not in web.get(page).text for code in first_codes), "shown once"
        assert "10 recovery codes left" in web.get("/account/").text

        clock.shift(STEP)
        renewed = web.submit(
            page, "/account/two-factor/recovery-codes/", {"password": PASSWORD, "code": totp.now()}
        )
        assert renewed.status_code == 200
        new_codes = CODE_SHOWN.findall(renewed.text)
        assert len(new_codes) == 10
        assert not set(new_codes) & set(first_codes)
        assert _token(web, user.email, otp=first_codes[0]).status_code == 401, "old codes void"
        assert _token(web, user.email, otp=new_codes[0]).status_code == 201

        refused = web.submit(
            page, "/account/two-factor/off/", {"password": PASSWORD, "code": first_codes[1]}
        )
        assert refused.status_code == 422
        assert two_factor_on(user)
        off = web.submit(
            page, "/account/two-factor/off/", {"password": PASSWORD, "code": new_codes[1]}
        )
        assert off.headers["location"] == "/account/#two-factor"
    assert not two_factor_on(user)
    assert not RecoveryCode.objects.filter(user=user).exists()


def two_factor_on(user) -> bool:
    return TwoFactor.objects.filter(user=user, enabled_at__isnull=False).exists()


@pytest.mark.promise("P12")
def test_the_admin_login_does_not_skip_the_second_step(site, make_user):
    """The admin's login form has no code field: a staff account with two-factor on is sent to
    /login/ there, and its right password alone opens nothing."""
    staff, password = make_user(name="Sam Staff", email="sam@wesrom.test", staff=True)
    web = site()
    with frozen_clock():
        _turn_on(web, api_token(web, staff.email))
        answer = web.submit(
            "/admin/login/",
            "/admin/login/?next=/admin/",
            {"username": staff.email, "password": password, "next": "/admin/"},
        )
    assert answer.status_code == 200
    assert "uses two-factor sign-in: sign in at /login/" in answer.text
    assert web.get("/admin/").status_code == 302, "not signed in"
