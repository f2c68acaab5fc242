"""The web edge over a live server (issue 15): the admin's login throttled with the sign-in's one
counter per account, private answers never stored, bodies over the limit a 413, a Server header
without versions, and a confirmation link that carries no address (black-box)."""

import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest

from routinie.accounts.models import User
from tests.e2e.commands import file_database_env
from tests.e2e.edge_probes import carries
from tests.e2e.site_client import CSRF_INPUT, api_sign_up, api_token
from tests.e2e.test_foundation_http import SIGNED_IN_PAGES
from tests.plugin import run_queued_tasks

pytestmark = pytest.mark.django_db(transaction=True)

ADMIN_REFUSAL = "Please enter the correct email and password for a staff account"
CONFIRM_LINK = re.compile(r"/confirm-email/[^/\s]+/")
OVER_THE_LIMIT = 3 * 1024 * 1024  # DATA_UPLOAD_MAX_MEMORY_SIZE is 2.5 MB


def _admin_sign_in(web, email: str, password: str):
    return web.submit(
        "/admin/login/",
        "/admin/login/?next=/admin/",
        {"username": email, "password": password, "next": "/admin/"},
    )


def _token_attempt(web, email: str, password: str):
    return web.api(
        "POST", "/auth/tokens", json={"email": email, "password": password, "label": "t"}
    )


@pytest.mark.promise("P12")
def test_the_admin_login_refuses_wrong_passwords_past_the_limit_and_then_the_right_one(
    site, make_user, settings
):
    settings.LOGIN_THROTTLE_PER_ACCOUNT = 4
    staff, password = make_user(name="Sam Staff", email="sam@wesrom.test", staff=True)
    web = site()
    for _ in range(4):
        refused = _admin_sign_in(web, staff.email, "wrong-password-1")
        assert refused.status_code == 200
        assert ADMIN_REFUSAL in refused.text
    throttled = _admin_sign_in(web, staff.email, "wrong-password-2")
    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) > 0
    assert "Too many attempts" in throttled.text
    right = _admin_sign_in(web, staff.email, password)
    assert right.status_code == 429, "the right password inside the window is refused too"
    assert web.get("/admin/").status_code == 302, "not signed in"
    # The admin's attempts were counted against the account: the other doors are shut too.
    assert web.sign_in(staff.email, password).status_code == 429
    assert _token_attempt(web, staff.email, password).status_code == 429


@pytest.mark.promise("P12")
def test_one_counter_per_account_whatever_the_door(site, make_user, settings):
    settings.LOGIN_THROTTLE_PER_ACCOUNT = 4
    staff, password = make_user(name="Sam Staff", email="sam@wesrom.test", staff=True)
    web = site()
    assert _admin_sign_in(web, staff.email, "wrong-password-1").status_code == 200
    assert web.sign_in(staff.email, "wrong-password-2").status_code == 422
    assert _token_attempt(web, staff.email, "wrong-password-3").status_code == 401
    assert _admin_sign_in(web, staff.email, "wrong-password-4").status_code == 200
    assert web.sign_in(staff.email, password).status_code == 429
    assert _admin_sign_in(web, staff.email, password).status_code == 429


@pytest.mark.promise("P12")
def test_the_admin_login_fails_alike_for_an_unknown_and_a_known_address(site, make_user):
    staff, _ = make_user(name="Sam Staff", email="sam@wesrom.test", staff=True)
    person, person_password = make_user(name="Ana Pop", email="ana@example.test")

    def failure(email: str, password: str) -> str:
        answer = _admin_sign_in(site(), email, password)
        assert answer.status_code == 200
        return CSRF_INPUT.sub("csrf", answer.text).replace(email, "EMAIL")

    known = failure(staff.email, "wrong-password-1")
    assert ADMIN_REFUSAL in known
    assert failure("nobody@wesrom.test", "wrong-password-1") == known
    assert failure(person.email, person_password) == known  # a right password, but not staff
    signed_in = _admin_sign_in(site(), staff.email, "tidy-Lantern-42")
    assert signed_in.status_code == 302
    assert signed_in.headers["Location"] == "/admin/"


@pytest.mark.promise("P14")
def test_private_answers_say_no_store_and_public_ones_keep_their_caching(site):
    member = site()
    assert member.sign_up("Ana Pop", "ana@example.test").status_code == 302
    for path in SIGNED_IN_PAGES:
        answer = member.get(path)
        assert answer.status_code == 200, path
        directives = {d.strip() for d in answer.headers.get("Cache-Control", "").split(",")}
        assert {"no-store", "private"} <= directives, (path, answer.headers.get("Cache-Control"))
    token = api_token(member, "ana@example.test")
    for path in ["/me", "/time-entries", "/projects", "/routines", "/me/sessions"]:
        for credentials in ({"token": token}, {}):  # a bearer token, the browser session
            answer = member.api("GET", path, **credentials)
            assert answer.status_code == 200, (path, answer.text)
            assert answer.headers["Cache-Control"] == "no-store, private", path
    anonymous = site()
    for path in ["/", "/blog/", "/privacy/", "/cookies/"]:
        assert "no-store" not in anonymous.get(path).headers.get("Cache-Control", ""), path
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', member.get("/today/").text)
    assert stylesheet, "the layout links its stylesheet"
    asset = member.get(stylesheet.group(1))  # signed in, a static file keeps its caching
    assert asset.status_code == 200
    assert "no-store" not in asset.headers.get("Cache-Control", "")


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
def test_a_body_over_the_limit_is_a_413_in_the_api_shape_and_a_page(site, settings, debug):
    settings.DEBUG = debug
    web = site()
    assert api_sign_up(web, "Ana Pop", "ana@example.test").status_code == 201
    token = api_token(web, "ana@example.test")
    huge = {"description": "x" * OVER_THE_LIMIT, "start": "2026-01-05T09:00:00Z"}
    for answer in [
        web.api("POST", "/time-entries", token=token, json=huge),
        web.api("POST", "/auth/signup", json={"name": "x" * OVER_THE_LIMIT}),
    ]:
        assert answer.status_code == 413, answer.text[:300]
        assert answer.headers["Content-Type"].startswith("application/json")
        body = answer.json()
        assert body["detail"] == "The request body is larger than the limit of 2.5 MB."
        assert body["errors"] == []
    assert web.api("GET", "/time-entries", token=token).json()["items"] == []
    # An uploaded file is not the body limit's business (Django's rule: the form's fields count).
    upload = web.api(
        "POST",
        "/import/time-entries",
        token=token,
        files={"file": ("big.csv", b"x" * OVER_THE_LIMIT, "text/csv")},
    )
    assert upload.status_code not in (413, 500), upload.text[:300]
    unreadable = web.api(
        "POST",
        "/import/time-entries",
        token=token,
        content=b"--x\r\n",
        headers={"Content-Type": "multipart/form-data"},  # no boundary: it cannot be read
    )
    assert unreadable.status_code == 400
    assert unreadable.json() == {"detail": "The request could not be read.", "errors": []}
    page = site()
    csrf = page.csrf_from("/login/")
    form = {
        "csrfmiddlewaretoken": csrf,
        "email": "a@example.test",
        "password": "p" * OVER_THE_LIMIT,
    }
    answer = page.http.post("/login/", data=form)
    assert answer.status_code == 413
    assert answer.headers["Content-Type"].startswith("text/html")
    assert "larger than the limit of 2.5 MB" in answer.text
    assert "Traceback" not in answer.text


def test_the_server_header_names_no_version(site):
    for path in ["/", "/api/v1/public/cookies", "/no-such-page/"]:
        server = site().get(path).headers.get("Server", "")
        assert not re.search(r"\d", server), server
        assert "Python" not in server, server


@pytest.mark.promise("P08")
def test_the_confirmation_link_carries_no_address_and_still_confirms(
    site, smtp_sink, caplog: pytest.LogCaptureFixture
):
    email = "ana.pop@example.test"
    web = site()
    assert api_sign_up(web, "Ana Pop", email).status_code == 201
    run_queued_tasks()
    (confirmation,) = smtp_sink.wait_for(1)
    link = CONFIRM_LINK.search(confirmation.text())
    assert link, confirmation.text()
    assert carries(link.group(0), email) == []
    with caplog.at_level(logging.INFO):
        tampered = web.get(link.group(0).replace("/confirm-email/", "/confirm-email/x"))
        assert tampered.status_code == 400
        assert web.get(link.group(0)).status_code == 200
    assert User.objects.get(email=email).email_confirmed_at is not None
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Bad Request: /confirm-email/" in logged
    assert carries(logged, email) == [], logged


def test_check_deploy_warns_when_throttles_would_count_per_process(tmp_path: Path):
    env = file_database_env(tmp_path, DEBUG="0")
    env.pop("REDIS_URL", None)

    def deploy_check(settings_module: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "routinie", "check", "--deploy"],
            env={**env, "DJANGO_SETTINGS_MODULE": settings_module},
            capture_output=True,
            text=True,
            check=False,
        )
        return result.stdout + result.stderr

    per_process = deploy_check("tests.settings")  # the suite's memory cache
    assert "routinie.core.W001" in per_process
    assert "throttles (sign-in, sign-up, password reset) would count per process" in per_process
    assert "routinie.core.W001" not in deploy_check("routinie.settings")  # the shared file cache
