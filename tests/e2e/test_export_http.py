"""The data export over a live server: ask through the API, build, download with the session,
nobody else's, gone after 7 days (P18)."""

import io
import json
import uuid
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from routinie.privacy.models import DataExport
from tests.e2e.site_client import api_sign_up, api_token
from tests.plugin import run_queued_tasks

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path


def _person(site: Any, name: str, email: str) -> tuple[Any, str]:
    web = site()
    assert api_sign_up(web, name, email).status_code == 201
    return web, api_token(web, email)


@pytest.mark.promise("P18")
def test_export_through_the_api_then_download_with_the_session(site):
    web, token = _person(site, "Ana Pop", "ana@example.test")
    web.api("POST", "/projects", token=token, json={"name": "Garden", "color": "#336699"})

    started = web.api("POST", "/me/export", token=token)
    assert started.status_code == 202, started.text
    body = started.json()
    assert set(body) == {"id", "status"}
    assert body["status"] == "queued"
    export_id = body["id"]
    again = web.api("POST", "/me/export", token=token)  # one at a time: the same one
    assert again.status_code == 202
    assert again.json()["id"] == export_id

    waiting = web.api("GET", f"/me/export/{export_id}", token=token).json()
    assert waiting["status"] == "queued"
    assert waiting["progress"] == 0
    assert waiting["download_url"] is None

    run_queued_tasks()
    ready = web.api("GET", f"/me/export/{export_id}", token=token)
    assert ready.status_code == 200
    status = ready.json()
    assert status["status"] == "ready"
    assert status["progress"] == 100
    assert status["download_url"] == f"{web.base_url}/account/export/{export_id}/download/"

    assert web.sign_in("ana@example.test").status_code == 302
    download = web.get(status["download_url"])
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/zip"
    today = timezone.localdate()
    disposition = download.headers["content-disposition"]
    assert f'filename="routinie-export-{today:%Y-%m-%d}.zip"' in disposition
    assert int(download.headers["content-length"]) == status["size_bytes"]
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        assert "README.txt" in archive.namelist()
        user = json.loads(archive.read("accounts_user.json"))
        assert user[0]["email"] == "ana@example.test"
        projects = json.loads(archive.read("tracking_project.json"))
        assert [p["name"] for p in projects] == ["Garden"]


@pytest.mark.promise("P18")
def test_nobody_else_sees_or_downloads_an_export(site):
    ana, ana_token = _person(site, "Ana Pop", "ana@example.test")
    bob, bob_token = _person(site, "Bob Ray", "bob@example.test")
    export_id = ana.api("POST", "/me/export", token=ana_token).json()["id"]
    run_queued_tasks()

    assert bob.api("GET", f"/me/export/{export_id}", token=bob_token).status_code == 404
    assert bob.sign_in("bob@example.test").status_code == 302
    assert bob.get(f"/account/export/{export_id}/download/").status_code == 404
    assert bob.get(f"/account/export/{export_id}/").status_code == 404

    anonymous = site()
    assert anonymous.api("GET", f"/me/export/{export_id}").status_code == 401
    bad_token = anonymous.api("GET", f"/me/export/{export_id}", token="rt_not-a-real-token")
    assert bad_token.status_code == 401
    # An unsafe request without credentials meets the session auth's CSRF check first (403,
    # API-wide); either way nothing is started.
    assert anonymous.api("POST", "/me/export").status_code == 401
    assert DataExport.objects.count() == 1
    response = anonymous.get(f"/account/export/{export_id}/download/")
    assert response.status_code == 302
    assert response.headers["location"].startswith("/login/")


@pytest.mark.promise("P18")
def test_the_archive_is_gone_after_7_days(site):
    web, token = _person(site, "Ana Pop", "ana@example.test")
    export_id = web.api("POST", "/me/export", token=token).json()["id"]
    run_queued_tasks()
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        status = web.api("GET", f"/me/export/{export_id}", token=token).json()
        assert status["status"] == "expired"
        assert status["download_url"] is None
        assert web.sign_in("ana@example.test").status_code == 302
        gone = web.get(f"/account/export/{export_id}/download/")
        assert gone.status_code == 410
        assert "expired" in gone.text
        assert "7 days" in gone.text


def test_odd_ids_and_too_many_exports_are_answered_not_crashed(site):
    web, token = _person(site, "Ana Pop", "ana@example.test")
    assert web.api("GET", f"/me/export/{uuid.uuid4()}", token=token).status_code == 404
    bad = web.api("GET", "/me/export/not-a-uuid", token=token)
    assert bad.status_code == 422
    assert bad.json()["detail"]
    for _ in range(5):
        assert web.api("POST", "/me/export", token=token).status_code == 202
        run_queued_tasks()
    refused = web.api("POST", "/me/export", token=token)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 23 * 3600
    assert "5 times a day" in refused.json()["detail"]
