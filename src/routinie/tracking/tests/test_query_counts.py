"""Hot list and report endpoints run a constant number of queries as data grows (no N+1)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from routinie.accounts.services import create_api_token
from routinie.tracking.entries.services import create_entry, create_project
from routinie.tracking.goals.services import create_goal
from routinie.tracking.routines.schedules import ScheduleSpec
from routinie.tracking.routines.services import StepSpec, check_in, create_routine

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/time-entries",
    "/api/v1/projects",
    "/api/v1/routines",
    "/api/v1/goals",  # each goal's progress too: one query a period, not one a goal
    "/api/v1/reports/summary?from=2026-11-01&to=2026-11-20&group_by=day",
    "/api/v1/reports/summary?from=2026-11-01&to=2026-11-20&group_by=week",
    "/api/v1/reports/summary?from=2026-11-01&to=2026-11-20&group_by=project",
    "/api/v1/reports/summary?from=2026-11-01&to=2026-11-20&group_by=tag",
]


def _grow(user, n: int) -> None:
    base = datetime(2026, 11, 1, 8, tzinfo=UTC)
    for i in range(n):
        project, _ = create_project(user=user, name=f"P{n}-{i}")
        start = base + timedelta(hours=10 * i)
        create_entry(
            user=user,
            start=start,
            end=start + timedelta(hours=1),
            project_id=project.id,
            tags=[f"t{i}", "all"],
        )
        routine, _ = create_routine(
            user=user,
            name=f"R{i}",
            schedule=ScheduleSpec("daily"),
            steps=[StepSpec("a", 60), StepSpec("b", 60)],
        )
        check_in(user=user, routine_id=routine.id, day=start.date(), status="done")
        create_goal(user=user, period="week", seconds=3600, project_id=project.id)
        create_goal(user=user, period="month", seconds=3600, tag=f"t{n}-{i}")


def _counts(client: Client, token: str) -> dict[str, int]:
    counts = {}
    for path in ENDPOINTS:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 200, (path, response.content)
        counts[path] = len(queries)
    return counts


def test_list_and_report_queries_do_not_grow_with_the_data(make_user):
    user, _ = make_user()
    _, token = create_api_token(user=user, label="counts")
    client = Client()
    client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")  # notes the token's use once
    _grow(user, 3)
    small = _counts(client, token)
    _grow(user, 30)
    large = _counts(client, token)
    assert large == small
