"""Deleting an account over a live server: API and page (P18)."""

import pytest

from routinie.accounts.models import User
from routinie.tracking.models import TimeEntry
from tests.e2e.site_client import STRONG_PASSWORD, api_sign_up, api_token

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.promise("P18")
def test_delete_me_over_the_api_needs_the_password_and_then_removes_everything(site):
    web = site()
    api_sign_up(web, "Ana", "ana@example.test")
    token = api_token(web, "ana@example.test")
    web.api(
        "POST",
        "/time-entries",
        token=token,
        json={
            "start": "2026-11-20T08:00:00+00:00",
            "end": "2026-11-20T09:00:00+00:00",
            "description": "x",
        },
    )
    wrong = web.api("DELETE", "/me", token=token, json={"password": "nope-1"})
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "password"
    assert User.objects.filter(email="ana@example.test").exists()
    assert (
        web.api("DELETE", "/me", token=token, json={"password": STRONG_PASSWORD}).status_code == 204
    )
    assert not User.objects.filter(email="ana@example.test").exists()
    assert not TimeEntry.objects.exists()
    assert web.api("GET", "/me", token=token).status_code == 401


@pytest.mark.promise("P18")
def test_the_delete_page_says_what_is_kept_and_signs_out(site):
    web = site()
    web.sign_up("Ana", "ana@example.test")
    page = web.get("/account/delete/")
    assert page.status_code == 200
    assert "What we keep, and why" in page.text
    assert "Invoices" in page.text
    refused = web.submit("/account/delete/", "/account/delete/", {"password": "wrong-1"})
    assert refused.status_code == 422
    assert "nothing was deleted" in refused.text
    done = web.submit("/account/delete/", "/account/delete/", {"password": STRONG_PASSWORD})
    assert done.status_code == 200
    assert "Your account is deleted" in done.text
    assert not web.is_signed_in()
    assert not User.objects.exists()
