"""Loop Habit Tracker's CSV zip in and out, over a live server (black-box): the API and the
/routines/ page; all or none with every bad value named; the same file twice adds nothing; zip
bombs and names outside the archive refused; our export read back by our import."""

import csv
import io
import zipfile
from datetime import date, timedelta

import pytest

from tests.e2e.site_client import api_sign_up, api_token

pytestmark = pytest.mark.django_db(transaction=True)

# Loop's own header and its quirks: zero-padded positions, a trailing comma in Checkmarks.csv.
HABITS_HEADER = (
    "Position,Name,Type,Question,Description,FrequencyNumerator,FrequencyDenominator,Color,"
    "Unit,Target Type,Target Value,Archived?\n"
)


def loop_zip(habits: str, checkmarks: str, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Habits.csv", habits)
        archive.writestr("Checkmarks.csv", checkmarks)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def days_ago(n: int) -> str:
    return (date.today() - timedelta(days=n)).isoformat()


def sample_export() -> bytes:
    habits = HABITS_HEADER + (
        "001,Meditate,YES_NO,Did you meditate today?,,1,1,#FF8F00,,AT_LEAST,0.0,false\n"
        '002,"Run, outside",YES_NO,,,3,7,#00897B,,AT_LEAST,0.0,false\n'
        "003,Water,NUMERICAL,,,1,1,#1E88E5,glasses,AT_LEAST,8.0,false\n"
        "004,Call mum,YES_NO,,,1,7,#5E35B1,,AT_LEAST,0.0,true\n"
        "005,Budget,YES_NO,,,10,30,#5E35B1,,AT_LEAST,0.0,false\n"
    )
    checkmarks = '"Date",Meditate,"Run, outside",Water,Call mum,Budget,\n' + "".join(
        f"{days_ago(n)},{m},{r},{w},{c},-1,\n"
        for n, m, r, w, c in [
            (1, 2, 0, 8000, 2),
            (2, 3, 2, 2500, -1),
            (3, 0, 1, -1, -1),
            (4, -1, 2, 0, -1),
        ]
    )
    extra = {"001 Meditate/Checkmarks.csv": b"2026-01-01,2\n", "Scores.csv": b"Date,\n"}
    return loop_zip(habits, checkmarks, extra)


@pytest.fixture
def api(site):
    web = site()
    assert api_sign_up(web, "Ana Pop", "ana@example.test").status_code == 201
    token = api_token(web, "ana@example.test")

    def call(method: str, path: str, **kwargs):
        return web.api(method, path, token=token, **kwargs)

    return call


def upload(api, data: bytes, name: str = "Loop Habits CSV 2026-11-30.zip"):
    return api("POST", "/import/routines", files={"file": (name, data, "application/zip")})


def routines_by_name(api) -> dict[str, dict]:
    return {r["name"]: r for r in api("GET", "/routines").json()["items"]}


def checkins(api, routine_id: str) -> dict[str, tuple[str, float | None]]:
    items = api("GET", f"/routines/{routine_id}/checkins").json()["items"]
    return {c["date"]: (c["status"], c["value"]) for c in items}


def test_a_loop_export_becomes_routines_and_check_ins_once(api):
    first = upload(api, sample_export())
    assert first.status_code == 201, first.text
    assert first.json() == {"imported_routines": 5, "imported_checkins": 7}
    routines = routines_by_name(api)
    assert routines["Meditate"]["schedule"]["kind"] == "daily"
    run = routines["Run, outside"]["schedule"]
    assert (run["kind"], run["count"]) == ("times_per_week", 3)
    assert routines["Call mum"]["schedule"]["kind"] == "times_per_week"
    assert routines["Call mum"]["archived"] is True
    assert routines["Budget"]["schedule"]["count"] == 2, "10 a month is about 2 a week"
    assert routines["Water"]["target"] == {"value": 8.0, "unit": "glasses"}
    # 2 done, 3 skipped; 0, 1 (Loop's automatic mark) and -1 are no check-in.
    assert checkins(api, routines["Meditate"]["id"]) == {
        days_ago(1): ("done", None),
        days_ago(2): ("skipped", None),
    }
    assert set(checkins(api, routines["Run, outside"]["id"])) == {days_ago(2), days_ago(4)}
    assert checkins(api, routines["Water"]["id"]) == {
        days_ago(1): ("done", 8.0),
        days_ago(2): ("done", 2.5),
    }

    again = upload(api, sample_export())
    assert again.status_code == 201
    assert again.json() == {"imported_routines": 0, "imported_checkins": 0}
    assert len(routines_by_name(api)) == 5


def test_a_bad_value_is_named_by_file_row_and_column_and_nothing_is_imported(api):
    habits = HABITS_HEADER + "001,Read,YES_NO,,,1,1,#FF8F00,,AT_LEAST,0,false\n"
    checkmarks = f"Date,Read,\n{days_ago(1)},2,\n{days_ago(2)},7,\n2026-13-01,2,\n"
    answer = upload(api, loop_zip(habits, checkmarks))
    assert answer.status_code == 422
    fields = {e["field"]: e["message"] for e in answer.json()["errors"]}
    assert 'Checkmarks.csv row 3, column "Read"' in fields
    assert "7 is not 2 (done)" in fields['Checkmarks.csv row 3, column "Read"']
    assert "Checkmarks.csv row 4, column Date" in fields
    assert api("GET", "/routines").json()["items"] == [], "all or none"

    bad_habit = HABITS_HEADER + "001,,YES_NO,,,0,7,#FF8F00,,AT_LEAST,0,maybe\n"
    answer = upload(api, loop_zip(bad_habit, "Date,\n"))
    assert answer.status_code == 422
    assert {e["field"] for e in answer.json()["errors"]} == {
        "Habits.csv row 2, column Name",
        "Habits.csv row 2, column FrequencyNumerator",
        "Habits.csv row 2, column Archived?",
    }


def test_columns_are_read_by_header_and_older_exports_too(api):
    # Older Loop versions: NumRepetitions and Interval, no Type; columns in another order.
    habits = "Name,Interval,Position,NumRepetitions,Description\nStretch,7,001,2,\n"
    checkmarks = f"Date,Stretch\n{days_ago(3)},2\n"
    answer = upload(api, loop_zip(habits, checkmarks))
    assert answer.status_code == 201, answer.text
    stretch = routines_by_name(api)["Stretch"]
    assert (stretch["schedule"]["kind"], stretch["schedule"]["count"]) == ("times_per_week", 2)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"Date,Read\n2026-01-01,2\n", "not a zip archive"),
        (b"PK\x03\x04 broken", "damaged"),
        (loop_zip("Name\n", "Date\n", {"../../etc/passwd": b"x"}), "outside itself"),
        (loop_zip("Name\n", "Date\n", {"/abs.csv": b"x"}), "outside itself"),
        (loop_zip("Name,FrequencyNumerator\nA,1\n", "Date\n"), "lacks the frequency"),
    ],
)
def test_files_that_are_not_a_loop_export_are_refused_with_a_clear_error(api, data, expected):
    answer = upload(api, data)
    assert answer.status_code == 422
    assert expected in answer.text
    assert api("GET", "/routines").json()["items"] == []


def test_a_zip_bomb_is_refused_without_unpacking_it(api):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Habits.csv", HABITS_HEADER)
        archive.writestr("Checkmarks.csv", "Date," + "0" * (30 * 1024 * 1024))
    assert len(bomb.getvalue()) < 100_000
    answer = upload(api, bomb.getvalue())
    assert answer.status_code == 422
    assert "Checkmarks.csv" in answer.json()["detail"] + answer.text


def test_the_export_is_loops_shape_and_reads_back_into_an_empty_account(api, site):
    assert upload(api, sample_export()).status_code == 201
    answer = api("GET", "/routines/export")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    assert sorted(archive.namelist()) == ["Checkmarks.csv", "Habits.csv"]
    habits = list(csv.DictReader(io.StringIO(archive.read("Habits.csv").decode())))
    assert [h["Name"] for h in habits] == [
        "Meditate",
        "Run, outside",
        "Water",
        "Call mum",
        "Budget",
    ]
    assert (habits[1]["FrequencyNumerator"], habits[1]["FrequencyDenominator"]) == ("3", "7")
    assert (habits[2]["Type"], habits[2]["Unit"], habits[2]["Target Value"]) == (
        "NUMERICAL",
        "glasses",
        "8.0",
    )
    rows = list(csv.reader(io.StringIO(archive.read("Checkmarks.csv").decode())))
    assert rows[0][0] == "Date"
    assert rows[0][-1] == ""
    by_day = {row[0]: row[1:] for row in rows[1:]}
    assert by_day[days_ago(1)][:3] == ["2", "0", "8000"]
    assert by_day[days_ago(2)][:3] == ["3", "2", "2500"]

    other = site()
    assert api_sign_up(other, "Ben Rus", "ben@example.test").status_code == 201
    token = api_token(other, "ben@example.test")
    back = other.api(
        "POST", "/import/routines", token=token, files={"file": ("x.zip", answer.content)}
    )
    assert back.status_code == 201, back.text
    assert back.json() == {"imported_routines": 5, "imported_checkins": 7}
    mine = routines_by_name(api)
    theirs = {r["name"]: r for r in other.api("GET", "/routines", token=token).json()["items"]}
    for name, routine in mine.items():
        assert theirs[name]["schedule"] == routine["schedule"]
        assert theirs[name]["target"] == routine["target"]
        assert theirs[name]["archived"] == routine["archived"]
        again = other.api("GET", f"/routines/{theirs[name]['id']}/checkins", token=token).json()
        assert {(c["date"], c["status"], c["value"]) for c in again["items"]} == {
            (day, status, value) for day, (status, value) in checkins(api, routine["id"]).items()
        }


def test_the_routines_page_imports_names_bad_rows_and_offers_the_export(site):
    web = site()
    assert web.sign_up("Ana Pop", "ana@example.test").status_code == 302
    page = web.get("/routines/")
    assert 'action="/routines/import/"' in page.text
    assert 'href="/routines/export/"' in page.text
    token = web.csrf_from("/routines/")
    bad = web.http.post(
        "/routines/import/",
        data={"csrfmiddlewaretoken": token},
        files={"file": ("loop.zip", loop_zip(HABITS_HEADER, "Date,Nope,\n"))},
    )
    assert bad.status_code == 422
    assert "Nothing was imported" in bad.text
    assert "Checkmarks.csv row 1" in bad.text
    good = web.http.post(
        "/routines/import/",
        data={"csrfmiddlewaretoken": token},
        files={"file": ("loop.zip", sample_export())},
    )
    assert good.status_code == 302
    listed = web.get("/routines/")
    assert "Imported 5 routines and 7 check-ins" in listed.text
    assert "Meditate" in listed.text
    download = web.get("/routines/export/")
    assert download.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(download.content)).read("Habits.csv").startswith(b"Position")


def test_a_routine_of_the_same_name_is_kept_with_its_own_days(api):
    mine = api("POST", "/routines", json={"name": " meditate ", "schedule": {"kind": "daily"}})
    assert mine.status_code == 201
    routine_id = mine.json()["id"]
    hand = {"date": days_ago(1), "status": "note", "note": "by hand"}
    assert api("POST", f"/routines/{routine_id}/checkins", json=hand).status_code == 201
    answer = upload(api, sample_export())
    assert answer.status_code == 201
    assert answer.json() == {"imported_routines": 4, "imported_checkins": 6}
    assert checkins(api, routine_id) == {
        days_ago(1): ("note", None),
        days_ago(2): ("skipped", None),
    }
