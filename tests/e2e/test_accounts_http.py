"""Accounts over a live server, black-box: sign-up, tokens, /me, sessions, cookies (HTTP)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.e2e.site_client import STRONG_PASSWORD, api_sign_up, api_token

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.promise("P06")
def test_api_sign_up_then_token_then_me(site):
    web = site()
    created = api_sign_up(web, "Ana Pop", "Ana.Pop@Example.test")
    assert created.status_code == 201
    body = created.json()
    assert set(body) == {"id", "name", "email"}
    assert body["email"] == "ana.pop@example.test"

    token = api_token(web, "ANA.POP@example.test")
    me = web.api("GET", "/me", token=token)
    assert me.status_code == 200
    assert me.json()["name"] == "Ana Pop"
    assert me.json()["timezone"] == "UTC"
    assert me.json()["policy_version_accepted"] == 1


def test_api_without_credentials_is_401(site):
    web = site()
    assert web.api("GET", "/me").status_code == 401
    assert web.api("GET", "/me", token="rt_not-a-real-token").status_code == 401


@pytest.mark.promise("P06")
@pytest.mark.parametrize("extra", [{"phone": "+40 700 000 000"}, {"birthday": "1990-01-01"}])
def test_sign_up_with_an_extra_field_is_refused_and_creates_nothing(site, extra):
    from routinie.accounts.models import User

    web = site()
    payload = {
        "name": "Ana",
        "email": "ana@example.test",
        "password": STRONG_PASSWORD,
        "accept_policy_version": 1,
        **extra,
    }
    response = web.api("POST", "/auth/signup", json=payload)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == next(iter(extra))
    page = web.submit("/signup/", "/signup/", {k: v for k, v in payload.items()})
    assert page.status_code == 422
    assert "unexpected field" in page.text
    assert not User.objects.exists()


@pytest.mark.promise("P13")
@pytest.mark.parametrize(
    ("password", "code", "words"),
    [
        ("sh0rt", "password_too_short", "at least 8 characters"),
        ("no-digits-here", "password_no_digit", "at least one number"),
        ("password1", "password_too_common", "too common"),
        ("anapopescu1", "password_too_similar", "too similar"),
    ],
)
def test_each_password_rule_is_refused_with_its_reason(site, password, code, words):
    web = site()
    response = api_sign_up(web, "Ana Popescu", "anapopescu@example.test", password)
    assert response.status_code == 422
    assert code in {e["code"] for e in response.json()["errors"]}
    assert words in response.text
    page = web.sign_up("Ana Popescu", "anapopescu@example.test", password)
    assert page.status_code == 422
    assert words in page.text


def test_an_email_taken_in_any_case_is_refused(site):
    web = site()
    assert api_sign_up(web, "Ana", "ana@example.test").status_code == 201
    again = api_sign_up(web, "Other Ana", "ANA@EXAMPLE.TEST")
    assert again.status_code == 409
    assert again.json()["errors"][0]["field"] == "email"


@pytest.mark.promise("P14")
def test_replayed_cookie_after_sign_out_is_rejected(site):
    web = site()
    web.sign_up("Ana", "ana@example.test")
    assert web.is_signed_in()
    stolen = web.session_cookie()
    assert stolen
    web.sign_out()
    assert not web.is_signed_in()

    thief = site()
    thief.http.cookies.set("routinie_session", stolen)
    response = thief.get("/account/")
    assert response.status_code == 302
    assert response.headers["location"].startswith("/login/")


@pytest.mark.promise("P14")
def test_idle_session_dies_after_the_idle_timeout(site):
    web = site()
    with time_machine.travel(timezone.now(), tick=True) as clock:
        web.sign_up("Ana", "ana@example.test")
        clock.shift(timedelta(minutes=110))
        assert web.is_signed_in(), "activity within the idle timeout keeps the session"
        clock.shift(timedelta(minutes=110))
        assert web.is_signed_in()
        clock.shift(timedelta(minutes=121))
        assert not web.is_signed_in()


@pytest.mark.promise("P14")
def test_shared_computer_session_dies_after_fifteen_idle_minutes(site, make_user):
    user, password = make_user()
    web = site()
    with time_machine.travel(timezone.now(), tick=True) as clock:
        web.sign_in(user.email, password, shared=True)
        clock.shift(timedelta(minutes=14))
        assert web.is_signed_in()
        clock.shift(timedelta(minutes=16))
        assert not web.is_signed_in()


@pytest.mark.promise("P14")
def test_session_ends_after_its_absolute_lifetime_even_when_active(site, make_user):
    user, password = make_user()
    web = site()
    with time_machine.travel(timezone.now(), tick=True) as clock:
        web.sign_in(user.email, password)
        for _ in range(11):
            clock.shift(timedelta(hours=1))
            assert web.is_signed_in()
        clock.shift(timedelta(hours=1, minutes=1))
        assert not web.is_signed_in()


@pytest.mark.promise("P14")
def test_password_change_ends_every_other_session(site, make_user):
    user, password = make_user()
    laptop, phone = site(), site(user_agent="Mozilla/5.0 (iPhone) Safari/604.1")
    laptop.sign_in(user.email, password)
    phone.sign_in(user.email, password)
    new_password = "Quiet-harbour-73"
    changed = laptop.submit(
        "/account/",
        "/account/password/",
        {"current_password": password, "new_password": new_password},
    )
    assert changed.status_code == 302
    assert laptop.is_signed_in()
    assert not phone.is_signed_in()
    assert phone.sign_in(user.email, password).status_code == 422
    assert phone.sign_in(user.email, new_password).status_code == 302


@pytest.mark.promise("P14")
def test_sessions_list_shows_devices_without_ip_and_revokes_others(site, make_user):
    user, password = make_user()
    laptop = site()
    phone = site(user_agent="Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Mobile Safari/537.36")
    laptop.sign_in(user.email, password)
    phone.sign_in(user.email, password)
    token = api_token(laptop, user.email, password)

    listed = laptop.api("GET", "/me/sessions", token=token).json()["items"]
    assert sorted(s["device"] for s in listed) == ["Chrome on Android", "Firefox on Linux"]
    assert all(set(s) == {"id", "device", "last_active", "current"} for s in listed)
    assert "127.0.0.1" not in laptop.get("/account/").text

    revoke = laptop.submit("/account/", "/account/sessions/revoke-others/", {})
    assert revoke.status_code == 302
    assert laptop.is_signed_in()
    assert not phone.is_signed_in()


@pytest.mark.promise("P10")
def test_session_and_csrf_cookies_are_browser_session_cookies(site):
    web = site()
    login_page = web.get("/login/")
    response = web.sign_up("Ana", "ana@example.test")
    set_cookies = login_page.headers.get_list("set-cookie") + response.headers.get_list(
        "set-cookie"
    )
    by_name = {c.split("=", 1)[0].strip(): c for c in set_cookies}
    assert set(by_name) == {"csrftoken", "routinie_session"}
    for name, header in by_name.items():
        lowered = header.lower()
        assert "expires=" not in lowered, name
        assert "max-age=" not in lowered, name
        assert "samesite=lax" in lowered, name
        assert "httponly" in lowered, name
        assert "path=/" in lowered, name


@pytest.mark.promise("P11")
def test_public_pages_set_no_cookie(site):
    web = site()
    for path in ["/", "/privacy/", "/contact/", "/api/v1/public/privacy-policy"]:
        response = web.get(path)
        assert response.status_code == 200, path
        assert "set-cookie" not in response.headers, path


@pytest.mark.promise("P17")
def test_a_form_without_its_csrf_token_is_refused(site, make_user):
    user, password = make_user()
    web = site()
    web.sign_in(user.email, password)
    response = web.http.post("/account/profile/", data={"name": "Mallory", "email": user.email})
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.name != "Mallory"


@pytest.mark.promise("P12")
def test_brute_force_on_one_account_is_throttled(site, make_user):
    user, password = make_user()
    web = site()
    for _ in range(10):
        wrong = web.api(
            "POST", "/auth/tokens", json={"email": user.email, "password": "x1", "label": "x"}
        )
        assert wrong.status_code == 401
    blocked = web.api(
        "POST", "/auth/tokens", json={"email": user.email, "password": password, "label": "x"}
    )
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    assert web.sign_in(user.email, password).status_code == 429


@pytest.mark.promise("P12")
def test_tokens_are_shown_once_stored_hashed_and_revocable(
    production_password_hashing, site, make_user
):
    from routinie.accounts.models import ApiToken, User

    user, password = make_user()
    web = site()
    token = api_token(web, user.email, password, label="laptop")
    stored = ApiToken.objects.get()
    assert token not in {stored.token_hash, stored.label}
    assert User.objects.get().password.startswith("argon2$argon2id$")

    listed = web.api("GET", "/auth/tokens", token=token).json()["items"]
    assert [t["label"] for t in listed] == ["laptop"]
    assert "token" not in listed[0]
    assert listed[0]["last_used_at"] is not None

    assert web.api("DELETE", f"/auth/tokens/{stored.id}", token=token).status_code == 204
    assert web.api("GET", "/me", token=token).status_code == 401


@pytest.mark.promise("P12")
def test_another_users_tokens_and_sessions_are_not_found(site, make_user):
    owner, owner_password = make_user()
    outsider, outsider_password = make_user()
    web = site()
    owner_token = api_token(web, owner.email, owner_password)
    outsider_token = api_token(web, outsider.email, outsider_password)
    owner_web = site()
    owner_web.sign_in(owner.email, owner_password)

    from routinie.accounts.models import ApiToken, UserSession

    token_id = ApiToken.objects.get(user=owner).id
    session_id = UserSession.objects.get(user=owner).public_id
    assert web.api("DELETE", f"/auth/tokens/{token_id}", token=outsider_token).status_code == 404
    assert web.api("DELETE", f"/me/sessions/{session_id}", token=outsider_token).status_code == 404
    assert web.api("GET", "/me", token=owner_token).status_code == 200
    assert owner_web.is_signed_in()


def test_profile_changes_are_confirmed_and_bad_ones_refused(site, make_user):
    user, password = make_user()
    web = site()
    web.sign_in(user.email, password)
    token = api_token(web, user.email, password)
    ok = web.api(
        "PATCH", "/me", token=token, json={"name": "Ana Maria", "timezone": "Europe/Bucharest"}
    )
    assert ok.status_code == 200
    assert ok.json()["timezone"] == "Europe/Bucharest"
    bad_tz = web.api("PATCH", "/me", token=token, json={"timezone": "Mars/Olympus"})
    assert bad_tz.status_code == 422
    assert bad_tz.json()["errors"][0]["field"] == "timezone"
    no_password = web.api("PATCH", "/me", token=token, json={"email": "new@example.test"})
    assert no_password.status_code == 422
    user.refresh_from_db()
    assert (user.name, user.timezone, user.email) == ("Ana Maria", "Europe/Bucharest", user.email)

    page = web.submit(
        "/account/",
        "/account/profile/",
        {"name": "", "email": user.email, "timezone": "UTC"},
    )
    assert page.status_code == 422
    assert "This field is required" in page.text
    saved = web.submit(
        "/account/",
        "/account/profile/",
        {
            "name": "Ana",
            "email": "ana.new@example.test",
            "timezone": "UTC",
            "current_password": password,
        },
    )
    assert saved.status_code == 302
    assert "Your profile is saved." in web.get("/account/").text


def test_api_password_change_refuses_a_weak_password_and_changes_nothing(site, make_user):
    user, password = make_user()
    web = site()
    token = api_token(web, user.email, password)
    weak = web.api(
        "POST",
        "/me/password",
        token=token,
        json={"current_password": password, "new_password": "abc"},
    )
    assert weak.status_code == 422
    wrong = web.api(
        "POST",
        "/me/password",
        token=token,
        json={"current_password": "nope", "new_password": "Quiet-harbour-73"},
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "current_password"
    user.refresh_from_db()
    assert user.check_password(password)


def test_unsafe_methods_without_credentials_are_401_not_a_csrf_403(site):
    web = site()
    for method, path in [
        ("POST", "/timer/start"),
        ("DELETE", "/me"),
        ("PATCH", "/me"),
        ("POST", "/me/export"),
    ]:
        response = web.api(method, path, json={})
        assert response.status_code == 401, (method, path)
        assert response.headers["www-authenticate"] == "Bearer"
