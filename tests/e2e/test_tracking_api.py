"""Time and routines through API v1 over a live server (black-box)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from tests.e2e.site_client import api_sign_up, api_token

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def client_of(site):
    """A signed-up person's API: call(method, path, **kw) with their bearer token."""

    def open_client(email: str = "ana@example.test", timezone_name: str | None = None):
        web = site()
        assert api_sign_up(web, "Ana Pop", email).status_code == 201
        token = api_token(web, email)
        if timezone_name:
            patch = web.api("PATCH", "/me", token=token, json={"timezone": timezone_name})
            assert patch.status_code == 200

        def call(method: str, path: str, **kwargs):
            return web.api(method, path, token=token, **kwargs)

        return call

    return open_client


def _iso(dt: datetime) -> str:
    return dt.isoformat()


def test_timer_start_stop_and_restart_stops_the_old_one_at_the_same_instant(client_of):
    api = client_of()
    assert api("GET", "/timer").json() == {"running": None, "forgotten": None}
    project = api("POST", "/projects", json={"name": "Client A", "color": "#336699"}).json()
    first = api(
        "POST",
        "/timer/start",
        json={"description": "Write", "project_id": project["id"], "tags": ["deep"]},
    )
    assert first.status_code == 201
    assert first.json()["end"] is None
    second = api("POST", "/timer/start", json={"description": "Email"})
    assert second.status_code == 201
    old = api("GET", f"/time-entries/{first.json()['id']}").json()
    assert old["end"] is not None
    assert datetime.fromisoformat(old["end"]) == datetime.fromisoformat(second.json()["start"])
    assert api("GET", "/timer").json()["running"]["id"] == second.json()["id"]
    stopped = api("POST", "/timer/stop")
    assert stopped.status_code == 200
    assert stopped.json()["end"] is not None
    assert api("POST", "/timer/stop").status_code == 409
    again = api("POST", f"/time-entries/{first.json()['id']}/continue")
    assert again.status_code == 201
    assert (again.json()["description"], again.json()["project_id"], again.json()["tags"]) == (
        "Write",
        project["id"],
        ["deep"],
    )


def test_manual_entries_are_validated_with_clear_errors_and_nothing_changes(client_of):
    api = client_of()
    now = timezone.now()
    cases = [
        ({"start": _iso(now), "end": _iso(now - timedelta(hours=1))}, "end"),
        ({"start": _iso(now - timedelta(days=9)), "end": _iso(now)}, "end"),
        (
            {"start": _iso(now + timedelta(days=3)), "end": _iso(now + timedelta(days=3, hours=1))},
            "start",
        ),
        (
            {
                "start": _iso(now - timedelta(hours=1)),
                "end": _iso(now),
                "project_id": "5f0c1d8e-6a2b-4a5e-9a7e-3c1d2b4a5e6f",
            },
            "project_id",
        ),
        ({"start": "2026-11-24T09:00:00", "end": "2026-11-24T10:00:00"}, "start"),
        ({"start": _iso(now - timedelta(hours=1)), "end": _iso(now), "colour": "red"}, "colour"),
    ]
    for body, field in cases:
        response = api("POST", "/time-entries", json=body)
        assert response.status_code == 422, body
        assert response.json()["errors"][0]["field"] == field, response.json()
    assert api("GET", "/time-entries").json()["items"] == []


def test_creates_with_a_client_id_are_idempotent(client_of):
    api = client_of()
    body = {
        "id": "0b5c3f5e-8d6c-4b0e-9a51-5b3f3f0f2a11",
        "description": "Standup",
        "start": "2026-11-24T09:00:00+02:00",
        "end": "2026-11-24T09:15:00+02:00",
    }
    assert api("POST", "/time-entries", json=body).status_code == 201
    assert api("POST", "/time-entries", json=body).status_code == 200
    assert api("POST", "/time-entries", json={**body, "description": "Other"}).status_code == 409
    items = api("GET", "/time-entries").json()["items"]
    assert [e["description"] for e in items] == ["Standup"]
    assert items[0]["duration_seconds"] == 900


def test_entries_list_pages_with_cursors_and_filters(client_of):
    api = client_of(timezone_name="Europe/Bucharest")
    project = api("POST", "/projects", json={"name": "P"}).json()
    for day in range(1, 6):
        api(
            "POST",
            "/time-entries",
            json={
                "description": f"day {day}",
                "start": f"2026-11-{day:02d}T10:00:00+02:00",
                "end": f"2026-11-{day:02d}T11:00:00+02:00",
                "project_id": project["id"] if day % 2 else None,
                "tags": ["odd"] if day % 2 else [],
            },
        )
    seen, cursor = [], None
    while True:
        page = api(
            "GET", "/time-entries", params={"limit": 2, **({"cursor": cursor} if cursor else {})}
        ).json()
        seen += [e["description"] for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ["day 5", "day 4", "day 3", "day 2", "day 1"]
    ranged = api("GET", "/time-entries", params={"from": "2026-11-02", "to": "2026-11-03"}).json()
    assert [e["description"] for e in ranged["items"]] == ["day 3", "day 2"]
    by_project = api("GET", "/time-entries", params={"project_id": project["id"]}).json()
    assert len(by_project["items"]) == 3
    by_tag = api("GET", "/time-entries", params={"tag": "odd"}).json()
    assert len(by_tag["items"]) == 3
    assert api("GET", "/time-entries", params={"cursor": "forged"}).status_code == 400
    assert api("GET", "/time-entries", params={"limit": 5000}).status_code == 422


def test_summary_groups_by_day_week_month_project_and_tag(client_of):
    api = client_of(timezone_name="Europe/Bucharest")
    project = api("POST", "/projects", json={"name": "Client A"}).json()
    entries = [
        ("2026-11-02T09:00:00+02:00", "2026-11-02T11:00:00+02:00", project["id"], ["a"]),
        ("2026-11-03T23:00:00+02:00", "2026-11-04T01:30:00+02:00", None, ["a", "b"]),
        ("2026-11-09T08:00:00+02:00", "2026-11-09T08:30:00+02:00", project["id"], []),
    ]
    for start, end, project_id, tags in entries:
        created = api(
            "POST",
            "/time-entries",
            json={"start": start, "end": end, "project_id": project_id, "tags": tags},
        )
        assert created.status_code == 201, created.text
    params = {"from": "2026-11-02", "to": "2026-11-09"}
    by_day = api("GET", "/reports/summary", params={**params, "group_by": "day"}).json()
    assert by_day["total_seconds"] == 5 * 3600
    assert {g["key"]: g["seconds"] for g in by_day["groups"]} == {
        "2026-11-02": 7200,
        "2026-11-03": 3600,
        "2026-11-04": 5400,
        "2026-11-09": 1800,
    }
    by_week = api("GET", "/reports/summary", params={**params, "group_by": "week"}).json()
    assert {g["key"]: (g["seconds"], g["entries"]) for g in by_week["groups"]} == {
        "2026-11-02": (16200, 2),
        "2026-11-09": (1800, 1),
    }
    by_month = api("GET", "/reports/summary", params={**params, "group_by": "month"}).json()
    assert [(g["key"], g["seconds"]) for g in by_month["groups"]] == [("2026-11", 18000)]
    by_project = api("GET", "/reports/summary", params={**params, "group_by": "project"}).json()
    assert {g["key"]: g["seconds"] for g in by_project["groups"]} == {
        project["id"]: 9000,
        None: 9000,
    }
    by_tag = api("GET", "/reports/summary", params={**params, "group_by": "tag"}).json()
    assert {g["key"]: g["seconds"] for g in by_tag["groups"]} == {"a": 16200, "b": 9000, None: 1800}
    one_day = api(
        "GET", "/reports/summary", params={"from": "2026-11-04", "to": "2026-11-04"}
    ).json()
    assert one_day["total_seconds"] == 5400
    assert api("GET", "/reports/summary", params={**params, "group_by": "year"}).status_code == 422
    assert (
        api(
            "GET", "/reports/summary", params={"from": "2026-11-09", "to": "2026-11-01"}
        ).status_code
        == 422
    )


def test_a_routine_with_steps_runs_as_time_entries_and_checks_in(client_of):
    api = client_of()
    routine = api(
        "POST",
        "/routines",
        json={
            "name": "Morning",
            "schedule": {"kind": "daily"},
            "steps": [
                {"name": "Stretch", "duration_seconds": 300},
                {"name": "Journal", "duration_seconds": 600},
            ],
        },
    )
    assert routine.status_code == 201, routine.text
    rid = routine.json()["id"]
    started = api("POST", f"/routines/{rid}/run/start")
    assert started.status_code == 201
    assert started.json()["step"] == 0
    assert started.json()["running"]["description"] == "Morning: Stretch"
    second = api("POST", f"/routines/{rid}/run/next").json()
    assert second["step"] == 1
    done = api("POST", f"/routines/{rid}/run/next").json()
    assert done == {"running": None, "step": None, "checked_in": True}
    steps = api("GET", "/time-entries", params={"tag": "Morning"}).json()["items"]
    assert [e["description"] for e in steps] == ["Morning: Journal", "Morning: Stretch"]
    assert all(e["routine_id"] == rid and e["end"] for e in steps)
    stats = api("GET", f"/routines/{rid}/stats").json()
    assert stats["current_streak"] == 1
    assert api("POST", f"/routines/{rid}/run/next").status_code == 409


def test_check_ins_one_per_day_backfill_and_stats(client_of):
    api = client_of()
    routine = api(
        "POST",
        "/routines",
        json={
            "name": "Water",
            "schedule": {"kind": "daily"},
            "target": {"value": 8, "unit": "glasses"},
        },
    ).json()
    rid = routine["id"]
    assert routine["target"] == {"value": 8.0, "unit": "glasses"}
    today = timezone.now().date()
    for back in range(3, 0, -1):
        day = (today - timedelta(days=back)).isoformat()
        response = api(
            "POST", f"/routines/{rid}/checkins", json={"date": day, "status": "done", "value": 8}
        )
        assert response.status_code == 201
    again = api(
        "POST",
        f"/routines/{rid}/checkins",
        json={"date": (today - timedelta(days=1)).isoformat(), "status": "skipped"},
    )
    assert again.status_code == 200
    assert len(api("GET", f"/routines/{rid}/checkins").json()["items"]) == 3
    stats = api("GET", f"/routines/{rid}/stats").json()
    assert stats["current_streak"] == 2
    assert 0 < stats["strength"] < 1
    assert 0 < stats["completion_rate_30d"] <= 1
    future = (today + timedelta(days=2)).isoformat()
    assert (
        api(
            "POST", f"/routines/{rid}/checkins", json={"date": future, "status": "done"}
        ).status_code
        == 422
    )
    assert (
        api(
            "POST", f"/routines/{rid}/checkins", json={"date": "2026-11-01", "status": "maybe"}
        ).status_code
        == 422
    )
    assert (
        api(
            "DELETE", f"/routines/{rid}/checkins/{(today - timedelta(days=1)).isoformat()}"
        ).status_code
        == 204
    )
    assert (
        api(
            "DELETE", f"/routines/{rid}/checkins/{(today - timedelta(days=1)).isoformat()}"
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("schedule", "field"),
    [
        ({"kind": "weekdays", "days": []}, "schedule.days"),
        ({"kind": "weekdays", "days": [7]}, "schedule.days"),
        ({"kind": "times_per_week", "count": 9}, "schedule.count"),
        ({"kind": "every_n_days"}, "schedule.n"),
        ({"kind": "hourly"}, "schedule.kind"),
    ],
)
def test_bad_schedules_are_refused_naming_the_field(client_of, schedule, field):
    api = client_of()
    response = api("POST", "/routines", json={"name": "R", "schedule": schedule})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert api("GET", "/routines").json()["items"] == []


@pytest.mark.promise("P12")
def test_another_user_gets_404_on_every_object_for_every_method(client_of):
    owner = client_of("owner@example.test")
    outsider = client_of("outsider@example.test")
    project = owner("POST", "/projects", json={"name": "Secret"}).json()
    entry = owner(
        "POST",
        "/time-entries",
        json={
            "start": "2026-11-24T09:00:00+00:00",
            "end": "2026-11-24T10:00:00+00:00",
            "project_id": project["id"],
        },
    ).json()
    routine = owner(
        "POST",
        "/routines",
        json={
            "name": "Private",
            "schedule": {"kind": "daily"},
            "steps": [{"name": "s", "duration_seconds": 60}],
        },
    ).json()
    owner(
        "POST", f"/routines/{routine['id']}/checkins", json={"date": "2026-11-20", "status": "done"}
    )
    goal = owner(
        "POST", "/goals", json={"period": "week", "seconds": 36000, "project_id": project["id"]}
    ).json()
    paths = {
        f"/goals/{goal['id']}": ["GET", "PATCH", "DELETE"],
        f"/projects/{project['id']}": ["GET", "PATCH", "DELETE"],
        f"/time-entries/{entry['id']}": ["GET", "PATCH", "DELETE"],
        f"/time-entries/{entry['id']}/duplicate": ["POST"],
        f"/time-entries/{entry['id']}/continue": ["POST"],
        f"/routines/{routine['id']}": ["GET", "PATCH", "DELETE"],
        f"/routines/{routine['id']}/checkins": ["GET", "POST"],
        f"/routines/{routine['id']}/checkins/2026-11-20": ["DELETE"],
        f"/routines/{routine['id']}/stats": ["GET"],
        f"/routines/{routine['id']}/run/start": ["POST"],
        f"/routines/{routine['id']}/run/next": ["POST"],
        f"/routines/{routine['id']}/run/finish": ["POST"],
    }

    def body_for(method: str, path: str):
        if path.endswith("checkins") and method == "POST":
            return {"date": "2026-11-21", "status": "done"}
        if method == "PATCH" and "goals" in path:
            return {"seconds": 60}
        if method == "PATCH":
            return {"description": "stolen"} if "time-entries" in path else {"name": "stolen"}
        return None

    for path, methods in paths.items():
        for method in methods:
            body = body_for(method, path)
            response = outsider(method, path, json=body) if body else outsider(method, path)
            assert response.status_code == 404, (method, path, response.status_code)
    assert owner("GET", f"/projects/{project['id']}").json()["name"] == "Secret"
    assert owner("GET", f"/routines/{routine['id']}").json()["name"] == "Private"
    assert len(owner("GET", f"/routines/{routine['id']}/checkins").json()["items"]) == 1
    assert owner("GET", f"/goals/{goal['id']}").json()["seconds"] == 36000
    assert outsider("GET", "/time-entries").json()["items"] == []
    assert outsider("GET", "/goals").json()["items"] == []
    on_their_project = {"period": "week", "seconds": 3600, "project_id": project["id"]}
    assert outsider("POST", "/goals", json=on_their_project).status_code == 422
    assert (
        outsider(
            "GET", "/reports/summary", params={"from": "2026-11-24", "to": "2026-11-24"}
        ).json()["total_seconds"]
        == 0
    )
    cross = outsider(
        "POST",
        "/time-entries",
        json={
            "start": "2026-11-24T09:00:00+00:00",
            "end": "2026-11-24T10:00:00+00:00",
            "project_id": project["id"],
        },
    )
    assert cross.status_code == 422


TOGGL = (
    "\ufeffUser,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags,Amount (EUR)\n"
    'Ana,ana@example.test,,Website,,Design,No,2026-11-20,09:00:00,2026-11-20,10:30:00,01:30:00,"ui, web",\n'
    "Ana,ana@example.test,,,,Email,No,2026-11-20,11:00:00,2026-11-20,11:15:00,00:15:00,,\n"
)
TOGGL_BAD = TOGGL + (
    "Ana,ana@example.test,,Website,,Broken,No,2026-11-21,12:00:00,2026-11-21,11:00:00,00:00:00,,\n"
    "Ana,ana@example.test,,Website,,Broken,No,2026-13-40,12:00:00,2026-11-21,13:00:00,01:00:00,,\n"
)


def test_toggl_import_is_all_or_nothing_and_never_duplicates(client_of):
    api = client_of(timezone_name="Europe/Bucharest")
    bad = api(
        "POST",
        "/import/time-entries",
        files={"file": ("toggl.csv", TOGGL_BAD.encode(), "text/csv")},
    )
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["row 4", "row 5"]
    assert api("GET", "/time-entries").json()["items"] == []
    assert api("GET", "/projects").json()["items"] == []
    good = api(
        "POST", "/import/time-entries", files={"file": ("toggl.csv", TOGGL.encode(), "text/csv")}
    )
    assert good.status_code == 201, good.text
    assert good.json() == {"imported": 2, "skipped_duplicates": 0, "format": "toggl"}
    again = api(
        "POST", "/import/time-entries", files={"file": ("toggl.csv", TOGGL.encode(), "text/csv")}
    )
    assert again.json() == {"imported": 0, "skipped_duplicates": 2, "format": "toggl"}
    items = api("GET", "/time-entries").json()["items"]
    design = next(e for e in items if e["description"] == "Design")
    assert datetime.fromisoformat(design["start"]) == datetime(2026, 11, 20, 7, 0, tzinfo=UTC)
    assert design["tags"] == ["ui", "web"]
    assert [p["name"] for p in api("GET", "/projects").json()["items"]] == ["Website"]


def test_export_csv_round_trips_through_import(client_of):
    source = client_of("a@example.test", timezone_name="Asia/Tokyo")
    source("POST", "/projects", json={"name": "Book"})
    project = source("GET", "/projects").json()["items"][0]
    source(
        "POST",
        "/time-entries",
        json={
            "description": '=Chapter 1, "draft"',
            "start": "2026-11-20T22:00:00+09:00",
            "end": "2026-11-21T01:00:00+09:00",
            "project_id": project["id"],
            "tags": ["writing", "night"],
        },
    )
    exported = source("GET", "/time-entries/export", params={"format": "csv"})
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    target = client_of("b@example.test", timezone_name="Asia/Tokyo")
    imported = target(
        "POST", "/import/time-entries", files={"file": ("export.csv", exported.content, "text/csv")}
    )
    assert imported.status_code == 201, imported.text
    assert imported.json()["format"] == "routinie-csv"
    [copy] = target("GET", "/time-entries").json()["items"]
    assert copy["description"] == '=Chapter 1, "draft"'
    assert "'=Chapter 1" in exported.text  # a spreadsheet would run =… as a formula
    assert sorted(copy["tags"]) == ["night", "writing"]
    assert copy["duration_seconds"] == 3 * 3600
    as_json = source("GET", "/time-entries/export", params={"format": "json"}).json()
    assert as_json["time_entries"][0]["project"] == "Book"
    assert source("GET", "/time-entries/export", params={"format": "xml"}).status_code == 422


def test_unknown_fields_and_bad_json_are_refused(client_of):
    api = client_of()
    assert api("POST", "/projects", json={"name": "X", "budget": 5}).status_code == 422
    assert (
        api(
            "POST", "/projects", content=b"{not json", headers={"content-type": "application/json"}
        ).status_code
        == 400
    )
    assert api("GET", "/time-entries/not-a-uuid").status_code == 422
    assert api("POST", "/projects", json={"name": "Dup"}).status_code == 201
    assert api("POST", "/projects", json={"name": "dup"}).status_code == 409


def test_the_week_start_setting_moves_weekly_totals(client_of):
    api = client_of(timezone_name="Europe/Bucharest")
    assert api("PATCH", "/me", json={"week_start": 6}).json()["week_start"] == 6
    assert api("PATCH", "/me", json={"week_start": 9}).status_code == 422
    api(
        "POST",
        "/time-entries",
        json={"start": "2026-11-08T10:00:00+02:00", "end": "2026-11-08T11:00:00+02:00"},
    )
    weeks = api(
        "GET",
        "/reports/summary",
        params={"from": "2026-11-01", "to": "2026-11-14", "group_by": "week"},
    ).json()
    assert [g["key"] for g in weeks["groups"]] == ["2026-11-08"]  # a Sunday starts the week
