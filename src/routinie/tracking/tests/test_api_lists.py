"""The hot API lists (entries, projects, check-ins) answer from plain rows through orjson: the
bodies are what ninja's schema path answers, and exactly what the OpenAPI document declares."""

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
import time_machine
from django.test import Client
from ninja.renderers import JSONRenderer

from routinie.accounts.services import create_api_token
from routinie.api import api
from routinie.tracking.entries.bodies import entry_out
from routinie.tracking.entries.schemas import EntryList, ProjectList
from routinie.tracking.entries.selectors import entries_page
from routinie.tracking.entries.services import create_entry, create_project, start_timer
from routinie.tracking.models import TimeEntry
from routinie.tracking.routines.schedules import ScheduleSpec
from routinie.tracking.routines.schemas import CheckInList
from routinie.tracking.routines.services import check_in, create_routine

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 30, 7, 30, 15, 987654, tzinfo=UTC)  # 09:30 in Bucharest


@pytest.fixture
def tracked(make_user):
    """A person in Bucharest with entries that have tags, a project, a routine link, times with
    and without microseconds, and a running timer; and a bearer client of theirs."""
    user, _ = make_user(timezone_name="Europe/Bucharest")
    project, _ = create_project(user=user, name="Web")
    routine, _ = create_routine(user=user, name="Stretch", schedule=ScheduleSpec("daily"))
    with time_machine.travel(NOW, tick=False):
        create_entry(
            user=user,
            start=datetime(2026, 11, 30, 7, 0, tzinfo=UTC),
            end=datetime(2026, 11, 30, 7, 20, 30, 123456, tzinfo=UTC),
            description="Design ✎",
            project_id=project.id,
            tags=["web", "Deep", "api"],
        )
        create_entry(
            user=user,
            start=datetime(2026, 11, 29, 22, 30, tzinfo=UTC),  # Monday 00:30 in Bucharest
            end=datetime(2026, 11, 29, 23, 0, tzinfo=UTC),
        )
        TimeEntry.objects.create(
            user=user,
            start=datetime(2026, 11, 28, 6, 0, tzinfo=UTC),
            end=datetime(2026, 11, 28, 6, 10, tzinfo=UTC),
            description="Stretch: neck",
            routine=routine,
            routine_step=0,
        )
        start_timer(user=user, description="Now", tags=["web"])
        check_in(user=user, routine_id=routine.id, day=date(2026, 11, 28), status="done", value=2.5)
        check_in(user=user, routine_id=routine.id, day=date(2026, 11, 29), status="skipped")
    _, token = create_api_token(user=user, label="lists")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    return user, client, routine


def _get(client: Client, path: str) -> Any:
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        response = client.get(path)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


# --- The same bytes (after parsing) as ninja's schema path -------------------------------------
def test_entry_list_shows_times_in_the_persons_zone_with_milliseconds_as_before(tracked):
    _, client, routine = tracked
    items = _get(client, "/api/v1/time-entries")["items"]
    running, design, night, step = items
    assert (running["end"], running["duration_seconds"], running["tags"]) == (None, 300, ["web"])
    assert running["start"] == "2026-11-30T09:30:15.987+02:00"
    assert (design["start"], design["end"]) == (
        "2026-11-30T09:00:00+02:00",
        "2026-11-30T09:20:30.123+02:00",
    )
    assert design["tags"] == ["Deep", "api", "web"]
    assert (design["duration_seconds"], design["description"]) == (1230, "Design ✎")
    assert night["start"] == "2026-11-30T00:30:00+02:00"
    assert (night["project_id"], night["tags"], night["routine_id"]) == (None, [], None)
    assert step["routine_id"] == str(routine.id)


def test_entry_list_answers_what_the_model_and_schema_path_answered(tracked):
    """The list as it was built before: model objects with their tags prefetched in name order,
    each through entry_out, validated by EntryList and encoded by ninja's renderer."""
    user, client, _ = tracked
    body = _get(client, "/api/v1/time-entries?limit=2")
    body["items"] += _get(client, f"/api/v1/time-entries?cursor={body['next_cursor']}")["items"]
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        items = [entry_out(entry, user) for entry in entries_page(user=user, limit=1000).items]
        answer = EntryList.model_validate({"items": items, "next_cursor": None}).model_dump()
    expected = json.loads(JSONRenderer().render(None, answer, response_status=200))
    assert body["items"] == expected["items"]


def test_a_utc_person_sees_z_times_as_before(make_user):
    user, _ = make_user()
    start = datetime(2026, 11, 30, 7, 0, 0, 500000, tzinfo=UTC)
    with time_machine.travel(NOW, tick=False):
        create_entry(user=user, start=start, end=start + timedelta(hours=1, microseconds=1))
    _, token = create_api_token(user=user, label="utc")
    item = _get(Client(HTTP_AUTHORIZATION=f"Bearer {token}"), "/api/v1/time-entries")["items"][0]
    assert (item["start"], item["end"]) == ("2026-11-30T07:00:00.500Z", "2026-11-30T08:00:00.500Z")
    assert item["duration_seconds"] == 3600


def test_entry_list_filters_and_cursors_are_unchanged(tracked):
    _, client, _ = tracked
    day = _get(client, "/api/v1/time-entries?from=2026-11-30&to=2026-11-30")["items"]
    assert [e["description"] for e in day] == ["Now", "Design ✎", ""]
    tagged = _get(client, "/api/v1/time-entries?tag=web")["items"]
    assert [e["description"] for e in tagged] == ["Now", "Design ✎"]
    first = _get(client, "/api/v1/time-entries?limit=3")
    rest = _get(client, f"/api/v1/time-entries?limit=3&cursor={first['next_cursor']}")
    assert ([e["description"] for e in rest["items"]], rest["next_cursor"]) == (
        ["Stretch: neck"],
        None,
    )
    assert client.get("/api/v1/time-entries?cursor=forged").status_code == 400
    assert client.get("/api/v1/time-entries?limit=1001").status_code == 422
    assert client.get("/api/v1/time-entries?from=yesterday").status_code == 422


# --- Real answers against the OpenAPI document --------------------------------------------------
def _resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        *_, name = schema["$ref"].split("/")
        schema = document["components"]["schemas"][name]
    return schema


FORMATS = {"uuid": UUID, "date-time": datetime.fromisoformat, "date": date.fromisoformat}
TYPES = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "array": list}


def _conforms(value: Any, schema: dict[str, Any], document: dict[str, Any], at: str) -> None:
    """Assert `value` is what `schema` declares: types, formats, and exactly its properties."""
    schema = _resolve(schema, document)
    if "anyOf" in schema:
        errors = []
        for option in schema["anyOf"]:
            try:
                _conforms(value, option, document, at)
                return
            except AssertionError as error:
                errors.append(str(error))
        raise AssertionError(f"{at}: {value!r} matches no option: {errors}")
    kind = schema.get("type")
    if kind == "null":
        assert value is None, f"{at}: {value!r} is not null"
    elif kind == "object":
        assert isinstance(value, dict), f"{at}: {value!r} is not an object"
        assert set(value) == set(schema["properties"]), f"{at}: keys {sorted(value)}"
        for key, item in value.items():
            _conforms(item, schema["properties"][key], document, f"{at}.{key}")
    else:
        assert isinstance(value, TYPES[kind]), f"{at}: {value!r} is not a {kind}"
        assert kind == "boolean" or not isinstance(value, bool), f"{at}: {value!r} is a boolean"
        if kind == "array":
            for i, item in enumerate(value):
                _conforms(item, schema["items"], document, f"{at}[{i}]")
        if "format" in schema:
            FORMATS[schema["format"]](value)


def _declared(path: str) -> tuple[dict[str, Any], dict[str, Any]]:
    document = json.loads(json.dumps(api.get_openapi_schema()))  # as /openapi.json serves it
    answer = document["paths"][path]["get"]["responses"]["200"]
    return answer["content"]["application/json"]["schema"], document


@pytest.mark.parametrize(
    ("path", "template", "schema_class"),
    [
        ("/api/v1/time-entries", "/api/v1/time-entries?limit=3", EntryList),
        ("/api/v1/projects", "/api/v1/projects", ProjectList),
        (
            "/api/v1/routines/{routine_id}/checkins",
            "/api/v1/routines/{routine_id}/checkins",
            CheckInList,
        ),
    ],
)
def test_real_list_answers_are_exactly_their_declared_schema(tracked, path, template, schema_class):
    _, client, routine = tracked
    body = _get(client, template.format(routine_id=routine.id))
    assert body["items"], "an empty list would prove nothing"
    schema, document = _declared(path)
    _conforms(body, schema, document, "body")
    schema_class.model_validate(body)
