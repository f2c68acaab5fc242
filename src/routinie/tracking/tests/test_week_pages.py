"""/week/ through the Django test client: blocks and totals, adding from the page, moving and
resizing through the page endpoint (refusals change nothing), owner scoping, query counts."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from routinie.tracking.entries.services import create_entry, create_project
from routinie.tracking.models import TimeEntry

pytestmark = pytest.mark.django_db

MONDAY = "2026-11-23"


@pytest.fixture
def person(make_user, client_of):
    user = make_user(name="Ada Pop", email="ada@example.test", timezone_name="Europe/Bucharest")[0]
    return user, client_of(user)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A November 2026 time in Bucharest (UTC+2), as UTC."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC) - timedelta(hours=2)


def test_the_week_shows_each_entry_as_a_block_with_day_and_week_totals(person):
    user, client = person
    project, _ = create_project(user=user, name="Web", color="#aa3355")
    create_entry(
        user=user, start=at(24, 9), end=at(24, 10, 30), description="Draft", project_id=project.id
    )
    create_entry(user=user, start=at(25, 23), end=at(26, 1), description="Late")
    page = client.get(f"/week/?week={MONDAY}").content.decode()
    assert "23\u201329 November 2026" in page
    assert 'data-testid="day-total-2026-11-24">1:30:00<' in page
    assert 'data-testid="day-total-2026-11-25">1:00:00<' in page
    assert 'data-testid="day-total-2026-11-26">1:00:00<' in page
    assert 'data-testid="week-total">3:30:00<' in page
    assert "r36 s6" in page
    assert 'fill="#aa3355"' in page
    assert page.count(">Late<") == 2  # both days of the entry that crosses midnight


def test_an_unreadable_week_says_so_and_shows_this_week(person):
    _, client = person
    response = client.get("/week/?week=soon", follow=True)
    assert response.status_code == 200
    assert "That week could not be read" in response.content.decode()


def test_add_an_entry_with_a_typed_duration(person):
    user, client = person
    response = client.post(
        "/week/add/",
        {
            "description": "Call",
            "project": "",
            "day": "2026-11-24",
            "start_time": "14:15",
            "duration": "1h30",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/week/?week=2026-11-24"
    entry = TimeEntry.objects.get(user=user)
    assert (entry.description, entry.start, entry.end) == ("Call", at(24, 14, 15), at(24, 15, 45))


def test_an_add_without_end_or_duration_or_with_a_bad_duration_changes_nothing(person):
    _, client = person
    base = {"description": "Call", "day": "2026-11-24", "start_time": "14:15"}
    missing = client.post("/week/add/", base)
    assert missing.status_code == 422
    assert "Give an end, or a duration such as 1h30." in missing.content.decode()
    bad = client.post("/week/add/", {**base, "duration": "soon"})
    assert bad.status_code == 422
    assert "is not a duration" in bad.content.decode()
    assert not TimeEntry.objects.exists()


def test_a_move_keeps_the_length_and_a_resize_changes_the_end(person):
    user, client = person
    entry, _ = create_entry(user=user, start=at(24, 9), end=at(24, 10, 30))
    moved = client.post(
        f"/week/entries/{entry.id}/move/", {"start": "2026-11-26T13:15", "end": "2026-11-26T14:45"}
    )
    assert moved.status_code == 200
    assert 'id="week-grid"' in moved.content.decode()
    entry.refresh_from_db()
    assert (entry.start, entry.end) == (at(26, 13, 15), at(26, 14, 45))
    resized = client.post(f"/week/entries/{entry.id}/move/", {"end": "2026-11-26T16:00"})
    assert resized.status_code == 200
    entry.refresh_from_db()
    assert (entry.start, entry.end) == (at(26, 13, 15), at(26, 16))


def test_a_refused_move_changes_nothing_and_says_why(person):
    user, client = person
    entry, _ = create_entry(user=user, start=at(24, 9), end=at(24, 10))
    backwards = client.post(f"/week/entries/{entry.id}/move/", {"end": "2026-11-24T08:00"})
    assert backwards.status_code == 422
    assert backwards.json() == {"detail": "The end is before the start."}
    unreadable = client.post(f"/week/entries/{entry.id}/move/", {"start": "9 o'clock"})
    assert unreadable.status_code == 422
    entry.refresh_from_db()
    assert (entry.start, entry.end) == (at(24, 9), at(24, 10))


def test_another_persons_entry_cannot_be_moved(person, ben):
    _, client = person
    theirs, _ = create_entry(user=ben, start=at(24, 9), end=at(24, 10))
    response = client.post(f"/week/entries/{theirs.id}/move/", {"end": "2026-11-24T12:00"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.end == at(24, 10)
    assert b"Late" not in client.get(f"/week/?week={MONDAY}").content


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    entries = [q["sql"] for q in queries if 'FROM "tracking_timeentry"' in q["sql"]]
    # One read of the week's entries, projects joined; and the frame's one read of the running
    # timer (the forgotten-timer banner and idle detection: tracking/forgotten/context.py).
    assert len(entries) == 2, entries
    return len(queries)


@pytest.mark.parametrize("path", [f"/week/?week={MONDAY}", f"/timesheet/?week={MONDAY}"])
def test_the_week_and_the_timesheet_read_in_a_fixed_number_of_queries(person, path):
    user, client = person
    for i in range(3):
        project, _ = create_project(user=user, name=f"P{i}")
        create_entry(user=user, start=at(23 + i, 9), end=at(23 + i, 10), project_id=project.id)
    few = _queries(client, path)
    for i in range(3, 12):
        project, _ = create_project(user=user, name=f"P{i}")
        create_entry(
            user=user, start=at(23 + i % 7, 11), end=at(23 + i % 7, 13), project_id=project.id
        )
    assert _queries(client, path) == few
    # the session, the user, the banners, whether the blog has a post (menu), the week's
    # entries, their breaks (issue 17), the projects, the frame's running timer (issue 17);
    # the week's add form lists the projects for its picker once more
    assert few == (9 if path.startswith("/week/") else 8)
