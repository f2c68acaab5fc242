"""Goals on time over a live server (black-box): the five API operations with good and bad
input (a refusal changes nothing), another person's goal or project, and the progress: worked
time of the project or tag in the current week or month of the person's zone and week start,
breaks left out, the running timer counted, an entry across the period's start cut there."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from routinie.tracking.models import Goal
from tests.e2e.site_client import api_sign_up, api_token

pytestmark = pytest.mark.django_db(transaction=True)

ZONE = "Pacific/Kiritimati"  # UTC+14: its local midnight is 10:00 UTC the day before
HOUR = 3600


@pytest.fixture
def person(site):
    """open(email) -> call(method, path, **kw) with that person's bearer token, in ZONE."""

    def open_person(email: str = "ana@example.test", **me: Any):
        web = site()
        assert api_sign_up(web, "Ana Pop", email).status_code == 201
        token = api_token(web, email)
        changes = {"timezone": ZONE, **me}
        assert web.api("PATCH", "/me", token=token, json=changes).status_code == 200

        def call(method: str, path: str, **kwargs: Any):
            return web.api(method, path, token=token, **kwargs)

        call.web = web  # type: ignore[attr-defined]
        return call

    return open_person


def local_today() -> date:
    return datetime.now(ZoneInfo(ZONE)).date()


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(ZONE)).astimezone(UTC)


def add_entry(api, start: datetime, hours: float, **fields: Any) -> dict[str, Any]:
    end = start + timedelta(hours=hours)
    body = {"start": start.isoformat(), "end": end.isoformat(), **fields}
    answer = api("POST", "/time-entries", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def goals_in_db() -> list[tuple[Any, ...]]:
    return sorted(Goal.objects.values_list("id", "period", "seconds", "project_id", "tag"), key=str)


def test_create_read_list_update_and_delete_a_goal(person):
    api = person()
    project = api("POST", "/projects", json={"name": "Book"}).json()
    made = api("POST", "/goals", json={"period": "week", "seconds": 10 * HOUR, "tag": "deep"})
    assert made.status_code == 201, made.text
    goal = made.json()
    assert {k: goal[k] for k in ("period", "seconds", "project_id", "tag")} == {
        "period": "week",
        "seconds": 36000,
        "project_id": None,
        "tag": "deep",
    }
    assert goal["progress_seconds"] == 0
    assert goal["remaining_seconds"] == 36000
    assert goal["met"] is False
    first = date.fromisoformat(goal["period_start"])
    assert first.weekday() == 0  # Monday, the default week start
    assert date.fromisoformat(goal["period_end"]) == first + timedelta(days=6)
    assert first <= local_today() <= first + timedelta(days=6)

    monthly = api(
        "POST",
        "/goals",
        json={"period": "month", "seconds": 40 * HOUR, "project_id": project["id"]},
    ).json()
    assert monthly["tag"] is None
    assert monthly["project_id"] == project["id"]
    assert date.fromisoformat(monthly["period_start"]) == local_today().replace(day=1)

    assert api("GET", f"/goals/{goal['id']}").json() == goal
    listed = api("GET", "/goals").json()
    assert [g["id"] for g in listed["items"]] == [goal["id"], monthly["id"]]
    assert listed["next_cursor"] is None
    page = api("GET", "/goals", params={"limit": 1}).json()
    assert [g["id"] for g in page["items"]] == [goal["id"]]
    rest = api("GET", "/goals", params={"cursor": page["next_cursor"]}).json()
    assert [g["id"] for g in rest["items"]] == [monthly["id"]]

    changed = api("PATCH", f"/goals/{goal['id']}", json={"seconds": 5 * HOUR, "period": "month"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["seconds"], changed.json()["period"]) == (18000, "month")
    assert changed.json()["tag"] == "deep"
    # Naming a target replaces the goal's: the tag goes when a project is given.
    moved = api("PATCH", f"/goals/{goal['id']}", json={"project_id": project["id"]})
    assert moved.status_code == 409  # the project has a monthly goal already
    moved = api(
        "PATCH", f"/goals/{goal['id']}", json={"project_id": project["id"], "period": "week"}
    )
    assert moved.status_code == 200, moved.text
    assert (moved.json()["project_id"], moved.json()["tag"]) == (project["id"], None)

    assert api("DELETE", f"/goals/{goal['id']}").status_code == 204
    assert api("GET", f"/goals/{goal['id']}").status_code == 404
    assert api("DELETE", f"/goals/{goal['id']}").status_code == 404
    assert [g["id"] for g in api("GET", "/goals").json()["items"]] == [monthly["id"]]


def test_a_repeated_create_with_the_same_id_is_safe_and_a_duplicate_goal_is_a_conflict(person):
    api = person()
    body = {"id": "5f0c4a52-8a7e-4a59-9d1e-2f5d0f6f3a01", "period": "week", "seconds": 3600}
    first = api("POST", "/goals", json={**body, "tag": "run"})
    again = api("POST", "/goals", json={**body, "tag": "run"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    other_content = api("POST", "/goals", json={**body, "tag": "swim"})
    assert other_content.status_code == 409
    duplicate = api("POST", "/goals", json={"period": "week", "seconds": 7200, "tag": "run"})
    assert duplicate.status_code == 409
    assert "already" in duplicate.json()["detail"]
    assert Goal.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"period": "day", "seconds": 3600, "tag": "x"}, "period"),
        ({"seconds": 3600, "tag": "x"}, "period"),
        ({"period": "week", "seconds": 0, "tag": "x"}, "seconds"),
        ({"period": "week", "seconds": -1, "tag": "x"}, "seconds"),
        ({"period": "week", "seconds": 604801, "tag": "x"}, "seconds"),
        ({"period": "month", "seconds": 2678401, "tag": "x"}, "seconds"),
        ({"period": "week", "seconds": 10**30, "tag": "x"}, "seconds"),
        ({"period": "week", "seconds": "10", "tag": "x"}, "seconds"),
        ({"period": "week", "seconds": 3.5, "tag": "x"}, "seconds"),
        ({"period": "week", "seconds": True, "tag": "x"}, "seconds"),
        ({"period": "week", "seconds": 3600}, "project_id"),
        ({"period": "week", "seconds": 3600, "tag": "   "}, "project_id"),
        ({"period": "week", "seconds": 3600, "tag": "x" * 51}, "tag"),
        ({"period": "week", "seconds": 3600, "tag": "a\u0000b"}, "tag"),
        ({"period": "week", "seconds": 3600, "tag": "x", "colour": "red"}, "colour"),
        ({"period": "week", "seconds": 3600, "project_id": "not-a-uuid"}, "project_id"),
        (
            {"period": "week", "seconds": 3600, "project_id": "{project}", "tag": "x"},
            "tag",
        ),
        (
            {"period": "week", "seconds": 3600, "project_id": "{other_project}"},
            "project_id",
        ),
    ],
)
def test_bad_goals_are_refused_with_a_422_naming_the_field_and_nothing_is_made(person, body, field):
    api = person()
    other = person("bob@example.test")
    ids = {
        "project": api("POST", "/projects", json={"name": "Mine"}).json()["id"],
        "other_project": other("POST", "/projects", json={"name": "Bob's"}).json()["id"],
    }
    if isinstance(body.get("project_id"), str):
        body = {**body, "project_id": body["project_id"].format(**ids)}
    answer = api("POST", "/goals", json=body)
    assert answer.status_code == 422, answer.text
    error = answer.json()
    assert error["detail"]
    assert field in [item["field"] for item in error["errors"]], error
    assert Goal.objects.count() == 0


def test_a_bad_change_is_refused_and_changes_nothing(person):
    api = person()
    other = person("bob@example.test")
    bobs_project = other("POST", "/projects", json={"name": "Bob's"}).json()["id"]
    goal = api("POST", "/goals", json={"period": "week", "seconds": 3600, "tag": "deep"}).json()
    before = goals_in_db()
    for body, field in [
        ({"period": "day"}, "period"),
        ({"seconds": 0}, "seconds"),
        ({"seconds": "10"}, "seconds"),
        ({"seconds": 604801}, "seconds"),  # a weekly goal is at most a week
        ({"tag": None}, "project_id"),  # no target left
        ({"tag": "a", "project_id": bobs_project}, "tag"),
        ({"project_id": bobs_project}, "project_id"),
        ({"owner": "bob"}, "owner"),
    ]:
        answer = api("PATCH", f"/goals/{goal['id']}", json=body)
        assert answer.status_code == 422, (body, answer.text)
        assert field in [item["field"] for item in answer.json()["errors"]], (body, answer.text)
    assert goals_in_db() == before
    assert (
        api("PATCH", f"/goals/{goal['id']}", json={"period": "month", "seconds": 604801}).json()[
            "seconds"
        ]
        == 604801
    )  # a month holds more than a week


def test_another_persons_goal_is_not_found_and_stays_as_it_was(person):
    ana = person()
    bob = person("bob@example.test")
    bobs = bob("POST", "/goals", json={"period": "week", "seconds": 3600, "tag": "x"}).json()
    before = goals_in_db()
    assert ana("GET", f"/goals/{bobs['id']}").status_code == 404
    assert ana("PATCH", f"/goals/{bobs['id']}", json={"seconds": 60}).status_code == 404
    assert ana("DELETE", f"/goals/{bobs['id']}").status_code == 404
    assert ana("GET", "/goals").json()["items"] == []
    assert ana("GET", "/goals/not-an-id").status_code == 422
    taken = ana(
        "POST", "/goals", json={"id": bobs["id"], "period": "week", "seconds": 3600, "tag": "x"}
    )
    assert taken.status_code == 409  # the id is taken: nothing of Bob's is shown or changed
    assert "x" not in taken.text.replace("already exists", "")
    assert goals_in_db() == before


def test_deleting_a_project_deletes_its_goals(person):
    api = person()
    project = api("POST", "/projects", json={"name": "Book"}).json()
    goal = api(
        "POST", "/goals", json={"period": "week", "seconds": 3600, "project_id": project["id"]}
    ).json()
    assert api("DELETE", f"/projects/{project['id']}").status_code == 204
    assert api("GET", f"/goals/{goal['id']}").status_code == 404


def test_progress_counts_worked_time_of_the_target_in_the_local_week_from_its_start(person):
    today = local_today()
    # The week starts yesterday: an entry across last midnight counts one hour of its two.
    api = person(week_start=(today.weekday() - 1) % 7)
    book = api("POST", "/projects", json={"name": "Book"}).json()["id"]
    other = api("POST", "/projects", json={"name": "Other"}).json()["id"]
    week_start = local_midnight(today - timedelta(days=1))
    add_entry(api, week_start - timedelta(hours=1), 2, project_id=book, tags=["deep"])
    # Two hours less a 30-minute break, inside the week.
    start = week_start + timedelta(hours=2)
    add_entry(
        api,
        start,
        2,
        project_id=book,
        breaks=[
            {
                "start": (start + timedelta(minutes=30)).isoformat(),
                "end": (start + timedelta(minutes=60)).isoformat(),
            }
        ],
    )
    add_entry(api, week_start + timedelta(hours=5), 3, project_id=other, tags=["deep"])
    # Last week: not counted.
    add_entry(api, week_start - timedelta(days=3), 4, project_id=book, tags=["deep"])
    by_project = api(
        "POST", "/goals", json={"period": "week", "seconds": 10 * HOUR, "project_id": book}
    ).json()
    by_tag = api(
        "POST", "/goals", json={"period": "week", "seconds": 4 * HOUR, "tag": "deep"}
    ).json()
    assert by_project["period_start"] == (today - timedelta(days=1)).isoformat()
    assert by_project["progress_seconds"] == HOUR + 90 * 60
    assert by_project["remaining_seconds"] == 10 * HOUR - (HOUR + 90 * 60)
    assert by_tag["progress_seconds"] == HOUR + 3 * HOUR
    assert by_tag["met"] is True
    assert by_tag["remaining_seconds"] == 0
    listed = {g["id"]: g for g in api("GET", "/goals").json()["items"]}
    assert listed[by_project["id"]]["progress_seconds"] == HOUR + 90 * 60
    assert listed[by_tag["id"]]["progress_seconds"] == 4 * HOUR

    # The same data with the week starting today: only today's part counts.
    assert api("PATCH", "/me", json={"week_start": today.weekday()}).status_code == 200
    moved = api("GET", f"/goals/{by_project['id']}").json()
    assert moved["period_start"] == today.isoformat()
    assert moved["progress_seconds"] == 0


def test_progress_counts_the_running_timer_up_to_now_less_its_breaks(person):
    api = person()
    goal = api("POST", "/goals", json={"period": "week", "seconds": 10 * HOUR, "tag": "focus"})
    week_start = local_midnight(date.fromisoformat(goal.json()["period_start"]))
    started = max(week_start, timezone.now() - timedelta(hours=2)).replace(microsecond=0)
    running = api(
        "POST",
        "/time-entries",
        json={"start": started.isoformat(), "tags": ["focus"]},
    )
    assert running.status_code == 201, running.text
    assert running.json()["end"] is None
    before = timezone.now()
    progress = api("GET", f"/goals/{goal.json()['id']}").json()["progress_seconds"]
    after = timezone.now()
    assert (
        (before - started).total_seconds() - 1 <= progress <= (after - started).total_seconds() + 1
    )


def test_progress_of_a_month_starts_at_the_local_first_of_the_month(person):
    api = person()
    today = local_today()
    first = local_midnight(today.replace(day=1))
    add_entry(api, first - timedelta(hours=1), 3, tags=["write"])  # two hours of them this month
    if today.day > 1:
        add_entry(api, first + timedelta(days=1), 1.5, tags=["write"])
    goal = api("POST", "/goals", json={"period": "month", "seconds": 20 * HOUR, "tag": "write"})
    assert goal.status_code == 201
    expected = 2 * HOUR + (90 * 60 if today.day > 1 else 0)
    assert goal.json()["progress_seconds"] == expected
    assert goal.json()["period_start"] == today.replace(day=1).isoformat()


# --- The pages: /goals/, the card on /today/, the goals of a report's week ----------------------
def signed_in(api):
    web = api.web
    assert web.sign_in("ana@example.test").status_code == 302
    return web


def test_the_goals_page_sets_changes_and_deletes_goals_with_clear_errors(person):
    api = person()
    web = signed_in(api)
    book = api("POST", "/projects", json={"name": "Book"}).json()["id"]
    assert web.get("/goals/").status_code == 200
    for data, message in [
        ({"period": "week", "hours": "0", "tag": "deep"}, "A goal must be longer than zero."),
        ({"period": "week", "hours": "-1", "tag": "deep"}, "A goal must be longer than zero."),
        ({"period": "week", "hours": "169", "tag": "deep"}, "at most 168 hours"),
        ({"period": "week", "hours": "ten", "tag": "deep"}, "Enter a number."),
        ({"period": "day", "hours": "3", "tag": "deep"}, "Select a valid choice."),
        ({"period": "week", "hours": "3"}, "Choose a project or a tag for the goal."),
        (
            {"period": "week", "hours": "3", "project": book, "tag": "deep"},
            "A goal counts a project or a tag, not both.",
        ),
    ]:
        refused = web.submit("/goals/", "/goals/new/", data)
        assert refused.status_code == 422, data
        assert message in refused.text, (data, refused.text[-2000:])
        assert 'role="alert"' in refused.text
    assert Goal.objects.count() == 0

    made = web.submit("/goals/", "/goals/new/", {"period": "week", "hours": "7.5", "tag": "deep"})
    assert made.status_code == 302
    goal = Goal.objects.get()
    assert (goal.period, goal.seconds, goal.tag, goal.project_id) == ("week", 27000, "deep", None)
    page = web.get("/goals/").text
    assert "The goal is set." in page
    assert "0 min of 7 h 30 min" in page
    duplicate = web.submit(
        "/goals/", "/goals/new/", {"period": "week", "hours": "2", "tag": "deep"}
    )
    assert duplicate.status_code == 422
    assert "You already have a weekly goal for this tag." in duplicate.text

    prefix = f"g{goal.pk.hex[:8]}"
    action = f"/goals/{goal.pk}/"
    bad = web.submit(
        "/goals/",
        action,
        {f"{prefix}-period": "week", f"{prefix}-hours": "0", f"{prefix}-tag": "x"},
    )
    assert bad.status_code == 422
    assert "A goal must be longer than zero." in bad.text
    goal.refresh_from_db()
    assert (goal.seconds, goal.tag) == (27000, "deep")
    changed = web.submit(
        "/goals/",
        action,
        {f"{prefix}-period": "month", f"{prefix}-hours": "40", f"{prefix}-project": book},
    )
    assert changed.status_code == 302
    goal.refresh_from_db()
    assert (goal.period, goal.seconds, goal.tag, str(goal.project_id)) == (
        "month",
        144000,
        "",
        book,
    )
    assert web.submit("/goals/", f"/goals/{goal.pk}/delete/", {}).status_code == 302
    assert not Goal.objects.exists()


def test_another_persons_goal_is_not_found_on_the_pages(person):
    ana = person()
    bob = person("bob@example.test")
    bobs = bob("POST", "/goals", json={"period": "week", "seconds": 3600, "tag": "x"}).json()
    web = signed_in(ana)
    before = goals_in_db()
    assert web.submit("/goals/", f"/goals/{bobs['id']}/delete/", {}).status_code == 404
    edit = {"period": "week", "hours": "9", "tag": "y"}
    assert web.submit("/goals/", f"/goals/{bobs['id']}/", edit).status_code == 404
    assert goals_in_db() == before
    assert "No goals yet." in web.get("/goals/").text


def test_today_shows_each_goal_with_its_progress_bar(person):
    today = local_today()
    api = person(week_start=today.weekday())  # the week starts today
    book = api("POST", "/projects", json={"name": "Book"}).json()["id"]
    start = local_midnight(today)
    add_entry(api, start - timedelta(hours=2), 3, project_id=book)  # 1 h of it today
    add_entry(api, start + timedelta(minutes=10), 0.5, project_id=book)
    api("POST", "/goals", json={"period": "week", "seconds": 10 * HOUR, "project_id": book})
    api("POST", "/goals", json={"period": "week", "seconds": 1800, "tag": "never"})
    web = signed_in(api)
    page = web.get("/today/").text
    assert 'aria-valuetext="1 h 30 min of 10 h"' in page
    assert 'max="36000" value="5400"' in page
    assert "1 h 30 min of 10 h, 8 h 30 min to go" in page
    assert "0 min of 30 min, 30 min to go" in page
    assert "Met" not in page.split('id="goals"')[1]
    api("POST", "/goals", json={"period": "month", "seconds": 60, "project_id": book})
    page = web.get("/today/").text
    assert 'data-met="true"' in page
    assert "1 h 30 min of 1 min: met" in page


def test_a_weeks_report_shows_its_goals_and_a_past_week_whether_they_were_met(person):
    today = local_today()
    api = person(week_start=today.weekday())
    week = local_midnight(today)
    # Across the end of last week: one hour in each week.
    add_entry(api, week - timedelta(hours=1), 2, tags=["deep"])
    api("POST", "/goals", json={"period": "week", "seconds": 2 * HOUR, "tag": "deep"})
    web = signed_in(api)
    last_week = (today - timedelta(days=7), today - timedelta(days=1))
    report = web.get(
        "/reports/", params={"from": last_week[0].isoformat(), "to": last_week[1].isoformat()}
    )
    assert report.status_code == 200
    assert 'data-testid="report-goals"' in report.text
    assert "1 h of 2 h: 1 h short" in report.text
    assert "Not met" in report.text
    this_week = web.get(
        "/reports/",
        params={"from": today.isoformat(), "to": (today + timedelta(days=6)).isoformat()},
    ).text
    assert "1 h of 2 h, 1 h to go" in this_week
    # A range that is not a week or a month shows no goals.
    days = web.get("/reports/", params={"from": today.isoformat(), "to": today.isoformat()})
    assert 'data-testid="report-goals"' not in days.text


def test_the_summary_api_of_a_week_or_a_month_carries_its_goals(person):
    today = local_today()
    api = person(week_start=today.weekday())
    week = local_midnight(today)
    add_entry(api, week - timedelta(hours=1), 2, tags=["deep"])  # an hour in each week
    goal = api("POST", "/goals", json={"period": "week", "seconds": 2 * HOUR, "tag": "deep"}).json()
    last_week = {"from": (today - timedelta(days=7)).isoformat(), "to": str(today - timedelta(1))}
    past = api("GET", "/reports/summary", params=last_week).json()
    assert past["total_seconds"] == HOUR
    assert [(g["id"], g["progress_seconds"], g["met"]) for g in past["goals"]] == [
        (goal["id"], HOUR, False)
    ]
    assert past["goals"][0]["period_start"] == last_week["from"]
    # Filters narrow the groups, not a goal: it counts its own tag.
    this_week = {"from": today.isoformat(), "to": (today + timedelta(days=6)).isoformat()}
    other = api("GET", "/reports/summary", params={**this_week, "tag": "other"}).json()
    assert other["total_seconds"] == 0
    assert [g["progress_seconds"] for g in other["goals"]] == [HOUR]
    day = api("GET", "/reports/summary", params={"from": str(today), "to": str(today)}).json()
    assert day["goals"] == []  # not a week or a month


def test_goals_are_in_the_data_export_and_gone_with_the_account(person, settings, tmp_path):
    import io
    import json
    import zipfile

    from tests.e2e.site_client import STRONG_PASSWORD
    from tests.plugin import run_queued_tasks

    settings.DATA_DIR = tmp_path
    api = person()
    bob = person("bob@example.test")
    book = api("POST", "/projects", json={"name": "Book"}).json()["id"]
    api("POST", "/goals", json={"period": "week", "seconds": 36000, "tag": "deep-work"})
    api("POST", "/goals", json={"period": "month", "seconds": 7200, "project_id": book})
    bob("POST", "/goals", json={"period": "week", "seconds": 60, "tag": "bobs-tag"})
    export_id = api("POST", "/me/export").json()["id"]
    run_queued_tasks()
    web = signed_in(api)
    download = web.get(f"/account/export/{export_id}/download/")
    assert download.status_code == 200
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        rows = json.loads(archive.read("tracking_goal.json"))
        names = archive.namelist()
        everything = b"".join(archive.read(name) for name in names)
    assert "tracking_goal.csv" in names
    assert sorted((r["period"], r["seconds"], r["tag"], r["project_id"]) for r in rows) == [
        ("month", 7200, "", book),
        ("week", 36000, "deep-work", None),
    ]
    assert b"bobs-tag" not in everything

    assert api("DELETE", "/me", json={"password": STRONG_PASSWORD}).status_code == 204
    assert list(Goal.objects.values_list("tag", flat=True)) == ["bobs-tag"]
