"""NUL bytes in every API text field: a 422 naming the field, nothing
stored, on SQLite (which would store them) and PostgreSQL (whose text refuses them: a 500
before). Issue 15, item 4."""

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from routinie.accounts.models import User
from routinie.support.models import Conversation
from routinie.tracking.models import CheckIn, Project, Routine, TimeEntry
from tests.e2e.site_client import Site, api_sign_up, api_token

pytestmark = pytest.mark.django_db(transaction=True)

NUL = "Ana\x00Pop"


class Caller:
    def __init__(self, web: Site) -> None:
        self.web = web
        assert api_sign_up(web, "Ana Pop", "ana@example.test").status_code == 201
        self.token = api_token(web, "ana@example.test")
        routine = {"name": "Read", "schedule": {"kind": "daily"}}
        self.routine = self.api("POST", "/routines", json=routine).json()["id"]
        self.project = self.api("POST", "/projects", json={"name": "Client"}).json()["id"]
        conversation = self.api("POST", "/support/conversations", json={"body": "Hello"})
        self.conversation = conversation.json()["id"]

    def api(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.web.api(method, path, token=self.token, **kwargs)


@pytest.fixture
def caller(site: Callable[..., Site]) -> Caller:
    return Caller(site())


def _stored() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "projects": Project.objects.count(),
        "entries": TimeEntry.objects.count(),
        "routines": Routine.objects.count(),
        "check-ins": CheckIn.objects.count(),
        "conversations": Conversation.objects.count(),
        "names": User.objects.filter(name__contains="Pop").exclude(name="Ana Pop").count(),
    }


def _assert_refused(answer: httpx.Response, field: str) -> None:
    assert answer.status_code == 422, answer.text
    assert field in [error["field"] for error in answer.json()["errors"]], answer.text


ENTRY = {"start": "2026-11-02T09:00:00+00:00", "end": "2026-11-02T10:00:00+00:00"}
# (method, path with {routine}/{project}/{conversation}, body with the text in `field`, field)
WRITES = [
    ("POST", "/projects", {"name": NUL}, "name"),
    ("PATCH", "/projects/{project}", {"name": NUL}, "name"),
    ("POST", "/time-entries", {**ENTRY, "description": NUL}, "description"),
    ("POST", "/time-entries", {**ENTRY, "tags": ["deep", NUL]}, "tags.1"),
    ("POST", "/timer/start", {"description": NUL}, "description"),
    ("POST", "/routines", {"name": NUL, "schedule": {"kind": "daily"}}, "name"),
    (
        "POST",
        "/routines",
        {
            "name": "Run",
            "schedule": {"kind": "daily"},
            "steps": [{"name": NUL, "duration_seconds": 60}],
        },
        "steps.0.name",
    ),
    ("PATCH", "/routines/{routine}", {"target": {"value": 2, "unit": NUL}}, "target.unit"),
    (
        "POST",
        "/routines/{routine}/checkins",
        {"date": "2026-11-02", "status": "note", "note": NUL},
        "note",
    ),
    ("PATCH", "/me", {"name": NUL}, "name"),
    ("POST", "/support/conversations", {"subject": NUL, "body": "Hi"}, "subject"),
    ("POST", "/support/conversations/{conversation}/messages", {"body": NUL}, "body"),
]


@pytest.mark.parametrize(("method", "path", "body", "field"), WRITES)
def test_a_nul_byte_in_an_api_text_field_is_a_422_and_nothing_is_stored(
    caller, method, path, body, field
):
    before = _stored()
    target = path.format(
        routine=caller.routine, project=caller.project, conversation=caller.conversation
    )
    _assert_refused(caller.api(method, target, json=body), field)
    assert _stored() == before
    assert caller.api("GET", "/me").json()["name"] == "Ana Pop"


def test_a_nul_byte_in_a_token_label_is_a_422_and_no_token_is_made(caller):
    before = caller.api("GET", "/auth/tokens").json()["items"]
    answer = caller.web.api(
        "POST",
        "/auth/tokens",
        json={"email": "ana@example.test", "password": "tidy-Lantern-42", "label": NUL},
    )
    _assert_refused(answer, "label")
    assert caller.api("GET", "/auth/tokens").json()["items"] == before


def test_a_nul_byte_in_an_anonymous_sign_up_is_a_422_and_no_account_is_made(site):
    web = site()
    before = User.objects.count()
    for field, value in (("name", NUL), ("email", "b\x00b@example.test")):
        body = {
            "name": "Bo",
            "email": "bo@example.test",
            "password": "tidy-Lantern-42",
            "accept_policy_version": 1,
            field: value,
        }
        _assert_refused(web.api("POST", "/auth/signup", json=body), field)
    assert User.objects.count() == before


@pytest.mark.parametrize(
    "query",
    [
        "/time-entries?tag=a%00b",
        "/reports/summary?from=2026-11-01&to=2026-11-30&description=a%00b",
        "/time-entries/export?tag=a%00b",
    ],
)
def test_a_nul_byte_in_a_query_filter_is_a_422(caller, query):
    answer = caller.api("GET", query)
    assert answer.status_code == 422, answer.text
