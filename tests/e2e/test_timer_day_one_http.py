"""Issue 13 over real HTTP: the API corrects the running entry and it keeps running (api.md,
"Additions (second round)"); the pages keep the API's contract (no 12-hour question there)."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.e2e.test_tracking_api import client_of  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_patching_the_running_entry_keeps_it_running(client_of):  # noqa: F811
    api = client_of()
    project = api("POST", "/projects", json={"name": "Web", "color": "#336699"}).json()
    running = api("POST", "/timer/start", json={"description": "Wrting"}).json()
    earlier = (datetime.now(UTC) - timedelta(minutes=30)).replace(microsecond=0)
    patched = api(
        "PATCH",
        f"/time-entries/{running['id']}",
        json={
            "description": "Writing",
            "project_id": project["id"],
            "tags": ["deep"],
            "start": earlier.isoformat(),
        },
    )
    assert patched.status_code == 200
    body = patched.json()
    assert body["end"] is None
    assert (body["description"], body["project_id"], body["tags"]) == (
        "Writing",
        project["id"],
        ["deep"],
    )
    assert datetime.fromisoformat(body["start"]) == earlier
    assert api("GET", "/timer").json()["running"]["id"] == running["id"]


def test_the_api_keeps_long_entries_without_the_pages_question(client_of):  # noqa: F811
    api = client_of()
    start = datetime(2026, 11, 20, 14, tzinfo=UTC)
    made = api(
        "POST",
        "/time-entries",
        json={"start": start.isoformat(), "end": (start + timedelta(hours=23)).isoformat()},
    )
    assert made.status_code == 201
    assert made.json()["duration_seconds"] == 23 * 3600
