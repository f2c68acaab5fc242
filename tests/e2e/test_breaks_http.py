"""Breaks inside an entry through API v1 over a live server (issue 17): pause and resume the
timer, breaks on entries, worked time in durations, reports and the CSV export."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from tests.e2e.test_tracking_api import client_of  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)

NINE = datetime(2026, 3, 2, 9, tzinfo=UTC)


def _at(minutes: int) -> str:
    return (NINE + timedelta(minutes=minutes)).isoformat()


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_pause_resume_and_stop_while_paused(client_of):  # noqa: F811
    api = client_of()
    assert api("POST", "/timer/pause").status_code == 409  # nothing runs
    assert api("POST", "/timer/resume").status_code == 409
    started = api("POST", "/timer/start", json={"description": "Write"}).json()
    assert (started["breaks"], started["break_seconds"]) == ([], 0)
    assert api("POST", "/timer/resume").status_code == 409  # nothing is paused
    paused = api("POST", "/timer/pause")
    assert paused.status_code == 200
    assert len(paused.json()["breaks"]) == 1
    assert paused.json()["breaks"][0]["end"] is None
    assert api("POST", "/timer/pause").status_code == 409  # already paused
    running = api("GET", "/timer").json()["running"]
    assert running["breaks"][0]["end"] is None
    resumed = api("POST", "/timer/resume")
    assert resumed.status_code == 200
    first = resumed.json()["breaks"][0]
    assert first["end"] is not None
    assert _moment(first["end"]) >= _moment(first["start"])
    assert api("POST", "/timer/pause").status_code == 200
    stopped = api("POST", "/timer/stop").json()
    # The stop closes the open break at the stop's time.
    assert [b["end"] is not None for b in stopped["breaks"]] in ([True, True], [True])
    assert _moment(stopped["breaks"][-1]["end"]) == _moment(stopped["end"])
    assert api("POST", "/timer/resume").status_code == 409


def test_an_entry_keeps_its_breaks_and_its_duration_leaves_them_out(client_of):  # noqa: F811
    api = client_of()
    body = {
        "description": "Design",
        "start": _at(0),
        "end": _at(120),
        "breaks": [{"start": _at(60), "end": _at(75)}, {"start": _at(10), "end": _at(15)}],
    }
    made = api("POST", "/time-entries", json=body)
    assert made.status_code == 201, made.text
    entry = made.json()
    assert (entry["duration_seconds"], entry["break_seconds"]) == (100 * 60, 20 * 60)
    assert [_moment(b["start"]) for b in entry["breaks"]] == [
        NINE + timedelta(minutes=10),
        NINE + timedelta(minutes=60),
    ]
    listed = api("GET", "/time-entries?from=2026-03-02&to=2026-03-02").json()["items"]
    assert [(i["duration_seconds"], i["break_seconds"], len(i["breaks"])) for i in listed] == [
        (6000, 1200, 2)
    ]
    assert listed[0]["breaks"] == entry["breaks"]  # the list reads them in SQL of its own
    # Replacing the breaks, then removing them all.
    patched = api(
        "PATCH",
        f"/time-entries/{entry['id']}",
        json={"breaks": [{"start": _at(30), "end": _at(60)}]},
    ).json()
    assert (patched["duration_seconds"], patched["break_seconds"]) == (90 * 60, 30 * 60)
    cleared = api("PATCH", f"/time-entries/{entry['id']}", json={"breaks": []}).json()
    assert (cleared["duration_seconds"], cleared["breaks"]) == (120 * 60, [])


@pytest.mark.parametrize(
    ("breaks", "code"),
    [
        ([{"start": _at(-5), "end": _at(10)}], "break_outside_entry"),
        ([{"start": _at(110), "end": _at(130)}], "break_outside_entry"),
        ([{"start": _at(20), "end": _at(20)}], "break_end_before_start"),
        (
            [{"start": _at(20), "end": _at(40)}, {"start": _at(30), "end": _at(50)}],
            "breaks_overlap",
        ),
        ([{"start": _at(20)}], "open_break"),
    ],
)
def test_a_bad_break_is_a_clear_error_and_changes_nothing(client_of, breaks, code):  # noqa: F811
    api = client_of()
    body = {"start": _at(0), "end": _at(120), "breaks": [{"start": _at(50), "end": _at(55)}]}
    entry = api("POST", "/time-entries", json=body).json()
    answer = api("PATCH", f"/time-entries/{entry['id']}", json={"breaks": breaks})
    assert answer.status_code == 422
    assert code in answer.text
    assert api("GET", f"/time-entries/{entry['id']}").json() == entry
    refused = api("POST", "/time-entries", json={**body, "breaks": breaks})
    assert refused.status_code == 422
    assert len(api("GET", "/time-entries").json()["items"]) == 1


def test_moving_an_entry_off_its_breaks_is_refused(client_of):  # noqa: F811
    api = client_of()
    body = {"start": _at(0), "end": _at(120), "breaks": [{"start": _at(90), "end": _at(100)}]}
    entry = api("POST", "/time-entries", json=body).json()
    answer = api("PATCH", f"/time-entries/{entry['id']}", json={"end": _at(95)})
    assert answer.status_code == 422
    assert "break_outside_entry" in answer.text
    assert api("GET", f"/time-entries/{entry['id']}").json() == entry
    shorter = api("PATCH", f"/time-entries/{entry['id']}", json={"end": _at(100)})
    assert shorter.json()["duration_seconds"] == 90 * 60


def test_reports_count_worked_time_clipped_to_the_range(client_of):  # noqa: F811
    api = client_of(timezone_name="UTC")
    project = api("POST", "/projects", json={"name": "Client"}).json()
    # Within one day: 2 h with a 30 min break.
    api(
        "POST",
        "/time-entries",
        json={
            "start": _at(0),
            "end": _at(120),
            "project_id": project["id"],
            "tags": ["deep"],
            "breaks": [{"start": _at(30), "end": _at(60)}],
        },
    )
    # Across midnight 2 → 3 March: 22:00-02:00 with a break 23:30-00:30 (30 min each day).
    late = datetime(2026, 3, 2, 22, tzinfo=UTC)
    api(
        "POST",
        "/time-entries",
        json={
            "start": late.isoformat(),
            "end": (late + timedelta(hours=4)).isoformat(),
            "tags": ["deep"],
            "breaks": [
                {
                    "start": (late + timedelta(minutes=90)).isoformat(),
                    "end": (late + timedelta(minutes=150)).isoformat(),
                }
            ],
        },
    )

    def report(first: str, last: str, group_by: str) -> dict:
        path = f"/reports/summary?from={first}&to={last}&group_by={group_by}"
        answer = api("GET", path)
        assert answer.status_code == 200, answer.text
        return answer.json()

    by_day = report("2026-03-02", "2026-03-03", "day")
    assert by_day["total_seconds"] == (90 + 180) * 60
    assert {g["key"]: g["seconds"] for g in by_day["groups"]} == {
        "2026-03-02": (90 + 90) * 60,
        "2026-03-03": 90 * 60,
    }
    for group_by in ("week", "month", "project", "tag"):
        assert report("2026-03-02", "2026-03-03", group_by)["total_seconds"] == 270 * 60
    by_project = report("2026-03-02", "2026-03-03", "project")["groups"]
    assert {g["label"]: g["seconds"] for g in by_project} == {
        "Client": 90 * 60,
        "No project": 180 * 60,
    }
    # Only 2 March: the crossing entry's part before midnight, less its break's part there.
    assert report("2026-03-02", "2026-03-02", "tag")["total_seconds"] == (90 + 90) * 60
    assert report("2026-03-03", "2026-03-03", "project")["total_seconds"] == 90 * 60


def test_the_csv_export_shows_worked_and_break_time(client_of):  # noqa: F811
    api = client_of(timezone_name="UTC")
    body = {"start": _at(0), "end": _at(60), "breaks": [{"start": _at(10), "end": _at(25)}]}
    api("POST", "/time-entries", json=body)
    answer = api("GET", "/time-entries/export?format=csv")
    assert answer.status_code == 200, answer.text
    (row,) = list(csv.DictReader(io.StringIO(answer.text)))
    assert (row["duration_seconds"], row["break_seconds"]) == ("2700", "900")
    assert row["breaks"] == "2026-03-02T09:10:00+00:00/2026-03-02T09:25:00+00:00"


KIMAI_STYLE = (
    "Start date,Start time,End date,End time,Description,Break\n"
    "2026-03-02,09:00:00,2026-03-02,17:00:00,Office,0:45\n"
    "2026-03-03,09:00:00,2026-03-03,10:00:00,Call,\n"
)


def test_importing_a_break_column_keeps_the_break_in_the_middle(client_of):  # noqa: F811
    api = client_of(timezone_name="UTC")
    files = {"file": ("kimai.csv", KIMAI_STYLE.encode(), "text/csv")}
    answer = api("POST", "/import/time-entries", files=files)
    assert answer.status_code == 201, answer.text
    items = api("GET", "/time-entries").json()["items"]
    by_description = {item["description"]: item for item in items}
    office = by_description["Office"]
    assert (office["duration_seconds"], office["break_seconds"]) == (435 * 60, 45 * 60)
    (middle,) = office["breaks"]
    assert (_moment(middle["start"]), _moment(middle["end"])) == (
        datetime(2026, 3, 2, 12, 37, 30, tzinfo=UTC),
        datetime(2026, 3, 2, 13, 22, 30, tzinfo=UTC),
    )
    assert by_description["Call"]["breaks"] == []
    # The same file again adds nothing; a break as long as its entry is refused, all or none.
    assert api("POST", "/import/time-entries", files=files).json()["imported"] == 0
    too_long = KIMAI_STYLE.replace("Call,", "Call,1:00").replace("Office", "Desk")
    refused = api("POST", "/import/time-entries", files={"file": ("k.csv", too_long.encode())})
    assert refused.status_code == 422
    assert "is not shorter than the entry" in refused.text
    unreadable = KIMAI_STYLE.replace("0:45", "lunch").replace("Office", "Desk")
    refused = api("POST", "/import/time-entries", files={"file": ("k.csv", unreadable.encode())})
    assert refused.status_code == 422
    assert "is not a length like 0:30" in refused.text
    assert len(api("GET", "/time-entries").json()["items"]) == 2


@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_an_export_imported_again_keeps_its_breaks_exactly(client_of, file_format):  # noqa: F811
    api = client_of(timezone_name="Europe/Bucharest")
    body = {
        "start": _at(0),
        "end": _at(240),
        "breaks": [{"start": _at(60), "end": _at(75)}, {"start": _at(200), "end": _at(230)}],
    }
    made = api("POST", "/time-entries", json=body).json()
    exported = api("GET", f"/time-entries/export?format={file_format}")
    assert exported.status_code == 200
    assert api("DELETE", f"/time-entries/{made['id']}").status_code == 204
    files = {"file": (f"routinie.{file_format}", exported.content)}
    answer = api("POST", "/import/time-entries", files=files)
    assert answer.status_code == 201, answer.text
    (again,) = api("GET", "/time-entries").json()["items"]
    assert again["breaks"] == made["breaks"]
    assert (again["duration_seconds"], again["break_seconds"]) == (195 * 60, 45 * 60)
