"""Each hot write is one short transaction with the fewest statements, pinned statement by
statement. The bearer token's own lookup is left out (it belongs to authentication). The tests
run outside a test transaction, so BEGIN and COMMIT are the real ones: the request's own
transaction (`core.request_transaction`: a write request that fails leaves nothing behind),
inside which a service's atomic block is a SAVEPOINT and its RELEASE."""

import json
import re
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from routinie.accounts.services import create_api_token
from routinie.tracking.calendar import today_for
from routinie.tracking.entries.services import create_entry, create_project, start_timer, stop_timer
from routinie.tracking.models import CheckIn, Tag, TimeEntry
from routinie.tracking.routines.schedules import ScheduleSpec
from routinie.tracking.routines.services import create_routine

pytestmark = pytest.mark.django_db(transaction=True)

TABLE = re.compile(r'(?:FROM|INTO|UPDATE)\s+"(\w+)"')
PARENTHESES = re.compile(r"\([^()]*\)")


def _outer(sql: str) -> str:
    """The statement without anything in parentheses (its subqueries among them)."""
    while (bare := PARENTHESES.sub("", sql)) != sql:
        sql = bare
    return sql


def _shape(sql: str) -> str:
    """`SELECT tracking_tag`, `INSERT tracking_timeentry`, `BEGIN`, `COMMIT`, … (of the
    statement itself: its subqueries, like the running timer's pause state, left out)."""
    verb = sql.split()[0].upper()
    table = TABLE.search(_outer(sql))
    return f"{verb} {table.group(1)}" if table and verb not in {"BEGIN", "COMMIT"} else verb


@pytest.fixture
def person(ada):
    user = ada
    _, token = create_api_token(user=user, label="writes")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get("/api/v1/me").status_code == 200  # notes the token's use for a minute
    return user, client


def _write(client: Client, path: str, body: dict | None = None) -> tuple[int, dict, list[str]]:
    """POST `body`; the status, the answer, and the statements it ran besides authentication."""
    with CaptureQueriesContext(connection) as queries:
        response = client.post(path, json.dumps(body or {}), content_type="application/json")
    statements = [q["sql"] for q in queries.captured_queries if "accounts_" not in q["sql"]]
    return response.status_code, json.loads(response.content), [_shape(s) for s in statements]


def _entry_body(project_id: str, tags: list[str], **extra: object) -> dict:
    start = timezone.now() - timedelta(hours=2)
    return {
        "description": "Design",
        "project_id": project_id,
        "tags": tags,
        "start": start.isoformat(),
        "end": (start + timedelta(hours=1)).isoformat(),
        **extra,
    }


@pytest.mark.parametrize(
    ("sent", "tag_insert"),
    [
        (["web", "ui"], []),
        (["web", "new", "Zed"], ["INSERT tracking_tag"]),  # new tags: one INSERT returns their ids
    ],
)
def test_creating_an_entry_is_one_transaction_of_six_statements(person, sent, tag_insert):
    user, client = person
    project, _ = create_project(user=user, name="Web")
    Tag.objects.bulk_create([Tag(user=user, name="web"), Tag(user=user, name="ui")])
    status, answer, statements = _write(
        client, "/api/v1/time-entries", _entry_body(str(project.id), sent)
    )
    assert status == 201
    assert statements == [
        "BEGIN",
        "SELECT tracking_project",
        "SAVEPOINT",
        "INSERT tracking_timeentry",
        "SELECT tracking_tag",
        *tag_insert,
        "INSERT tracking_timeentry_tags",
        "RELEASE",
        "COMMIT",
    ]
    assert (answer["project_id"], answer["tags"]) == (str(project.id), sorted(sent))
    entry = TimeEntry.objects.get(pk=answer["id"])
    assert sorted(t.name for t in entry.tags.all()) == sorted(sent)
    assert Tag.objects.filter(user=user).count() == len({"web", "ui", *sent})


def test_repeating_a_create_with_its_id_writes_nothing(person):
    user, client = person
    project, _ = create_project(user=user, name="Web")
    body = _entry_body(str(project.id), ["web"], id=str(uuid.uuid4()))
    first_status, first, _ = _write(client, "/api/v1/time-entries", body)
    again_status, again, statements = _write(client, "/api/v1/time-entries", body)
    assert (first_status, again_status, again) == (201, 200, first)
    assert statements == [
        "BEGIN",
        "SELECT tracking_project",
        "SELECT tracking_timeentry",
        "SELECT tracking_entrybreak",  # the existing entry's breaks, for the answer
        "SELECT tracking_tag",  # and its tags
        "COMMIT",
    ]


def test_starting_a_timer_while_one_runs_is_one_transaction(person):
    user, client = person
    running = start_timer(user=user, description="Old")
    status, answer, statements = _write(
        client, "/api/v1/timer/start", {"description": "New", "tags": ["deep"]}
    )
    assert status == 201
    assert statements == [
        "BEGIN",
        "SAVEPOINT",
        "SELECT tracking_timeentry",
        "UPDATE tracking_timeentry",
        "INSERT tracking_timeentry",
        "SELECT tracking_tag",
        "INSERT tracking_tag",
        "INSERT tracking_timeentry_tags",
        "RELEASE",
        "COMMIT",
    ]
    running.refresh_from_db()
    new = TimeEntry.objects.get(pk=answer["id"])
    assert (running.end, new.end, answer["tags"]) == (new.start, None, ["deep"])


def test_stopping_the_timer_is_one_update(person):
    user, client = person
    start_timer(user=user, description="Write", tags=["deep"])
    status, answer, statements = _write(client, "/api/v1/timer/stop")
    assert status == 200
    assert statements == [
        "BEGIN",
        "SELECT tracking_timeentry",
        "UPDATE tracking_timeentry",
        "SELECT tracking_tag",  # the stopped entry's tags, for the answer
        "COMMIT",
    ]
    assert answer["end"] is not None
    assert answer["tags"] == ["deep"]
    assert _write(client, "/api/v1/timer/stop")[0] == 409


def test_a_forgotten_timer_stops_at_seven_days_by_stop_or_by_a_new_start(person):
    user, _ = person
    long_ago = timezone.now() - timedelta(days=9)
    with time_machine.travel(long_ago, tick=False):  # started then, forgotten since
        create_entry(user=user, start=long_ago, end=None)
    assert stop_timer(user=user).end == long_ago + timedelta(days=7)
    with time_machine.travel(long_ago + timedelta(days=1), tick=False):
        again, _ = create_entry(user=user, start=long_ago + timedelta(days=1), end=None)
    start_timer(user=user)
    again.refresh_from_db()
    assert again.end == long_ago + timedelta(days=8)


def test_a_check_in_is_two_statements_to_update_and_one_transaction_to_create(person):
    user, client = person
    routine, _ = create_routine(user=user, name="Read", schedule=ScheduleSpec("daily"))
    path = f"/api/v1/routines/{routine.id}/checkins"
    today = str(today_for(user))
    status, answer, statements = _write(client, path, {"date": today, "status": "done"})
    assert status == 201
    assert statements == [
        "BEGIN",
        "SELECT tracking_checkin",
        "SELECT tracking_routine",
        "INSERT tracking_checkin",  # bulk_create's own atomic block needs no savepoint
        "COMMIT",
    ]
    body = {"date": today, "status": "skipped", "value": 3.5, "note": " tired "}
    status, answer, statements = _write(client, path, body)
    assert (status, answer) == (
        200,
        {"date": today, "status": "skipped", "value": 3.5, "note": "tired"},
    )
    assert statements == ["BEGIN", "SELECT tracking_checkin", "UPDATE tracking_checkin", "COMMIT"]
    stored = CheckIn.objects.get(routine=routine)
    assert (stored.status, stored.value, stored.note) == ("skipped", 3.5, "tired")


def test_a_check_in_on_someone_elses_routine_is_not_found_before_any_write(person, ben):
    _, client = person
    other = ben
    theirs, _ = create_routine(user=other, name="Theirs", schedule=ScheduleSpec("daily"))
    path = f"/api/v1/routines/{theirs.id}/checkins"
    status, _, statements = _write(client, path, {"date": "2000-01-01", "status": "done"})
    assert status == 404
    assert statements == ["BEGIN", "SELECT tracking_checkin", "SELECT tracking_routine", "COMMIT"]
    assert not CheckIn.objects.exists()
