"""/timesheet/ over a live server: typed durations become Timesheet entries, lowering shrinks
only those, a refused cell changes nothing (the whole save is one transaction), and another
person's project is not found."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from routinie.tracking.entries.services import create_entry, create_project
from routinie.tracking.models import TimeEntry

pytestmark = pytest.mark.django_db(transaction=True)

MONDAY = "2026-11-23"
DAYS = [f"2026-11-{d}" for d in range(23, 30)]


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A November 2026 time in Bucharest (UTC+2), as UTC."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC) - timedelta(hours=2)


@pytest.fixture
def ada(make_user, site):
    user, password = make_user(
        name="Ada Pop", email="ada@example.test", timezone_name="Europe/Bucharest"
    )
    web = site()
    assert web.sign_in(user.email, password).status_code == 302
    project, _ = create_project(user=user, name="Web")
    return user, web, project


def save(web, row: str, cells: dict[str, str], headers: dict[str, str] | None = None):
    token = web.csrf_from(f"/timesheet/?week={MONDAY}")
    data: dict[str, object] = {
        "csrfmiddlewaretoken": token,
        "week": MONDAY,
        "row": [row],
    }
    data.update({f"cell-{row}-{day}": text for day, text in cells.items()})
    return web.http.post("/timesheet/", data=data, headers=headers or {})


def lengths(user) -> list[tuple[str, datetime, int]]:
    return [
        (e.description, e.start, round((e.end - e.start).total_seconds()))
        for e in TimeEntry.objects.filter(user=user).order_by("start")
    ]


def test_typed_durations_become_timesheet_entries_and_the_totals_show_them(ada):
    user, web, project = ada
    typed = {DAYS[0]: "1h30", DAYS[1]: "90m", DAYS[2]: "1:30", DAYS[3]: "1.5", DAYS[4]: ""}
    response = save(web, str(project.id), typed)
    assert response.status_code == 302
    assert lengths(user) == [("Timesheet", at(d, 9), 5400) for d in (23, 24, 25, 26)]
    page = web.get(response.headers["location"]).text
    assert f'data-testid="row-total-{project.id}">6:00:00<' in page
    assert 'data-testid="column-total-0">1:30:00<' in page
    assert 'data-testid="timesheet-total">6:00:00<' in page
    assert f'name="cell-{project.id}-{DAYS[0]}" value="1:30"' in page


def test_raising_grows_the_timesheet_entry_and_lowering_shrinks_then_removes_it(ada):
    user, web, project = ada
    row = str(project.id)
    assert save(web, row, {DAYS[0]: "1h"}).status_code == 302
    assert save(web, row, {DAYS[0]: "2h30"}).status_code == 302
    assert lengths(user) == [("Timesheet", at(23, 9), 9000)]
    assert save(web, row, {DAYS[0]: "45m"}).status_code == 302
    assert lengths(user) == [("Timesheet", at(23, 9), 2700)]
    assert save(web, row, {DAYS[0]: ""}).status_code == 302
    assert lengths(user) == []


def test_a_raise_adds_to_time_tracked_otherwise_without_touching_it(ada):
    user, web, project = ada
    create_entry(
        user=user, start=at(24, 14), end=at(24, 15), project_id=project.id, description="Call"
    )
    assert save(web, str(project.id), {DAYS[1]: "1h30"}).status_code == 302
    assert lengths(user) == [("Timesheet", at(24, 9), 1800), ("Call", at(24, 14), 3600)]


def test_lowering_below_the_time_of_other_entries_is_refused_and_changes_nothing(ada):
    user, web, _ = ada
    create_entry(user=user, start=at(24, 14), end=at(24, 16), description="Call")
    response = save(web, "none", {DAYS[1]: "1h", DAYS[2]: "3h"})
    assert response.status_code == 422
    assert (
        f'data-testid="error-cell-none-{DAYS[1]}">Only time typed in the timesheet' in response.text
    )
    assert 'value="3h"' in response.text  # what was typed stays in its cell
    assert lengths(user) == [("Call", at(24, 14), 7200)]  # the Wednesday's 3h was not saved


def test_a_bad_cell_gets_its_error_next_to_it_and_nothing_is_saved(ada):
    user, web, project = ada
    response = save(web, str(project.id), {DAYS[0]: "soon", DAYS[1]: "2h", DAYS[2]: "30h"})
    assert response.status_code == 422
    errors = re.findall(r'data-testid="error-cell-[^"]+-(2026-11-\d\d)">([^<]+)<', response.text)
    assert errors == [
        (DAYS[0], "“soon” is not a duration: type 1h30, 90m, 1:30 or 1.5."),
        (DAYS[2], "A duration can be at most 24 hours."),
    ]
    assert 'aria-invalid="true"' in response.text
    assert lengths(user) == []


def test_a_cell_saved_by_htmx_answers_with_the_table_and_its_new_totals(ada):
    user, web, project = ada
    response = save(web, str(project.id), {DAYS[3]: "1h30"}, {"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.startswith("<form")
    assert f'data-testid="row-total-{project.id}">1:30:00<' in response.text
    assert 'data-testid="column-total-3">1:30:00<' in response.text
    assert len(lengths(user)) == 1


def test_an_added_row_stays_empty_until_typed_into(ada):
    _, web, project = ada
    page = web.get(f"/timesheet/?week={MONDAY}&row={project.id}&row=none").text
    assert f'data-testid="row-{project.id}"' in page
    assert 'data-testid="row-none"' in page
    assert '<option value="none">' not in page


def test_another_persons_project_is_not_found_and_nothing_is_written(ada, ben):
    _, web, _ = ada
    theirs, _ = create_project(user=ben, name="Secret")
    assert web.get(f"/timesheet/?week={MONDAY}&row={theirs.id}").status_code == 404
    assert web.get(f"/timesheet/?week={MONDAY}&row=not-an-id").status_code == 404
    assert save(web, str(theirs.id), {DAYS[0]: "1h"}).status_code == 404
    assert not TimeEntry.objects.exists()
    assert "Secret" not in web.get(f"/timesheet/?week={MONDAY}").text


def test_the_timesheet_needs_a_signed_in_person(site):
    response = site().get("/timesheet/")
    assert response.status_code == 302
    assert response.headers["location"].startswith("/login/")
