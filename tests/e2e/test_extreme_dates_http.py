"""Extreme dates, bare numbers, a DST gap and rows stored before the date range: over a live
server, the API, the forms and the imports answer with a clear 422 (or a form error) and
store nothing; a row already stored out of range never breaks the person's pages (issue 15,
item 3 and the DST part of item 9)."""

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest
from django.db import connection
from django.utils import timezone

from routinie.tracking.models import TimeEntry
from tests.e2e.site_client import Site, api_sign_up, api_token

pytestmark = pytest.mark.django_db(transaction=True)

Api = Callable[..., httpx.Response]


class Person:
    """A signed-up person, signed in on the site and holding an API token."""

    def __init__(self, web: Site, email: str, zone: str) -> None:
        self.web, self.email = web, email
        assert api_sign_up(web, "Ana Pop", email).status_code == 201
        self.token = api_token(web, email)
        assert self.api("PATCH", "/me", json={"timezone": zone}).status_code == 200
        assert web.sign_in(email).status_code == 302

    def api(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.web.api(method, path, token=self.token, **kwargs)

    def entries(self) -> list[dict[str, Any]]:
        answer = self.api("GET", "/time-entries")
        assert answer.status_code == 200, answer.text
        return list(answer.json()["items"])


@pytest.fixture
def new_york(site: Callable[..., Site]) -> Person:
    return Person(site(), "ny@example.test", "America/New_York")


def _refused(answer: httpx.Response, field: str) -> str:
    assert answer.status_code == 422, answer.text
    fields = [error["field"] for error in answer.json()["errors"]]
    assert field in fields, answer.text
    return str(answer.json()["errors"][fields.index(field)]["message"])


# --- The API refuses what is outside the range, and bare numbers -------------------------------
@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("0001-01-01T00:00:00-05:00", "0001-01-01T01:00:00-05:00"),  # year 1 in New York
        ("1900-01-01T09:00:00+00:00", "1900-01-01T10:00:00+00:00"),
        ("9999-12-31T22:00:00+00:00", "9999-12-31T23:00:00+00:00"),
        ("2101-01-01T09:00:00+00:00", "2101-01-01T10:00:00+00:00"),
    ],
)
def test_an_entry_outside_the_date_range_is_refused_and_nothing_is_stored(new_york, start, end):
    message = _refused(
        new_york.api("POST", "/time-entries", json={"start": start, "end": end}), "start"
    )
    assert "between 1970-01-01 and 2100-12-31" in message
    assert new_york.entries() == []
    assert new_york.web.get("/entries/").status_code == 200


@pytest.mark.parametrize("bare", [-358, 0, 1700000000, "-358", "1700000000", 1.5])
def test_a_bare_number_is_not_a_date_or_a_time(new_york, bare):
    _refused(new_york.api("POST", "/time-entries", json={"start": bare}), "start")
    routine = new_york.api(
        "POST", "/routines", json={"name": "Read", "schedule": {"kind": "daily"}}
    ).json()
    checkin = {"date": bare, "status": "done"}
    _refused(new_york.api("POST", f"/routines/{routine['id']}/checkins", json=checkin), "date")
    _refused(new_york.api("GET", "/time-entries", params={"from": str(bare)}), "from")
    assert new_york.entries() == []


def test_a_running_timer_cannot_be_moved_to_1900_nor_to_more_than_seven_days_ago(new_york):
    running = new_york.api("POST", "/timer/start", json={"description": "Write"}).json()
    path = f"/time-entries/{running['id']}"
    _refused(new_york.api("PATCH", path, json={"start": "1900-01-01T09:00:00+00:00"}), "start")
    eight_days_ago = (timezone.now() - timedelta(days=8)).isoformat()
    message = _refused(new_york.api("PATCH", path, json={"start": eight_days_ago}), "start")
    assert "7 days" in message
    assert new_york.api("GET", "/timer").json()["running"]["start"] == running["start"]
    an_hour_ago = (timezone.now() - timedelta(hours=1)).isoformat()
    assert new_york.api("PATCH", path, json={"start": an_hour_ago}).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "/reports/summary?from=9999-12-30&to=9999-12-31&group_by=week",
        "/reports/summary?from=0001-01-01&to=0001-01-07&group_by=month",
        "/time-entries?from=0001-01-01&to=9999-12-31",
        "/time-entries/export?format=json&from=0001-01-01",
    ],
)
def test_an_out_of_range_date_in_a_query_is_a_422(new_york, query):
    answer = new_york.api("GET", query)
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"]


# --- The pages' forms ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        "/entries/?first=0001-01-01&last=9999-12-31",
        "/week/?week=0001-01-01",
    ],
)
def test_an_out_of_range_date_in_a_page_address_is_answered_without_an_error(new_york, path):
    page = new_york.web.get(path)
    assert page.status_code in (200, 422), page.status_code


def test_the_manual_entry_form_refuses_9999_12_31_from_23_00_to_01_00(new_york):
    for form_page, action, prefix in [
        ("/entries/", "/entries/new/", ""),
        ("/today/", "/today/manual/", "manual-"),
    ]:
        answer = new_york.web.submit(
            form_page,
            action,
            {
                f"{prefix}description": "Late",
                f"{prefix}day": "9999-12-31",
                f"{prefix}start_time": "23:00",
                f"{prefix}end_time": "01:00",
                f"{prefix}confirm_long": "on",
            },
        )
        assert answer.status_code == 422, (action, answer.status_code)
        assert "between 1970-01-01 and 2100-12-31" in answer.text
    assert new_york.entries() == []


def test_a_manual_entry_in_the_spring_forward_gap_is_refused_with_a_clear_message(new_york):
    """New York's clocks went from 02:00 to 03:00 on 2026-03-08: 02:30 did not exist."""
    for form_page, action, prefix in [
        ("/entries/", "/entries/new/", ""),
        ("/today/", "/today/manual/", "manual-"),
    ]:
        answer = new_york.web.submit(
            form_page,
            action,
            {
                f"{prefix}description": "Night shift",
                f"{prefix}day": "2026-03-08",
                f"{prefix}start_time": "02:30",
                f"{prefix}end_time": "02:45",
            },
        )
        assert answer.status_code == 422, (action, answer.status_code)
        assert "does not exist in America/New_York" in answer.text
    assert new_york.entries() == []
    # Either side of the change is a real time, and an hour's duration across it is an hour.
    answer = new_york.web.submit(
        "/today/",
        "/today/manual/",
        {
            "manual-description": "Night shift",
            "manual-day": "2026-03-08",
            "manual-start_time": "01:30",
            "manual-duration": "1h",
        },
    )
    assert answer.status_code == 302, answer.status_code
    (entry,) = new_york.entries()
    assert (entry["start"], entry["end"]) == (
        "2026-03-08T01:30:00-05:00",
        "2026-03-08T03:30:00-04:00",
    )


def test_an_import_with_an_entry_outside_the_range_is_refused_whole(new_york):
    document = {
        "time_entries": [
            {"start": "2026-11-02T09:00:00+00:00", "end": "2026-11-02T10:00:00+00:00"},
            {"start": "0001-01-01T09:00:00+05:00", "end": "0001-01-01T10:00:00+05:00"},
        ]
    }
    files = {"file": ("entries.json", json.dumps(document).encode(), "application/json")}
    answer = new_york.api("POST", "/import/time-entries", files=files)
    assert answer.status_code == 422, answer.text
    assert "between 1970-01-01 and 2100-12-31" in answer.text
    assert new_york.entries() == []


# --- Rows stored before the rule -----------------------------------------------------------------
def _move_with_sql(description: str, start: str, end: str | None) -> None:
    """Write an entry's times as a request before this fix could: straight into the table."""
    table = TimeEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE {table} SET start = %s, "end" = %s WHERE description = %s',
            [start, end, description],
        )
        assert cursor.rowcount == 1


def test_rows_stored_out_of_range_do_not_break_the_persons_pages_lists_and_timer(new_york):
    now = timezone.now()
    for description in ("year one", "year 9999"):
        body = {
            "description": description,
            "start": (now - timedelta(hours=3)).isoformat(),
            "end": (now - timedelta(hours=2)).isoformat(),
        }
        assert new_york.api("POST", "/time-entries", json=body).status_code == 201
    assert new_york.api("POST", "/timer/start", json={"description": "running"}).status_code == 201
    _move_with_sql("year one", "0001-01-01 03:00:00", "0001-01-01 04:00:00")
    _move_with_sql("year 9999", "9999-12-31 22:00:00", "9999-12-31 23:00:00")
    _move_with_sql("running", "0001-01-01 03:00:00", None)

    for path in ("/entries/", "/today/", "/week/", "/reports/", "/account/"):
        assert new_york.web.get(path).status_code == 200, path
    assert len(new_york.entries()) == 3
    timer = new_york.api("GET", "/timer")
    assert timer.status_code == 200, timer.text
    assert timer.json()["running"]["description"] == "running"
    summary = new_york.api("GET", "/reports/summary?from=2026-01-01&to=2026-12-31&group_by=week")
    assert summary.status_code == 200, summary.text
    stopped = new_york.api("POST", "/timer/stop")
    assert stopped.status_code == 200, stopped.text
    assert new_york.api("GET", "/timer").json() == {"running": None, "forgotten": None}
    assert new_york.api("POST", "/timer/start", json={"description": "next"}).status_code == 201
