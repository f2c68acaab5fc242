"""/today/ and /entries/ through the Django test client: every action, bad input, ownership."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from routinie.tracking.entries.services import create_entry, create_project
from routinie.tracking.models import CheckIn, TimeEntry
from routinie.tracking.routines.schedules import ScheduleSpec
from routinie.tracking.routines.services import create_routine

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(ada, client_of):
    return ada, client_of(ada)


def test_pages_need_a_signed_in_person():
    for path in ["/today/", "/entries/"]:
        response = Client().get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_start_and_stop_the_timer_from_today(person):
    user, client = person
    project, _ = create_project(user=user, name="Web")
    started = client.post(
        "/today/timer/", {"description": "Write", "project": str(project.id), "tags": "a, b"}
    )
    assert started.status_code == 302
    running = TimeEntry.objects.get(end__isnull=True)
    assert (running.description, running.project, sorted(t.name for t in running.tags.all())) == (
        "Write",
        project,
        ["a", "b"],
    )
    page = client.get("/today/")
    assert b'data-testid="running-description"' in page.content
    stopped = client.post("/today/timer/", {"action": "stop"}, HTTP_HX_REQUEST="true")
    assert stopped.status_code == 200
    assert b"Start" in stopped.content
    assert not TimeEntry.objects.filter(end__isnull=True).exists()
    again = client.post("/today/timer/", {"action": "stop"}, HTTP_HX_REQUEST="true")
    assert again.status_code == 422
    assert b"No timer is running" in again.content


def test_todays_total_counts_only_todays_entries(person):
    user, client = person
    now = timezone.now()
    create_entry(user=user, start=now - timedelta(minutes=30), end=now - timedelta(minutes=10))
    create_entry(
        user=user, start=now - timedelta(days=3), end=now - timedelta(days=3) + timedelta(hours=2)
    )
    page = client.get("/today/").content.decode()
    assert 'data-testid="today-total">0:20:00<' in page


def test_due_routines_check_in_with_one_click(person):
    user, client = person
    routine, _ = create_routine(
        user=user, name="Read", schedule=ScheduleSpec("daily"), target_value=20, target_unit="pages"
    )
    create_routine(
        user=user,
        name="Never today",
        schedule=ScheduleSpec("weekdays", days=(((timezone.now().weekday() + 3) % 7),)),
    )
    page = client.get("/today/").content.decode()
    assert "Read" in page
    assert "Never today" not in page
    response = client.post(
        f"/today/checkin/{routine.id}/", {"status": "done", "value": "25"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "25 of 20 pages · done" in response.content.decode()
    checkin = CheckIn.objects.get()
    assert (checkin.status, checkin.value) == ("done", 25)
    bad = client.post(f"/today/checkin/{routine.id}/", {"status": "done", "value": "lots"})
    assert bad.status_code == 302
    assert CheckIn.objects.get().value == 25


def test_manual_entry_with_an_end_before_the_start_means_the_next_day(person):
    _user, client = person
    response = client.post(
        "/entries/new/",
        {
            "description": "Night shift",
            "day": "2026-11-20",
            "start_time": "22:00",
            "end_time": "06:00",
            "project": "",
            "tags": "night",
        },
    )
    assert response.status_code == 302
    entry = TimeEntry.objects.get()
    assert entry.end - entry.start == timedelta(hours=8)


def test_bad_manual_entries_are_refused_on_the_page_and_change_nothing(person):
    _user, client = person
    cases = [
        (
            {"day": "2030-01-01", "start_time": "10:00", "end_time": "11:00"},
            "more than a day in the future",
        ),
        ({"day": "not a date", "start_time": "10:00", "end_time": "11:00"}, "Enter a valid date"),
        ({"day": "2026-11-20", "start_time": "25:00", "end_time": "11:00"}, "Enter a valid time"),
    ]
    for data, message in cases:
        response = client.post(
            "/entries/new/", {"description": "x", "project": "", "tags": "", **data}
        )
        assert response.status_code == 422
        assert message in response.content.decode()
    assert not TimeEntry.objects.exists()


def test_entries_are_listed_by_day_with_totals_and_overlaps_flagged(person):
    user, client = person
    base = datetime(2026, 11, 20, 8, tzinfo=UTC)
    create_entry(user=user, start=base, end=base + timedelta(hours=2), description="A")
    create_entry(
        user=user, start=base + timedelta(hours=1), end=base + timedelta(hours=3), description="B"
    )
    create_entry(
        user=user,
        start=base - timedelta(days=1),
        end=base - timedelta(days=1) + timedelta(minutes=45),
        description="C",
    )
    page = client.get("/entries/").content.decode()
    assert page.index("Friday 20 November 2026") < page.index("Thursday 19 November 2026")
    assert "4:00:00" in page
    assert "0:45:00" in page
    assert page.count("overlaps</span>") == 1


def test_inline_edit_saves_and_refuses_bad_input(person):
    user, client = person
    base = datetime(2026, 11, 20, 8, tzinfo=UTC)
    entry, _ = create_entry(user=user, start=base, end=base + timedelta(hours=1), description="Old")
    prefix = f"e{entry.pk.hex[:8]}"
    form = client.get(f"/entries/{entry.id}/edit/", HTTP_HX_REQUEST="true")
    assert form.status_code == 200
    assert f'name="{prefix}-description"' in form.content.decode()
    data = {
        f"{prefix}-{k}": v
        for k, v in {
            "description": "New",
            "day": "2026-11-20",
            "start_time": "09:00",
            "end_time": "09:30",
            "project": "",
            "tags": "x",
        }.items()
    }
    saved = client.post(f"/entries/{entry.id}/", data, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200
    entry.refresh_from_db()
    assert (entry.description, entry.end - entry.start) == ("New", timedelta(minutes=30))
    bad = client.post(
        f"/entries/{entry.id}/", {**data, f"{prefix}-day": "2031-01-01"}, HTTP_HX_REQUEST="true"
    )
    assert bad.status_code == 422
    entry.refresh_from_db()
    assert entry.start.year == 2026


def test_duplicate_continue_and_delete(person):
    user, client = person
    base = datetime(2026, 11, 20, 8, tzinfo=UTC)
    entry, _ = create_entry(
        user=user, start=base, end=base + timedelta(hours=1), description="Task", tags=["t"]
    )
    assert client.post(f"/entries/{entry.id}/duplicate/").status_code == 302
    assert TimeEntry.objects.filter(description="Task").count() == 2
    assert client.post(f"/entries/{entry.id}/continue/").status_code == 302
    assert TimeEntry.objects.get(end__isnull=True).description == "Task"
    deleted = client.post(f"/entries/{entry.id}/delete/", HTTP_HX_REQUEST="true").content.decode()
    assert f'id="entry-{entry.id}"' not in deleted  # the row goes; its day total and undo come
    assert 'hx-swap-oob="true"' in deleted
    assert "Undo" in deleted
    assert not TimeEntry.objects.filter(pk=entry.pk).exists()


def test_another_persons_entry_is_not_found_on_every_page_action(person, ben):
    _user, client = person
    other = ben
    base = datetime(2026, 11, 20, 8, tzinfo=UTC)
    theirs, _ = create_entry(
        user=other, start=base, end=base + timedelta(hours=1), description="Theirs"
    )
    project, _ = create_project(user=other, name="Theirs")
    for method, path in [
        ("get", f"/entries/{theirs.id}/"),
        ("get", f"/entries/{theirs.id}/edit/"),
        ("post", f"/entries/{theirs.id}/"),
        ("post", f"/entries/{theirs.id}/delete/"),
        ("post", f"/entries/{theirs.id}/duplicate/"),
        ("post", f"/entries/{theirs.id}/continue/"),
        ("post", f"/entries/projects/{project.id}/archive/"),
    ]:
        assert getattr(client, method)(path).status_code == 404, (method, path)
    theirs.refresh_from_db()
    assert theirs.description == "Theirs"
    assert TimeEntry.objects.count() == 1


def test_import_from_the_page_reports_bad_rows_and_changes_nothing(person):
    _user, client = person
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = "Start date,Start time,End date,End time,Description\n2026-11-20,10:00:00,2026-11-20,09:00:00,Oops\n"
    response = client.post(
        "/entries/import/", {"file": SimpleUploadedFile("t.csv", bad.encode(), "text/csv")}
    )
    assert response.status_code == 422
    assert "row 2" in response.content.decode()
    assert not TimeEntry.objects.exists()
    good = "Start date,Start time,End date,End time,Description\n2026-11-20,10:00:00,2026-11-20,11:00:00,Fine\n"
    response = client.post(
        "/entries/import/", {"file": SimpleUploadedFile("t.csv", good.encode(), "text/csv")}
    )
    assert response.status_code == 302
    assert TimeEntry.objects.get().description == "Fine"


def test_projects_can_be_added_and_archived_from_the_page(person):
    user, client = person
    assert (
        client.post("/entries/projects/", {"name": "Garden", "color": "#aa3300"}).status_code == 302
    )
    duplicate = client.post("/entries/projects/", {"name": "garden", "color": "#aa3300"})
    assert duplicate.status_code == 422
    assert "already have a project" in duplicate.content.decode()
    project = user.projects.get()
    assert client.post(f"/entries/projects/{project.id}/archive/").status_code == 302
    project.refresh_from_db()
    assert project.archived


def test_pages_show_times_in_the_persons_time_zone(person):
    user, client = person
    user.timezone = "Europe/Bucharest"
    user.save()
    start = datetime(2026, 11, 20, 12, tzinfo=UTC)  # 14:00 in Bucharest (UTC+2 in winter)
    create_entry(user=user, start=start, end=start + timedelta(hours=1), description="Lunch call")
    page = client.get("/entries/").content.decode()
    assert "14:00\u201315:00" in page
