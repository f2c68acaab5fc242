"""The support pages over a live server: signed-in only, staff only for the console, strict
CSP and nothing from another origin, and the same answers for bad ids (black-box)."""

import re
import uuid

import pytest

from tests.e2e.site_client import api_sign_up, api_token

pytestmark = pytest.mark.django_db(transaction=True)

EXTERNAL_REF = re.compile(r"""(?:src|href|action)\s*=\s*["']\s*(?:https?:)?//""", re.I)


def member(site, name: str, email: str):
    web = site()
    assert api_sign_up(web, name, email).status_code == 201
    token = api_token(web, email)
    assert web.sign_in(email).status_code == 302
    return web, token


def test_signed_out_visitors_are_sent_to_sign_in(site):
    for path in ("/support/", f"/support/{uuid.uuid4()}/", "/support/staff/"):
        response = site().get(path)
        assert response.status_code == 302, path
        assert response.headers["location"].startswith("/login/?next=/support/")


def test_support_pages_have_a_strict_csp_and_nothing_external(site, make_user):
    ana, token = member(site, "Ana Pop", "ana@example.test")
    created = ana.api("POST", "/support/conversations", token=token, json={"body": "Hi there"})
    conversation_id = created.json()["id"]
    _staff, password = make_user(name="Sam Staff", email="sam@wesrom.test", staff=True)
    console = site()
    console.sign_in("sam@wesrom.test", password)
    pages = [
        (ana, "/support/"),
        (ana, f"/support/{conversation_id}/"),
        (ana, f"/support/{conversation_id}/messages/"),
        (console, "/support/staff/"),
        (console, "/support/staff/?status=closed"),
        (console, f"/support/staff/{conversation_id}/"),
    ]
    for web, path in pages:
        response = web.get(path)
        assert response.status_code == 200, path
        assert "default-src 'self'" in response.headers["content-security-policy"], path
        assert not EXTERNAL_REF.search(response.text), path
        assert "<script>" not in response.text, path
        assert ' style="' not in response.text, path
        assert ("Hi there" in response.text) != path.endswith("closed"), path
    assert ana.get("/support/staff/").status_code == 404
    assert ana.get(f"/support/staff/{conversation_id}/").status_code == 404


def test_someone_elses_conversation_is_not_found_on_pages_and_api(site):
    ana, ana_token = member(site, "Ana Pop", "ana@example.test")
    created = ana.api("POST", "/support/conversations", token=ana_token, json={"body": "Mine"})
    conversation_id = created.json()["id"]
    bob, bob_token = member(site, "Bob Ionescu", "bob@example.test")
    assert bob.get(f"/support/{conversation_id}/").status_code == 404
    assert bob.get(f"/support/{conversation_id}/messages/").status_code == 404
    token_form = bob.csrf_from("/support/")
    reply = bob.http.post(
        f"/support/{conversation_id}/", data={"csrfmiddlewaretoken": token_form, "body": "x"}
    )
    assert reply.status_code == 404
    api = f"/support/conversations/{conversation_id}"
    assert bob.api("GET", api, token=bob_token).status_code == 404
    assert (
        bob.api("POST", f"{api}/messages", token=bob_token, json={"body": "x"}).status_code == 404
    )
    assert bob.api("POST", f"{api}/close", token=bob_token).status_code == 404
    mine = ana.api("GET", api, token=ana_token).json()
    assert [m["body"] for m in mine["messages"]] == ["Mine"]
    assert mine["status"] == "open"
