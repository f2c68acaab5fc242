"""The routine pages over Django's test client: forms, one-click check-ins (plain and htmx),
back-fill, archive and delete, another user's routine, "start routine", and query counts."""

import re
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from routinie.tracking.calendar import today_for
from routinie.tracking.models import CheckIn, Routine, RoutineStep, TimeEntry
from routinie.tracking.routines.schedules import ScheduleSpec
from routinie.tracking.routines.services import StepSpec, check_in, create_routine

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


@pytest.fixture
def signed_in(client, ada):
    client.force_login(ada)
    return ada


def routine_of(user, name="Stretch", schedule=None, **kwargs):
    routine, _ = create_routine(
        user=user, name=name, schedule=schedule or ScheduleSpec("daily"), **kwargs
    )
    return routine


def html_of(response) -> str:
    return response.content.decode()


def assert_csp_clean(html: str) -> None:
    """What a strict CSP would refuse: inline scripts, style attributes, event attributes."""
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html)
    assert " style=" not in html
    assert not EVENT_ATTRIBUTE.search(html), EVENT_ATTRIBUTE.search(html)


def form_data(**overrides):
    data = {"name": "Morning", "schedule_kind": "daily", "target_value": "", "target_unit": ""}
    data.update(overrides)
    return data


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- The list and creating ----------------------------------------------------------------------
def test_routines_page_signed_out_redirects_to_sign_in(client):
    response = client.get("/routines/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_empty_routines_page_opens_the_new_routine_form(client, signed_in):
    response = client.get("/routines/")
    html = html_of(response)
    assert response.status_code == 200
    assert '<details class="rt-new" id="new-routine" open>' in html
    assert "No routines yet" in html
    for name in ("name", "schedule_kind", "days", "count", "n", "target_value", "step_0_name"):
        assert f'name="{name}"' in html
    assert_csp_clean(html)


@pytest.mark.parametrize(
    ("extra", "spec", "words"),
    [
        ({"schedule_kind": "daily"}, ScheduleSpec("daily"), "Every day"),
        (
            {"schedule_kind": "weekdays", "days": ["0", "2", "4"]},
            ScheduleSpec("weekdays", days=(0, 2, 4)),
            "Mon, Wed, Fri",
        ),
        (
            {"schedule_kind": "times_per_week", "count": "3", "n": "junk"},
            ScheduleSpec("times_per_week", count=3),
            "3 times a week",
        ),
        (
            {"schedule_kind": "every_n_days", "n": "2", "count": "99"},
            ScheduleSpec("every_n_days", n=2),
            "Every 2 days",
        ),
    ],
)
def test_create_each_schedule_kind(client, signed_in, extra, spec, words):
    from routinie.tracking.routines.schedules import schedule_of

    response = client.post("/routines/new/", form_data(**extra))

    routine = Routine.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/routines/#routine-{routine.pk}"
    assert routine.user == signed_in
    assert schedule_of(routine) == spec
    page = client.get(response["Location"])
    assert "Created the routine “Morning”." in messages_of(page)
    assert words in html_of(page)


def test_create_with_a_target_and_steps_skips_blank_rows(client, signed_in):
    response = client.post(
        "/routines/new/",
        form_data(
            name="Reading",
            target_value="20",
            target_unit="pages",
            step_0_name="Find the book",
            step_0_minutes="1.5",
            step_1_name="",
            step_1_minutes="",
            step_2_name="Read",
            step_2_minutes="20",
        ),
    )
    assert response.status_code == 302
    routine = Routine.objects.get()
    assert (routine.target_value, routine.target_unit) == (20, "pages")
    steps = list(routine.steps.values_list("position", "name", "duration_seconds"))
    assert steps == [(0, "Find the book", 90), (1, "Read", 1200)]
    html = html_of(client.get("/routines/"))
    assert "target 20 pages" in html
    assert "2 steps, 21 min 30 s" in html


def test_new_routine_page_has_the_form(client, signed_in):
    response = client.get("/routines/new/")
    assert response.status_code == 200
    assert "<h1>New routine</h1>" in html_of(response)
    assert_csp_clean(html_of(response))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (form_data(name=""), "Please give the routine a name."),
        (form_data(name="   "), "Please give the routine a name."),
        (form_data(name="x" * 101), "at most 100 characters"),
        (form_data(schedule_kind=""), "Choose how often."),
        (form_data(schedule_kind="hourly"), "Choose how often."),
        (form_data(schedule_kind="weekdays"), "Choose at least one weekday"),
        (form_data(schedule_kind="weekdays", days=["9"]), "Select a valid choice"),
        (form_data(schedule_kind="times_per_week", count=""), "How many times a week?"),
        (form_data(schedule_kind="times_per_week", count="9"), "Times per week is a number"),
        (form_data(schedule_kind="times_per_week", count="2.5"), "How many times a week?"),
        (form_data(schedule_kind="every_n_days", n="0"), "n is a number from 1 to 365"),
        (form_data(schedule_kind="every_n_days", n="abc"), "Every how many days?"),
        (form_data(target_value="-1"), "A target is a positive number."),
        (form_data(target_value="lots"), "The target is a number"),
        (form_data(target_unit="km"), "Add the target number, or clear the unit."),
        (form_data(target_value="5", target_unit="u" * 31), "at most 30 characters"),
        (form_data(step_0_name="Stretch"), "How many minutes?"),
        (form_data(step_0_minutes="5"), "Name this step, or clear its minutes."),
        (form_data(step_0_name="Stretch", step_0_minutes="0"), "How many minutes?"),
        (form_data(step_0_name="Long", step_0_minutes="2000"), "from 1 second to 24 hours"),
        (form_data(step_0_name="Tiny", step_0_minutes="0.001"), "from 1 second to 24 hours"),
    ],
)
def test_bad_input_re_renders_the_form_with_422_and_saves_nothing(client, signed_in, data, message):
    response = client.post("/routines/new/", data)

    assert response.status_code == 422
    html = html_of(response)
    assert message in html
    assert "nothing was saved" in html
    assert 'role="alert"' in html
    assert Routine.objects.count() == 0
    assert RoutineStep.objects.count() == 0
    assert_csp_clean(html)


def test_a_service_step_error_lands_on_its_row(client, signed_in):
    response = client.post(
        "/routines/new/",
        form_data(
            step_1_name="Fine", step_1_minutes="5", step_3_name="Huge", step_3_minutes="9999"
        ),
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert form.errors["step_3_minutes"] == ["A step lasts from 1 second to 24 hours."]
    assert "step_1_minutes" not in form.errors
    # The form keeps what was typed.
    assert 'value="Huge"' in html_of(response)


def test_create_refuses_get_free_methods(client, signed_in):
    assert client.put("/routines/new/").status_code == 405
    assert client.post("/routines/").status_code == 405


# --- One-click check-ins ----------------------------------------------------------------------
def test_one_click_done_and_skip_as_plain_posts(client, signed_in):
    routine = routine_of(signed_in)
    today = today_for(signed_in)

    response = client.post(
        f"/routines/{routine.pk}/checkin/", {"status": "done", "next": "/routines/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/routines/"
    checkin = CheckIn.objects.get()
    assert (checkin.date, checkin.status, checkin.value) == (today, "done", None)
    page = client.get("/routines/")
    assert "“Stretch” checked in for today: done." in messages_of(page)
    assert 'Today: <strong data-testid="day-report">done</strong>' in html_of(page)
    assert "1 day" in html_of(page)  # the streak

    response = client.post(
        f"/routines/{routine.pk}/checkin/", {"status": "skipped", "next": "/routines/"}
    )
    assert response.status_code == 302
    assert CheckIn.objects.get().status == "skipped"  # the same day, updated
    assert "“Stretch” checked in for today: skipped." in messages_of(client.get("/routines/"))


def test_one_click_with_htmx_returns_the_card(client, signed_in):
    routine = routine_of(signed_in)

    response = client.post(
        f"/routines/{routine.pk}/checkin/",
        {"status": "done", "next": "/routines/"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = html_of(response)
    assert html.lstrip().startswith(f'<article class="card rt-card" id="routine-{routine.pk}"')
    assert 'Today: <strong data-testid="day-report">done</strong>' in html
    assert "Undo" in html
    assert f'id="routine-{routine.pk}-act"' in html  # keeps the focus on the swapped button
    assert "<html" not in html
    assert_csp_clean(html)
    assert CheckIn.objects.get().status == "done"

    response = client.post(
        f"/routines/{routine.pk}/checkin/",
        {"delete": "1", "date": today_for(signed_in).isoformat()},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert CheckIn.objects.count() == 0
    assert "Skip" in html_of(response)

    response = client.post(
        f"/routines/{routine.pk}/checkin/", {"status": "skipped"}, HTTP_HX_REQUEST="true"
    )
    assert 'Today: <strong data-testid="day-report">skipped</strong>' in html_of(response)
    # No message waits for the next page: the card said it already.
    assert messages_of(client.get("/routines/")) == []


def test_htmx_bad_input_is_422_with_the_card(client, signed_in):
    routine = routine_of(signed_in, target_value=5, target_unit="km")
    response = client.post(
        f"/routines/{routine.pk}/checkin/",
        {"status": "done", "value": "lots"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "The value is a number" in html_of(response)
    assert CheckIn.objects.count() == 0


def test_numeric_target_done_without_value_reaches_it_and_below_is_partial(client, signed_in):
    routine = routine_of(signed_in, name="Run", target_value=5, target_unit="km")
    html = html_of(client.get("/routines/"))
    assert f'id="routine-{routine.pk}-value" value="5"' in html

    client.post(f"/routines/{routine.pk}/checkin/", {"status": "done", "value": ""})
    assert CheckIn.objects.get().value == 5

    client.post(f"/routines/{routine.pk}/checkin/", {"status": "done", "value": "3,5"})
    assert CheckIn.objects.get().value == 3.5
    assert 'Today: <strong data-testid="day-report">3.5 of 5 km · partly done</strong>' in html_of(
        client.get("/routines/")
    )


# --- A routine's page: back-fill and check-ins ------------------------------------------------
def test_detail_page_shows_stats_explanation_heatmap_and_weekdays(client, signed_in):
    routine = routine_of(
        signed_in, steps=[StepSpec("Neck", 60), StepSpec("Back", 120)], target_value=2
    )
    today = today_for(signed_in)
    for back in range(1, 4):
        check_in(
            user=signed_in,
            routine_id=routine.pk,
            day=today - timedelta(days=back),
            status="done",
            value=2,
        )
    check_in(
        user=signed_in,
        routine_id=routine.pk,
        day=today - timedelta(days=5),
        status="skipped",
        note="ill",
    )

    response = client.get(f"/routines/{routine.pk}/")

    html = html_of(response)
    assert response.status_code == 200
    assert response.context["stats"]["current"] == "3 days"
    assert "What these numbers mean" in html
    assert "Strength is a slowly moving average" in html
    assert "50% in 13 days" in html
    cells = re.findall(r'<button [^>]*class="rt-day hm-(\w+)" aria-label="([^"]+)"', html)
    assert len(cells) >= 26 * 7 - 6
    day = today - timedelta(days=1)
    year = f" {day:%Y}" if day.year != today.year else ""
    label = f"{day:%a} {day.day} {day:%b}{year}: 2 of 2 · done"
    assert ("done", label) in cells
    assert any(state == "skipped" for state, _ in cells)
    assert any(state == "missed" for state, _ in cells)  # four days ago
    assert 'aria-label="Done check-ins by weekday:' in html
    assert "ill" in html  # the note, in the recent check-ins
    assert "Start routine" in html
    assert_csp_clean(html)


def test_back_fill_a_past_day(client, signed_in):
    routine = routine_of(signed_in)
    day = today_for(signed_in) - timedelta(days=10)

    response = client.post(
        f"/routines/{routine.pk}/checkin/",
        {
            "date": day.isoformat(),
            "status": "note",
            "note": "  felt stiff ",
            "next": f"/routines/{routine.pk}/#check-in",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"/routines/{routine.pk}/#check-in"
    checkin = CheckIn.objects.get()
    assert (checkin.date, checkin.status, checkin.note) == (day, "note", "felt stiff")
    page = client.get(response["Location"])
    assert any("checked in for" in m and "a note" in m for m in messages_of(page))


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"date": "2099-01-01", "status": "done"}, "date", "has not come yet"),
        ({"date": "1999-12-31", "status": "done"}, "date", "too far in the past"),
        ({"date": "31/31/2026", "status": "done"}, "date", "Enter a date"),
        ({"status": "maybe"}, "status", "Select a valid choice"),
        ({"status": ""}, "status", "Choose done, skipped or note."),
        ({"status": "done", "value": "9999999"}, "value", "out of range"),
        ({"status": "note", "note": "n" * 501}, "note", "at most 500 characters"),
    ],
)
def test_bad_check_in_re_renders_the_detail_page_with_422(client, signed_in, data, field, message):
    routine = routine_of(signed_in, target_value=1)
    response = client.post(f"/routines/{routine.pk}/checkin/", data)
    assert response.status_code == 422
    assert message in " ".join(response.context["form"].errors[field])
    assert message in html_of(response)
    assert CheckIn.objects.count() == 0


def test_delete_a_check_in(client, signed_in):
    routine = routine_of(signed_in)
    day = today_for(signed_in) - timedelta(days=2)
    check_in(user=signed_in, routine_id=routine.pk, day=day, status="done")

    response = client.post(
        f"/routines/{routine.pk}/checkin/", {"delete": "1", "date": day.isoformat()}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/routines/{routine.pk}/"
    assert CheckIn.objects.count() == 0
    assert any(m.startswith("Removed the check-in") for m in messages_of(client.get("/")))
    # A day without a check-in, or no day at all: said, not a 500.
    response = client.post(
        f"/routines/{routine.pk}/checkin/", {"delete": "1", "date": day.isoformat()}
    )
    assert response.status_code == 302
    assert client.post(f"/routines/{routine.pk}/checkin/", {"delete": "1"}).status_code == 422


# --- Edit, archive, delete --------------------------------------------------------------------
def test_edit_shows_the_routine_and_saves_changes(client, signed_in):
    routine = routine_of(
        signed_in,
        schedule=ScheduleSpec("weekdays", days=(1, 3)),
        target_value=2.5,
        target_unit="l",
        steps=[StepSpec("Boil", 45)],
    )
    html = html_of(client.get(f"/routines/{routine.pk}/edit/"))
    assert 'value="Stretch"' in html
    assert re.search(r'value="weekdays"[^>]*checked', html)
    assert re.search(r'value="1"[^>]*checked', html)
    assert 'value="2.5"' in html
    assert 'value="Boil"' in html
    assert 'value="0.75"' in html
    assert 'name="step_4_name"' in html  # room for more steps
    assert_csp_clean(html)

    response = client.post(
        f"/routines/{routine.pk}/edit/",
        form_data(
            name="Tea",
            schedule_kind="times_per_week",
            count="2",
            step_0_name="Boil",
            step_0_minutes="3",
            step_1_name="",
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == f"/routines/{routine.pk}/"
    routine.refresh_from_db()
    assert (routine.name, routine.schedule_kind, routine.schedule_number) == (
        "Tea",
        "times_per_week",
        2,
    )
    assert routine.target_value is None
    assert list(routine.steps.values_list("name", "duration_seconds")) == [("Boil", 180)]
    assert "Saved your changes to “Tea”." in messages_of(client.get(response["Location"]))


def test_bad_edit_is_422_and_changes_nothing(client, signed_in):
    routine = routine_of(signed_in, steps=[StepSpec("A", 60)])
    response = client.post(
        f"/routines/{routine.pk}/edit/",
        form_data(name="New name", schedule_kind="every_n_days", n="999"),
    )
    assert response.status_code == 422
    assert "n is a number from 1 to 365" in html_of(response)
    routine.refresh_from_db()
    assert routine.name == "Stretch"
    assert routine.steps.count() == 1


def test_archive_and_unarchive(client, signed_in):
    routine = routine_of(signed_in)
    other = routine_of(signed_in, name="Walk")

    response = client.post(f"/routines/{routine.pk}/archive/", {"next": "/routines/"})
    assert response.status_code == 302
    assert response["Location"] == "/routines/"
    routine.refresh_from_db()
    assert routine.archived
    page = client.get("/routines/")
    html = html_of(page)
    assert any(m.startswith("Archived “Stretch”.") for m in messages_of(page))
    assert "Archived routines (1)" in html
    assert f'id="routine-{routine.pk}"' not in html  # not among the active cards
    assert f'id="routine-{other.pk}"' in html

    response = client.post(f"/routines/{routine.pk}/archive/")
    assert response["Location"] == f"/routines/{routine.pk}/"
    routine.refresh_from_db()
    assert not routine.archived
    assert "“Stretch” is active again." in messages_of(client.get("/routines/"))
    # An off-site `next` is ignored.
    response = client.post(f"/routines/{routine.pk}/archive/", {"next": "https://evil.test/"})
    assert response["Location"] == f"/routines/{routine.pk}/"


def test_delete_routine(client, signed_in):
    routine = routine_of(signed_in)
    check_in(user=signed_in, routine_id=routine.pk, day=today_for(signed_in), status="done")
    html = html_of(client.get(f"/routines/{routine.pk}/"))
    assert "Delete this routine…" in html
    assert "its 1 check-in for good" in html

    response = client.post(f"/routines/{routine.pk}/delete/")

    assert response.status_code == 302
    assert response["Location"] == "/routines/"
    assert Routine.objects.count() == 0
    assert CheckIn.objects.count() == 0
    assert any(m.startswith("Deleted “Stretch”") for m in messages_of(client.get("/routines/")))
    assert client.get(f"/routines/{routine.pk}/").status_code == 404


def test_post_only_views_refuse_get(client, signed_in):
    routine = routine_of(signed_in)
    for path in ("archive/", "delete/", "checkin/", "run/start/"):
        assert client.get(f"/routines/{routine.pk}/{path}").status_code == 405, path
    assert Routine.objects.get().archived is False


# --- Someone else's routine -------------------------------------------------------------------
def test_another_users_routine_is_not_found_on_every_view_and_method(client, ada, ben):
    owner, intruder = ada, ben
    routine = routine_of(owner, steps=[StepSpec("A", 60)])
    check_in(user=owner, routine_id=routine.pk, day=today_for(owner), status="done")
    client.force_login(intruder)
    base = f"/routines/{routine.pk}"
    missing = f"/routines/{uuid.uuid4()}"

    for prefix in (base, missing):
        for method, path, data in [
            ("get", "/", {}),
            ("post", "/", {}),
            ("get", "/edit/", {}),
            ("post", "/edit/", form_data(name="Mine now")),
            ("get", "/archive/", {}),
            ("post", "/archive/", {}),
            ("post", "/delete/", {}),
            ("get", "/delete/", {}),
            ("post", "/checkin/", {"status": "skipped"}),
            ("post", "/checkin/", {"delete": "1", "date": today_for(owner).isoformat()}),
            ("get", "/checkin/", {}),
            ("get", "/run/", {}),
            ("post", "/run/", {}),
            ("post", "/run/start/", {}),
            ("post", "/run/next/", {}),
            ("post", "/run/finish/", {}),
            ("get", "/run/start/", {}),
        ]:
            response = getattr(client, method)(prefix + path, data)
            assert response.status_code == 404, (method, prefix + path)
            response = getattr(client, method)(prefix + path, data, HTTP_HX_REQUEST="true")
            assert response.status_code == 404, ("htmx", method, prefix + path)

    routine.refresh_from_db()
    assert (routine.name, routine.archived) == ("Stretch", False)
    assert CheckIn.objects.get().status == "done"
    assert TimeEntry.objects.count() == 0
    assert str(routine.pk) not in html_of(client.get("/routines/"))


# --- Start routine ----------------------------------------------------------------------------
def test_the_run_records_each_step_and_checks_the_routine_in(client, signed_in):
    routine = routine_of(signed_in, steps=[StepSpec("Neck", 60), StepSpec("Back", 120)])
    run = f"/routines/{routine.pk}/run/"

    page = client.get(run)
    assert page.status_code == 200
    assert "Start routine" in html_of(page)
    assert "data-seconds-left" not in html_of(page)

    response = client.post(run + "start/")
    assert response.status_code == 302
    assert response["Location"] == run + "#run"
    entry = TimeEntry.objects.get()
    assert (entry.routine_id, entry.routine_step, entry.end) == (routine.pk, 0, None)
    assert entry.description == "Stretch: Neck"
    page = client.get(run)
    html = html_of(page)
    assert "Started “Stretch”: step 1, Neck." in messages_of(page)
    assert "Step 1 of 2" in html
    left = int(re.search(r'data-seconds-left="(-?\d+)"', html).group(1))
    assert 55 <= left <= 60
    assert 'data-step-seconds="60"' in html
    assert "Next step" in html
    assert "Finish now" in html
    assert "routinie/js/routine_run.js" in html
    assert_csp_clean(html)

    response = client.post(run + "next/")
    assert response.status_code == 302
    first, second = TimeEntry.objects.order_by("routine_step")
    assert first.end is not None
    assert (second.end, second.routine_step) == (None, 1)
    html = html_of(client.get(run))
    assert "Step 2 of 2" in html
    assert 'data-step-seconds="120"' in html
    assert "Next step" not in html
    assert ">Finish<" in html

    response = client.post(run + "finish/")
    assert response.status_code == 302
    assert TimeEntry.objects.filter(end__isnull=True).count() == 0
    checkin = CheckIn.objects.get()
    assert (checkin.routine_id, checkin.date, checkin.status) == (
        routine.pk,
        today_for(signed_in),
        "done",
    )
    page = client.get(run)
    html = html_of(page)
    assert any("is checked in for today as done" in m for m in messages_of(page))
    assert "Checked in for today ✓" in html
    assert re.search(r"<strong>\d+ s</strong> recorded today", html)
    assert "Run it again" in html


def test_next_after_the_last_step_checks_in(client, signed_in):
    routine = routine_of(signed_in, steps=[StepSpec("Only", 30)])
    client.post(f"/routines/{routine.pk}/run/start/")
    response = client.post(f"/routines/{routine.pk}/run/next/")
    assert response.status_code == 302
    assert CheckIn.objects.get().status == "done"
    assert TimeEntry.objects.get().end is not None


def test_run_refusals_say_why_without_a_500(client, signed_in):
    bare = routine_of(signed_in, name="Bare")
    response = client.post(f"/routines/{bare.pk}/run/start/")
    assert response.status_code == 409
    assert "no steps to run" in html_of(response)
    assert "Add steps" in html_of(client.get(f"/routines/{bare.pk}/run/"))

    stepped = routine_of(signed_in, steps=[StepSpec("A", 60)])
    response = client.post(f"/routines/{stepped.pk}/run/next/")
    assert response.status_code == 409
    assert "not running" in html_of(response)
    assert client.post(f"/routines/{stepped.pk}/run/jump/").status_code == 404
    assert TimeEntry.objects.count() == 0


def test_the_run_page_warns_that_another_timer_stops(client, signed_in):
    from routinie.tracking.entries.services import start_timer

    routine = routine_of(signed_in, steps=[StepSpec("A", 60)])
    start_timer(user=signed_in, description="Writing")
    html = html_of(client.get(f"/routines/{routine.pk}/run/"))
    assert "A timer is running (“Writing”)" in html
    client.post(f"/routines/{routine.pk}/run/start/")
    assert TimeEntry.objects.get(description="Writing").end is not None
    html = html_of(client.get("/routines/"))
    assert "Running: step 1" in html


# --- Query counts -----------------------------------------------------------------------------
def _grow(user, n: int) -> None:
    today = today_for(user)
    for i in range(n):
        routine = routine_of(
            user,
            name=f"R{i}",
            schedule=ScheduleSpec("weekdays", days=(0, 2, 4)) if i % 2 else ScheduleSpec("daily"),
            steps=[StepSpec("a", 60), StepSpec("b", 60)],
            target_value=3 if i % 3 == 0 else None,
        )
        for back in range(0, 20, 3):
            check_in(
                user=user,
                routine_id=routine.pk,
                day=today - timedelta(days=back),
                status="done",
                value=3,
            )


def _count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_routines_page_runs_a_constant_number_of_queries(client, make_user):
    few, _ = make_user()
    many, _ = make_user()
    _grow(few, 2)
    _grow(many, 20)

    client.force_login(few)
    few_count = _count(client, "/routines/")
    client.force_login(many)
    many_count = _count(client, "/routines/")

    assert few_count == many_count
    assert many_count <= 10
    assert html_of(client.get("/routines/")).count('class="card rt-card"') == 20
