"""One wording of a day's check-in on every page, undo on /today/, and Loop's gestures (tap a
day to toggle it, `+1` on a numeric routine), over real HTTP through Django's test client."""

import re
from datetime import timedelta

import pytest
from django.test import Client

from routinie.accounts.services import create_api_token
from routinie.tracking.calendar import today_for
from routinie.tracking.models import CheckIn
from routinie.tracking.routines.schedules import ScheduleSpec
from routinie.tracking.routines.services import check_in, create_routine

pytestmark = pytest.mark.django_db
REPORT = re.compile(r'data-testid="day-report">([^<]+)<')


@pytest.fixture
def signed_in(client, ada):
    client.force_login(ada)
    return ada


def routine_of(user, name="Water", **kwargs):
    routine, _ = create_routine(user=user, name=name, schedule=ScheduleSpec("daily"), **kwargs)
    return routine


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def state_of(routine, day):
    checkin = CheckIn.objects.filter(routine=routine, date=day).first()
    return None if checkin is None else (checkin.status, checkin.value)


def test_five_of_eight_glasses_reads_the_same_on_today_routines_and_its_page(client, signed_in):
    routine = routine_of(signed_in, target_value=8, target_unit="glasses")
    check_in(
        user=signed_in, routine_id=routine.pk, day=today_for(signed_in), status="done", value=5
    )
    wording = "5 of 8 glasses · partly done"

    assert REPORT.findall(html_of(client.get("/today/"))) == [wording]
    assert REPORT.findall(html_of(client.get("/routines/"))) == [wording]
    detail = html_of(client.get(f"/routines/{routine.pk}/"))
    assert REPORT.findall(detail) == [wording]
    assert f"{today_for(signed_in):%a} {today_for(signed_in).day}" in detail
    assert f": {wording}" in detail  # the day's button and the recent check-ins say it too


def test_today_shows_undo_instead_of_done_and_skip_on_a_finished_routine(client, signed_in):
    routine = routine_of(signed_in, name="Stretch")
    client.post(f"/today/checkin/{routine.pk}/", {"status": "done"})

    html = html_of(client.get("/today/"))
    row = html[html.index('data-testid="due-routine"') :]
    row = row[: row.index("</li>")]
    assert 'value="undo"' in row
    assert 'name="status" value="done"' not in row
    assert 'name="status" value="skipped"' not in row


def test_undo_on_today_restores_exactly_the_state_before(client, signed_in):
    routine = routine_of(signed_in, target_value=8, target_unit="glasses")
    before_page = REPORT.findall(html_of(client.get("/today/")))
    before_stats = client.get(f"/api/v1/routines/{routine.pk}/stats").json()

    response = client.post(
        f"/today/checkin/{routine.pk}/", {"status": "done", "value": "8"}, HTTP_HX_REQUEST="true"
    )
    assert "8 of 8 glasses · done" in html_of(response)
    response = client.post(
        f"/today/checkin/{routine.pk}/", {"action": "undo"}, HTTP_HX_REQUEST="true"
    )

    assert 'name="status" value="done"' in html_of(response)
    assert state_of(routine, today_for(signed_in)) is None
    assert REPORT.findall(html_of(client.get("/today/"))) == before_page == []
    assert client.get(f"/api/v1/routines/{routine.pk}/stats").json() == before_stats


def test_undo_of_someone_elses_routine_is_not_found_and_changes_nothing(client, signed_in, ben):
    theirs = routine_of(ben)
    check_in(user=ben, routine_id=theirs.pk, day=today_for(ben), status="done")
    response = client.post(f"/today/checkin/{theirs.pk}/", {"action": "undo"})
    assert response.status_code == 404
    assert CheckIn.objects.filter(routine=theirs).count() == 1


def test_tapping_a_day_cycles_none_done_skipped_none(client, signed_in):
    routine = routine_of(signed_in, name="Stretch")
    day = today_for(signed_in) - timedelta(days=3)
    url = f"/routines/{routine.pk}/toggle/"
    seen = []
    for _ in range(4):
        response = client.post(url, {"date": day.isoformat()}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        seen.append(state_of(routine, day))
    assert seen == [("done", None), ("skipped", None), None, ("done", None)]


def test_tapping_a_day_answers_the_card_or_the_page_and_names_the_day(client, signed_in):
    routine = routine_of(signed_in, name="Stretch")
    day = today_for(signed_in)
    card = html_of(
        client.post(
            f"/routines/{routine.pk}/toggle/", {"date": day.isoformat()}, HTTP_HX_REQUEST="true"
        )
    )
    assert card.startswith('<article class="card rt-card"')
    assert f'aria-label="{day:%a} {day.day} {day:%b}: done"' in card
    page = html_of(
        client.post(
            f"/routines/{routine.pk}/toggle/",
            {"date": day.isoformat(), "view": "detail"},
            HTTP_HX_REQUEST="true",
        )
    )
    assert 'id="routine-page"' in page
    assert f'aria-label="{day:%a} {day.day} {day:%b}: skipped"' in page


def test_tapping_without_scripts_redirects_back_with_a_message(client, signed_in):
    routine = routine_of(signed_in, name="Stretch")
    day = today_for(signed_in) - timedelta(days=1)
    response = client.post(
        f"/routines/{routine.pk}/toggle/", {"date": day.isoformat(), "next": "/routines/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/routines/"
    assert state_of(routine, day) == ("done", None)


@pytest.mark.parametrize("date", ["", "tomorrow", "2999-01-01", "0001-01-01"])
def test_tapping_a_bad_or_future_day_changes_nothing(client, signed_in, date):
    routine = routine_of(signed_in, name="Stretch")
    response = client.post(
        f"/routines/{routine.pk}/toggle/", {"date": date}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert CheckIn.objects.count() == 0


def test_tapping_a_numeric_routines_day_opens_its_value_form_for_that_day(client, signed_in):
    routine = routine_of(signed_in, target_value=8, target_unit="glasses")
    day = today_for(signed_in) - timedelta(days=2)
    response = client.post(
        f"/routines/{routine.pk}/toggle/", {"date": day.isoformat()}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert CheckIn.objects.count() == 0
    html = html_of(client.get(f"/routines/{routine.pk}/"))
    assert f'<form method="get" action="/routines/{routine.pk}/#check-in"' in html
    form = html_of(client.get(f"/routines/{routine.pk}/", {"date": day.isoformat()}))
    assert f'name="date" value="{day.isoformat()}"' in form


def test_tapping_someone_elses_routine_is_not_found(client, signed_in, ben):
    theirs = routine_of(ben, name="Stretch")
    day = today_for(ben).isoformat()
    assert client.post(f"/routines/{theirs.pk}/toggle/", {"date": day}).status_code == 404
    assert client.post(f"/routines/{theirs.pk}/add-one/").status_code == 404
    assert CheckIn.objects.count() == 0


def test_plus_one_reaching_the_target_is_done_with_the_apis_stats(client, signed_in):
    routine = routine_of(signed_in, target_value=3, target_unit="glasses")
    today = today_for(signed_in)
    twin = routine_of(signed_in, name="Twin", target_value=3, target_unit="glasses")
    _, token = create_api_token(user=signed_in, label="twin")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    card = html_of(client.post(f"/routines/{routine.pk}/add-one/", HTTP_HX_REQUEST="true"))
    assert "1 of 3 glasses · partly done" in card
    client.post(f"/today/checkin/{routine.pk}/", {"action": "add-one"}, HTTP_HX_REQUEST="true")
    card = html_of(client.post(f"/routines/{routine.pk}/add-one/", HTTP_HX_REQUEST="true"))

    assert "3 of 3 glasses · done" in card
    assert 'data-testid="add-one"' not in card  # finished: undo, no more +1
    assert state_of(routine, today) == ("done", 3)
    answer = api.post(
        f"/api/v1/routines/{twin.pk}/checkins",
        {"date": today.isoformat(), "status": "done"},
        content_type="application/json",
    )
    assert answer.status_code == 201
    ours = api.get(f"/api/v1/routines/{routine.pk}/stats").json()
    assert ours == api.get(f"/api/v1/routines/{twin.pk}/stats").json()
    assert ours["current_streak"] == 1


def test_plus_one_on_a_yes_no_routine_is_refused(client, signed_in):
    routine = routine_of(signed_in, name="Stretch")
    response = client.post(f"/routines/{routine.pk}/add-one/", HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "no numeric target" in html_of_any(response)
    assert CheckIn.objects.count() == 0


def html_of_any(response) -> str:
    return response.content.decode()
