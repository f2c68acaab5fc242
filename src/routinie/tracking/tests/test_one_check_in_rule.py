"""One check-in rule, whichever way it comes in: "done" without a value on a routine with a
numeric target means the target was met (api.md), so the API, /today/ and /routines/ store
the same check-in and give the same statistics; and a value is read the same way ("3,5")."""

import json

import pytest
from django.test import Client

from routinie.accounts.services import create_api_token
from routinie.tracking.calendar import today_for
from routinie.tracking.models import CheckIn, Routine
from routinie.tracking.routines.schedules import ScheduleSpec
from routinie.tracking.routines.selectors import stats_of
from routinie.tracking.routines.services import create_routine

pytestmark = pytest.mark.django_db


def _api(user, routine: Routine, body: dict) -> None:
    _, token = create_api_token(user=user, label="rule")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    answer = client.post(
        f"/api/v1/routines/{routine.pk}/checkins",
        data=json.dumps({"date": today_for(user).isoformat(), **body}),
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content  # the first check-in of the day


def _today_page(user, routine: Routine, body: dict) -> None:
    client = Client()
    client.force_login(user)
    form = {"status": body["status"], **({"value": body["value"]} if "value" in body else {})}
    assert client.post(f"/today/checkin/{routine.pk}/", form).status_code == 302


def _routines_page(user, routine: Routine, body: dict) -> None:
    client = Client()
    client.force_login(user)
    form = {"status": body["status"], **({"value": body["value"]} if "value" in body else {})}
    assert client.post(f"/routines/{routine.pk}/checkin/", form).status_code == 302


ENTRY_POINTS = {"api": _api, "today": _today_page, "routines": _routines_page}


def _checked_in(make_user, entry_point: str, api_body: dict, form_value: str | None = None):
    user, _ = make_user()
    routine, _ = create_routine(
        user=user,
        name="Water",
        schedule=ScheduleSpec("daily"),
        target_value=8,
        target_unit="glasses",
    )
    body = dict(api_body)
    if entry_point != "api" and form_value is not None:
        body["value"] = form_value
    ENTRY_POINTS[entry_point](user, routine, body)
    checkin = CheckIn.objects.get(routine=routine)
    stats = stats_of(user=user, routine=routine)
    return (checkin.status, checkin.value), (stats["current_streak"], stats["best_streak"])


@pytest.mark.parametrize("entry_point", sorted(ENTRY_POINTS))
def test_done_without_a_value_meets_the_target_everywhere(make_user, entry_point):
    stored, streaks = _checked_in(make_user, entry_point, {"status": "done"})
    assert stored == ("done", 8.0)
    assert streaks == (1, 1)


@pytest.mark.parametrize("entry_point", sorted(ENTRY_POINTS))
def test_a_partial_value_is_partial_everywhere(make_user, entry_point):
    stored, streaks = _checked_in(make_user, entry_point, {"status": "done", "value": 3.5}, "3,5")
    assert stored == ("done", 3.5)
    assert streaks == (0, 0)


def test_the_api_describes_and_keeps_the_services_note_limit(make_user):
    from routinie.api import api

    schema = api.get_openapi_schema()["components"]["schemas"]["CheckInIn"]
    assert schema["properties"]["note"]["maxLength"] == 500
    user, _ = make_user()
    routine, _ = create_routine(user=user, name="Read", schedule=ScheduleSpec("daily"))
    _, token = create_api_token(user=user, label="rule")
    answer = Client(HTTP_AUTHORIZATION=f"Bearer {token}").post(
        f"/api/v1/routines/{routine.pk}/checkins",
        data=json.dumps({"date": today_for(user).isoformat(), "status": "note", "note": "x" * 501}),
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "note"
    assert not CheckIn.objects.exists()
