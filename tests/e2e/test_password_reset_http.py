"""Password reset over real HTTP and real SMTP (api.md, "Additions (second round)"): the same
answer whether or not an account exists, a link valid 1 hour and usable once, every session
ended, weak passwords refused by rule, throttled without storing the address."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from routinie.accounts.models import PasswordResetToken
from routinie.privacy.retention import purge
from tests.e2e.site_client import Site
from tests.plugin import cache_keys, run_queued_tasks

pytestmark = pytest.mark.django_db(transaction=True)

LINK = re.compile(r"http://[^/\s]+/password-reset/([^/\s]+)/")
NEW_PASSWORD = "Amber-Willow-58"


def ask(web: Site, email: str) -> object:
    return web.api("POST", "/auth/password-reset", json={"email": email})


def confirm(web: Site, token: str, password: str = NEW_PASSWORD) -> object:
    return web.api(
        "POST", "/auth/password-reset/confirm", json={"token": token, "new_password": password}
    )


def link_from(smtp_sink, address: str, count: int) -> str:
    smtp_sink.wait_for(count)
    message = smtp_sink.to(address)[-1]
    assert message["Subject"] == "Reset your Routinie password"
    found = LINK.search(message.text())
    assert found, message.text()
    assert f"/password-reset/{found.group(1)}/" in message.html()
    return found.group(1)


def test_the_answer_is_the_same_for_an_account_and_for_no_account(site, make_user, smtp_sink):
    user, _ = make_user(email="ana@example.test")
    web = site()
    known, unknown = ask(web, "ANA@example.test"), ask(web, "nobody@example.test")
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert known.headers.get("content-length") == unknown.headers.get("content-length")
    run_queued_tasks()
    token = link_from(smtp_sink, user.email, 1)
    assert len(smtp_sink.received) == 1, "nothing is sent to an address without an account"
    assert PasswordResetToken.objects.get().token_hash != token, "only a hash is kept"
    assert token not in str(list(PasswordResetToken.objects.values()))


def test_the_link_sets_a_new_password_once_and_ends_every_session(site, make_user, smtp_sink):
    user, password = make_user(email="ana@example.test")
    signed_in = site()
    assert signed_in.sign_in(user.email, password).status_code == 302
    assert signed_in.is_signed_in()
    web = site()
    ask(web, user.email)
    run_queued_tasks()
    token = link_from(smtp_sink, user.email, 1)

    assert confirm(web, token).status_code == 204
    assert not signed_in.is_signed_in(), "every session of the account ended"
    assert site().sign_in(user.email, password).status_code == 422, "the old password is gone"
    assert site().sign_in(user.email, NEW_PASSWORD).status_code == 302

    used = confirm(web, token, "Other-Meadow-91")
    assert used.status_code == 400
    assert used.json()["errors"][0] == {
        "field": "token",
        "message": used.json()["detail"],
        "code": "invalid",
    }


def test_a_weak_password_is_refused_naming_the_rule_and_the_link_still_works(
    site, make_user, smtp_sink
):
    user, _ = make_user(email="ana@example.test")
    web = site()
    ask(web, user.email)
    run_queued_tasks()
    token = link_from(smtp_sink, user.email, 1)
    weak = confirm(web, token, "short1")
    assert weak.status_code == 422
    assert weak.json()["errors"][0]["field"] == "password"
    assert "8 characters" in weak.json()["detail"]
    assert confirm(web, token).status_code == 204


def test_bad_expired_replaced_and_voided_links_are_refused(site, make_user, smtp_sink):
    user, password = make_user(email="ana@example.test")
    web = site()
    assert confirm(web, "pr_not-a-real-token").status_code == 400

    ask(web, user.email)
    run_queued_tasks()
    first = link_from(smtp_sink, user.email, 1)
    ask(web, user.email)
    run_queued_tasks()
    second = link_from(smtp_sink, user.email, 2)
    assert confirm(web, first).json()["errors"][0]["code"] == "invalid", "replaced by a newer"

    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        expired = confirm(web, second)
        assert expired.status_code == 400
        assert expired.json()["errors"][0]["code"] == "expired"
        assert purge()["expired password-reset links"] == 1

    ask(web, user.email)
    run_queued_tasks()
    third = link_from(smtp_sink, user.email, 3)
    from routinie.accounts.services import change_password

    change_password(user=user, current_password=password, new_password="Other-Meadow-91")
    assert confirm(web, third).json()["errors"][0]["code"] == "invalid", "voided by a change"


def test_requests_are_throttled_per_address_without_keeping_it(site, make_user, settings):
    settings.PASSWORD_RESET_THROTTLE_PER_ADDRESS = 2
    web = site()
    assert [ask(web, "ana@example.test").status_code for _ in range(3)] == [202, 202, 429]
    assert ask(site(), "other@example.test").status_code == 202
    assert not [k for k in cache_keys() if "example" in k]


def test_the_pages_ask_for_a_link_and_use_it(site, make_user, smtp_sink):
    user, _ = make_user(email="ana@example.test")
    web = site()
    login = web.get("/login/")
    assert 'href="/password-reset/"' in login.text
    sent = web.submit("/password-reset/", "/password-reset/", {"email": user.email})
    assert sent.status_code == 200
    assert 'data-testid="reset-sent"' in sent.text
    nobody = web.submit("/password-reset/", "/password-reset/", {"email": "no@example.test"})
    assert nobody.text.count("If an account uses this address") == 1
    run_queued_tasks()
    token = link_from(smtp_sink, user.email, 1)

    page = web.get(f"/password-reset/{token}/")
    assert page.status_code == 200
    assert 'name="password"' in page.text
    assert "no-store" in page.headers["cache-control"]
    weak = web.submit(f"/password-reset/{token}/", f"/password-reset/{token}/", {"password": "x"})
    assert weak.status_code == 422
    assert 'data-testid="password-errors"' in weak.text
    done = web.submit(
        f"/password-reset/{token}/", f"/password-reset/{token}/", {"password": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert done.headers["location"] == "/login/"
    assert "Your password is changed" in web.get("/login/").text
    again = web.get(f"/password-reset/{token}/")
    assert again.status_code == 400
    assert 'data-testid="reset-link-error"' in again.text
    assert site().sign_in(user.email, NEW_PASSWORD).status_code == 302


def test_a_reset_link_in_a_log_line_is_redacted():
    from routinie.core.log_redaction import redact

    line = "Bad Request: /password-reset/pr_Q2xE-9_abcdefghijklmnop/"
    assert redact(line) == "Bad Request: /password-reset/[token]/"
