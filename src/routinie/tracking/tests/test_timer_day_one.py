"""Issue 13 on /today/, /entries/ and /projects/: the night-shift rule with its confirmation,
the running timer corrected on the page, a start-time picker, manual entries with typed
durations, totals with the running timer, delete with undo, and projects with a page."""

import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from routinie.tracking.calendar import today_for, zone_of
from routinie.tracking.entries.services import create_entry, create_project, start_timer
from routinie.tracking.models import Project, TimeEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(ada, client_of):
    return ada, client_of(ada)


def _entry(**fields):
    return {"description": "", "project": "", "tags": "", **fields}


# --- The night shift and the 12-hour confirmation ------------------------------------------
def test_an_end_before_the_start_over_12_hours_is_refused_until_confirmed(person):
    _user, client = person
    typo = _entry(description="Oops", day="2026-11-20", start_time="14:00", end_time="13:00")
    refused = client.post("/entries/new/", typo)
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "This entry lasts 23:00 h (it ends the next day)" in page
    assert 'name="confirm_long"' in page  # the box appears only now
    assert not TimeEntry.objects.exists()
    confirmed = client.post("/entries/new/", {**typo, "confirm_long": "on"})
    assert confirmed.status_code == 302
    entry = TimeEntry.objects.get()
    assert entry.end - entry.start == timedelta(hours=23)


def test_a_night_shift_under_12_hours_needs_no_confirmation(person):
    _user, client = person
    night = _entry(day="2026-11-20", start_time="22:00", end_time="06:00")
    assert 'name="confirm_long"' not in client.get("/entries/").content.decode()
    assert client.post("/entries/new/", night).status_code == 302
    assert TimeEntry.objects.get().end.date() == datetime(2026, 11, 21).date()


def test_the_inline_edit_asks_the_same_confirmation(person):
    user, client = person
    zone = zone_of(user)
    start = datetime(2026, 11, 20, 9, tzinfo=zone)
    entry, _ = create_entry(user=user, start=start, end=start + timedelta(hours=1))
    prefix = f"e{entry.pk.hex[:8]}-"
    fields = {
        f"{prefix}{k}": v
        for k, v in _entry(day="2026-11-20", start_time="14:00", end_time="13:00").items()
    }
    refused = client.post(f"/entries/{entry.id}/", fields, HTTP_HX_REQUEST="true")
    assert refused.status_code == 422
    assert "lasts 23:00" in refused.content.decode()
    entry.refresh_from_db()
    assert entry.end - entry.start == timedelta(hours=1)
    fields[f"{prefix}confirm_long"] = "on"
    assert client.post(f"/entries/{entry.id}/", fields, HTTP_HX_REQUEST="true").status_code == 200
    entry.refresh_from_db()
    assert entry.end - entry.start == timedelta(hours=23)


def test_times_are_shown_and_read_in_24_hours(person):
    user, client = person
    start = datetime(2026, 11, 20, 0, 55, tzinfo=zone_of(user))
    entry, _ = create_entry(user=user, start=start, end=start + timedelta(minutes=65))
    form = client.get(f"/entries/{entry.id}/edit/").content.decode()
    assert 'value="00:55"' in form
    assert 'value="02:00"' in form
    assert 'type="time"' not in form  # Chromium would show 12:55 AM
    for typed in ["9.30", "0930", "9h30"]:
        TimeEntry.objects.all().delete()
        made = client.post(
            "/entries/new/", _entry(day="2026-11-20", start_time=typed, end_time="10:00")
        )
        assert made.status_code == 302, typed
        assert TimeEntry.objects.get().start.astimezone(zone_of(user)).time().minute == 30


# --- The running timer ---------------------------------------------------------------------
def test_the_running_timer_is_corrected_on_today_and_keeps_running(person):
    user, client = person
    project, _ = create_project(user=user, name="Web")
    running = start_timer(user=user, description="Wrting", tags=["old"])
    zone = zone_of(user)
    local = running.start.astimezone(zone)
    earlier = (local - timedelta(minutes=20)).replace(second=0, microsecond=0)
    if earlier.date() != local.date():
        pytest.skip("too close to midnight for this test")
    answer = client.post(
        "/today/running/",
        {
            "running-description": "Writing",
            "running-project": str(project.id),
            "running-tags": "a, b",
            "running-started_at": earlier.strftime("%H:%M"),
        },
        HTTP_HX_REQUEST="true",
    )
    assert answer.status_code == 200
    running.refresh_from_db()
    assert running.end is None
    assert (running.description, running.project, running.start) == ("Writing", project, earlier)
    assert sorted(t.name for t in running.tags.all()) == ["a", "b"]
    assert "since " + earlier.strftime("%H:%M") in answer.content.decode()


def test_a_running_start_later_than_now_is_refused(person):
    user, client = person
    running = start_timer(user=user, description="Now")
    local = running.start.astimezone(zone_of(user))
    later = local + timedelta(minutes=30)
    if later.date() != local.date():
        pytest.skip("too close to midnight for this test")
    answer = client.post(
        "/today/running/", {"running-started_at": later.strftime("%H:%M")}, HTTP_HX_REQUEST="true"
    )
    assert answer.status_code == 422
    assert "cannot be later than now" in answer.content.decode()
    running.refresh_from_db()
    assert running.start == local


def test_the_timer_starts_at_a_typed_time_today(person):
    user, client = person
    now = timezone.now().astimezone(zone_of(user))
    at = (now - timedelta(minutes=50)).replace(second=0, microsecond=0)
    if at.date() != now.date():
        pytest.skip("too close to midnight for this test")
    assert (
        client.post(
            "/today/timer/", {"description": "Late", "started_at": at.strftime("%H:%M")}
        ).status_code
        == 302
    )
    assert TimeEntry.objects.get(end__isnull=True).start == at
    later = (now + timedelta(hours=1)).strftime("%H:%M")
    refused = client.post("/today/timer/", {"started_at": later}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 422
    assert "later than now" in refused.content.decode()
    assert TimeEntry.objects.count() == 1  # the running one stays as it was
    assert TimeEntry.objects.get().end is None


# --- Manual mode on /today/ ------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["1h30", "90m", "1:30", "1.5"])
def test_a_finished_entry_by_start_and_a_typed_duration(person, typed):
    user, client = person
    day = today_for(user)
    answer = client.post(
        "/today/manual/",
        {
            "manual-description": "Call",
            "manual-day": day.isoformat(),
            "manual-start_time": "08:00",
            "manual-duration": typed,
        },
    )
    assert answer.status_code == 302
    entry = TimeEntry.objects.get()
    assert entry.end - entry.start == timedelta(minutes=90)
    assert entry.start.astimezone(zone_of(user)).hour == 8


def test_manual_mode_refuses_bad_input_and_changes_nothing(person):
    user, client = person
    day = today_for(user).isoformat()
    cases = [
        ({"manual-start_time": "08:00"}, "Give an end, or a duration"),
        ({"manual-start_time": "08:00", "manual-duration": "soon"}, "is not a duration"),
        (
            {"manual-start_time": "08:00", "manual-end_time": "09:00", "manual-duration": "1h"},
            "not both",
        ),
        ({"manual-start_time": "08:00", "manual-duration": "20h"}, "lasts 20:00"),
    ]
    for fields, message in cases:
        answer = client.post(
            "/today/manual/", {"manual-day": day, **fields}, HTTP_HX_REQUEST="true"
        )
        assert answer.status_code == 422, fields
        assert message in answer.content.decode(), fields
    assert not TimeEntry.objects.exists()


# --- Totals with the running timer, delete and undo ---------------------------------------------
def test_todays_total_counts_the_running_timer_and_carries_what_ticks_it(person):
    user, client = person
    now = timezone.now()
    if (now - timedelta(hours=1)).astimezone(zone_of(user)).date() != today_for(user):
        pytest.skip("too close to midnight for this test")
    create_entry(user=user, start=now - timedelta(hours=1), end=now - timedelta(minutes=40))
    running = start_timer(user=user, start=now - timedelta(minutes=10), description="Writing")
    page = client.get("/today/").content.decode()
    assert 'data-total-finished="1200"' in page
    assert f'data-total-since="{round(running.start.timestamp())}"' in page
    total = re.search(r'data-testid="today-total"[^>]*>([^<]+)<', page)
    assert total
    assert total.group(1).startswith("0:30:0")
    assert 'data-running-description="Writing"' in page


def test_delete_then_undo_restores_exactly_the_entry(person):
    user, client = person
    project, _ = create_project(user=user, name="Web")
    start = timezone.now() - timedelta(hours=2)
    entry, _ = create_entry(
        user=user,
        start=start,
        end=start + timedelta(minutes=45),
        description="Keep me",
        project_id=project.id,
        tags=["b", "a"],
    )
    before = (entry.pk, entry.description, entry.project_id, entry.start, entry.end)
    deleted = client.post(f"/entries/{entry.id}/delete/", {"back": "today"}, HTTP_HX_REQUEST="true")
    assert "Deleted “Keep me”" in deleted.content.decode()
    assert not TimeEntry.objects.exists()
    assert "Undo" in client.get("/today/").content.decode()
    restored = client.post("/entries/undo/", {"back": "today"})
    assert restored.status_code == 302
    assert restored["Location"] == "/today/"
    back = TimeEntry.objects.get()
    assert (back.pk, back.description, back.project_id, back.start, back.end) == before
    assert sorted(t.name for t in back.tags.all()) == ["a", "b"]
    again = client.post("/entries/undo/")  # once only
    assert again.status_code == 302
    assert TimeEntry.objects.count() == 1


def test_undo_is_the_owners_only_and_expires(person, ben, client_of, monkeypatch):
    user, client = person
    start = timezone.now() - timedelta(hours=2)
    entry, _ = create_entry(user=user, start=start, end=start + timedelta(hours=1))
    client.post(f"/entries/{entry.id}/delete/")
    other = client_of(ben)
    other.post("/entries/undo/")
    assert not TimeEntry.objects.exists()  # another session has nothing to undo
    # the owner's session, handed to someone else, still restores nothing of another person
    session = client.session
    kept = session["deleted_entry"]
    ben_session = other.session
    ben_session["deleted_entry"] = kept
    ben_session.save()
    other.post("/entries/undo/")
    assert not TimeEntry.objects.exists()
    monkeypatch.setattr("routinie.tracking.entries.undo.UNDO_SECONDS", 0)
    client.post("/entries/undo/")
    assert not TimeEntry.objects.exists()  # expired


# --- Projects --------------------------------------------------------------------------------
def test_projects_page_creates_renames_recolours_and_archives(person):
    user, client = person
    assert client.get("/projects/").status_code == 200
    assert client.post("/projects/new/", {"name": "Garden", "color": "#1f6fb2"}).status_code == 302
    project = Project.objects.get(user=user)
    prefix = f"p{project.pk.hex[:8]}-"
    saved = client.post(
        f"/projects/{project.id}/", {prefix + "name": "Allotment", prefix + "color": "#c0392b"}
    )
    assert saved.status_code == 302
    project.refresh_from_db()
    assert (project.name, project.color) == ("Allotment", "#c0392b")
    bad = client.post(f"/projects/{project.id}/", {prefix + "name": "", prefix + "color": "red"})
    assert bad.status_code == 422
    project.refresh_from_db()
    assert (project.name, project.color) == ("Allotment", "#c0392b")
    assert client.post(f"/projects/{project.id}/archive/").status_code == 302
    project.refresh_from_db()
    assert project.archived
    page = client.get("/projects/").content.decode()
    assert "Allotment" in page
    assert "Restore" in page


def test_another_persons_project_is_not_found(person, ben):
    _user, client = person
    theirs, _ = create_project(user=ben, name="Theirs")
    for path in [f"/projects/{theirs.id}/", f"/projects/{theirs.id}/archive/"]:
        assert client.post(path, {}).status_code == 404
    assert "Theirs" not in client.get("/projects/").content.decode()
    theirs.refresh_from_db()
    assert not theirs.archived


def test_a_new_project_is_created_from_the_timer_and_the_entry_form(person):
    user, client = person
    assert "+ New project" in client.get("/today/").content.decode()
    client.post("/today/timer/", {"description": "Plan", "new_project": "Launch"})
    running = TimeEntry.objects.get(end__isnull=True)
    assert running.project.name == "Launch"
    client.post(
        "/entries/new/",
        _entry(day="2026-11-20", start_time="09:00", end_time="10:00", new_project="launch"),
    )
    assert Project.objects.filter(user=user).count() == 1  # the same name, any case, is reused
    assert TimeEntry.objects.filter(project__name="Launch").count() == 2


def test_a_timer_cannot_start_before_the_running_one_started(ada):
    from routinie.core.errors import InvalidInput

    now = timezone.now()
    running = start_timer(user=ada, description="First", start=now - timedelta(minutes=10))
    with pytest.raises(InvalidInput):
        start_timer(user=ada, description="Second", start=now - timedelta(minutes=20))
    running.refresh_from_db()
    assert running.end is None
    assert TimeEntry.objects.count() == 1
    second = start_timer(user=ada, description="Second", start=now - timedelta(minutes=5))
    running.refresh_from_db()
    assert running.end == second.start  # stopped at the same instant
