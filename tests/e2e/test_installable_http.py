"""The installable web app's files over the live server: the manifest, the service worker with
its shell (every file it names answers), the offline page drawn for no one (issue 17)."""

import re

import pytest

from tests.e2e.site_client import STRONG_PASSWORD, api_sign_up

pytestmark = pytest.mark.django_db(transaction=True)


def shell_of(worker: str) -> list[str]:
    found = re.search(r"^const SHELL = (\[.*\]);$", worker, re.MULTILINE)
    assert found, "the worker names its shell"
    return re.findall(r'"([^"]+)"', found.group(1))


def test_the_manifest_names_the_app_its_start_page_and_icons(site):
    answer = site().get("/manifest.webmanifest")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/manifest+json"
    manifest = answer.json()
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/today/",
        "/",
        "standalone",
    )
    assert {icon["purpose"] for icon in manifest["icons"]} == {"any", "maskable"}


def test_the_service_worker_is_served_from_the_root_never_stale_and_its_shell_exists(site):
    client = site()
    answer = client.get("/sw.js")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/javascript")
    assert answer.headers["service-worker-allowed"] == "/"
    assert answer.headers["cache-control"] == "no-cache"
    assert re.search(r'^const VERSION = "[0-9a-f]{16}";$', answer.text, re.MULTILINE)
    shell = shell_of(answer.text)
    assert "/offline/" in shell
    assert "/static/routinie/js/offline.js" in shell
    for url in shell:
        assert client.get(url).status_code == 200, url
    assert client.http.post("/sw.js").status_code in {403, 405}  # CSRF first, or the method


def test_the_policy_lets_our_worker_and_manifest_in_and_nothing_else(site):
    policy = site().get("/today/").headers["content-security-policy"]
    assert "worker-src 'self';" in policy
    assert "manifest-src 'self';" in policy


def test_the_offline_page_is_drawn_signed_out_even_for_a_signed_in_person(site):
    client = site()
    api_sign_up(client, "Ana Pop", "ana@example.test")
    client.sign_in("ana@example.test", STRONG_PASSWORD)
    assert 'name="routinie-account"' in client.get("/today/").text
    page = client.get("/offline/").text
    assert "csrf-token" not in page
    assert "routinie-account" not in page
    assert "Sign out" not in page
    assert "Today</a> opens without a connection" in page


def test_the_cookie_page_declares_what_the_app_keeps_on_the_device(site):
    page = site().get("/cookies/").text
    assert 'data-testid="device-storage"' in page
    assert "IndexedDB" in page
    assert "Signing out deletes all of it" in page
