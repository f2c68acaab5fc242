"""The forgotten timer over a live server (issue 17): the threshold on GET/PATCH /me and the
account page, the last activity a write records, the banner on every page with "stop it at the
time I left", the confirm page the e-mail links to, and the idle dialog's form."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from routinie.accounts.models import User
from routinie.tracking.models import EntryBreak, ForgottenTimer, TimeEntry
from tests.e2e.forgotten_people import entry_end, person, timer_running_since

pytestmark = pytest.mark.django_db(transaction=True)

BANNER = 'data-testid="forgotten-banner"'


def test_me_shows_the_threshold_and_patch_changes_it_or_refuses_with_422(site):
    ana = person(site, "ana@example.test", signed_in=False)
    assert ana.api("GET", "/me").json()["forgotten_timer_hours"] == 8  # the default
    changed = ana.api("PATCH", "/me", json={"forgotten_timer_hours": 3})
    assert changed.status_code == 200
    assert changed.json()["forgotten_timer_hours"] == 3
    for bad in (-1, 169, 1000, 2.5, "4", True, [], {}):
        refused = ana.api("PATCH", "/me", json={"forgotten_timer_hours": bad, "name": "Other"})
        assert refused.status_code == 422, (bad, refused.text)
        assert refused.json()["errors"][0]["field"] == "forgotten_timer_hours", refused.text
    me = ana.api("GET", "/me").json()
    assert (me["forgotten_timer_hours"], me["name"]) == (3, "Ana Pop")  # nothing changed
    assert (
        ana.api("PATCH", "/me", json={"forgotten_timer_hours": 0}).json()["forgotten_timer_hours"]
        == 0
    )
    assert ana.api("PATCH", "/me", json={"forgotten_timer_hours": 168}).status_code == 200
    assert ana.api("PATCH", "/me", json={"name": "Ana P."}).json()["forgotten_timer_hours"] == 168


def test_the_account_page_sets_the_threshold_and_refuses_a_bad_one(site):
    ana = person(site, "ana@example.test")
    page = ana.web.get("/account/")
    assert 'name="forgotten_timer_hours"' in page.text
    assert 'value="8"' in page.text
    fields = {"name": "Ana Pop", "email": "ana@example.test", "timezone": "UTC", "week_start": "0"}
    saved = ana.web.submit(
        "/account/", "/account/profile/", {**fields, "forgotten_timer_hours": "12"}
    )
    assert saved.status_code == 302
    assert ana.user().forgotten_timer_hours == 12
    for bad in ("-2", "169", "2.5", "lots"):
        refused = ana.web.submit(
            "/account/", "/account/profile/", {**fields, "forgotten_timer_hours": bad}
        )
        assert refused.status_code == 422, bad
        assert 'role="alert"' in refused.text
    assert ana.user().forgotten_timer_hours == 12


def test_a_write_records_the_last_activity_at_most_once_a_minute_and_a_read_does_not(site):
    ana = person(site, "ana@example.test", signed_in=False)
    User.objects.filter(email=ana.email).update(last_active_at=None)
    before = timezone.now()
    assert ana.api("POST", "/projects", json={"name": "Garden"}).status_code == 201
    first = ana.user().last_active_at
    assert first is not None
    assert first >= before - timedelta(seconds=1)
    assert ana.api("POST", "/projects", json={"name": "Kitchen"}).status_code == 201
    assert ana.user().last_active_at == first  # within the minute: no second UPDATE
    older = timezone.now() - timedelta(minutes=5)
    User.objects.filter(email=ana.email).update(last_active_at=older)
    assert ana.api("GET", "/projects").status_code == 200
    assert ana.api("GET", "/me").status_code == 200
    assert ana.user().last_active_at == older  # reads are not activity
    assert ana.api("POST", "/projects", json={"name": ""}).status_code == 422
    assert ana.user().last_active_at == older  # nor refused writes
    assert ana.api("POST", "/projects", json={"name": "Hall"}).status_code == 201
    assert ana.user().last_active_at > older


def test_with_the_reminder_off_no_last_activity_is_kept(site):
    """The last activity serves only the forgotten timer (P01): turning it off clears it and no
    write records it; turning it on again is recorded."""
    ana = person(site, "ana@example.test", signed_in=False)
    assert ana.api("POST", "/projects", json={"name": "Garden"}).status_code == 201
    assert ana.user().last_active_at is not None
    assert ana.api("PATCH", "/me", json={"forgotten_timer_hours": 0}).status_code == 200
    assert ana.user().last_active_at is None
    assert ana.api("POST", "/projects", json={"name": "Kitchen"}).status_code == 201
    assert ana.user().last_active_at is None
    assert ana.api("PATCH", "/me", json={"forgotten_timer_hours": 4}).status_code == 200
    assert ana.user().last_active_at is not None  # turning it on is the first write it sees


def test_signing_in_is_not_activity_but_the_first_write_after_it_is(site):
    """Coming back to a forgotten timer starts with signing in: "the time I left" must stay the
    last thing done before, not become the sign-in."""
    ana = person(site, "ana@example.test", signed_in=False)
    entry_id = timer_running_since(ana, timedelta(hours=9), left_ago=timedelta(hours=7))
    left = ana.user().last_active_at
    assert ana.web.sign_in(ana.email).status_code == 302
    assert ana.user().last_active_at == left
    page = ana.web.get("/today/")
    assert f"Stop it at {timezone.localtime(left):%H:%M}, when I left" in page.text
    kept = ana.web.submit("/today/", f"/timer/forgotten/{entry_id}/keep/", {"next": "/today/"})
    assert kept.status_code == 302
    assert ana.user().last_active_at > left  # a signed-in page's write is activity


def test_the_banner_shows_on_every_page_past_the_threshold_and_stops_at_the_time_i_left(site):
    ana = person(site, "ana@example.test")
    entry_id = timer_running_since(ana, timedelta(hours=9), left_ago=timedelta(hours=7))
    left = ana.user().last_active_at
    assert left is not None
    shown = f"Stop it at {timezone.localtime(left):%H:%M}, when I left"
    for path in ("/today/", "/entries/", "/reports/", "/account/", "/routines/", "/support/"):
        page = ana.web.get(path)
        assert page.status_code == 200, path
        assert BANNER in page.text, path
        assert shown in page.text, path
    ana.api("PATCH", "/me", json={"forgotten_timer_hours": 10})  # now below the threshold
    assert BANNER not in ana.web.get("/today/").text
    ana.api("PATCH", "/me", json={"forgotten_timer_hours": 0})  # the reminder off
    assert BANNER not in ana.web.get("/today/").text
    ana.api("PATCH", "/me", json={"forgotten_timer_hours": 8})
    User.objects.filter(email=ana.email).update(last_active_at=left)  # those PATCHes were writes

    stopped = ana.web.submit(
        "/reports/", f"/timer/forgotten/{entry_id}/stop/", {"at": "left", "next": "/reports/"}
    )
    assert stopped.status_code == 302
    assert stopped.headers["location"] == "/reports/"
    assert entry_end(entry_id) == left
    assert ana.running() is None
    after = ana.web.get("/reports/")
    assert BANNER not in after.text
    assert f"The timer is stopped at {timezone.localtime(left):%H:%M}" in after.text
    # The stop was itself a write: the last activity is now, not the moment it stopped at.
    assert ana.user().last_active_at > left


def test_the_api_timer_says_when_it_is_forgotten_and_a_client_stops_it_there(site):
    ana = person(site, "ana@example.test", signed_in=False)
    assert ana.api("PATCH", "/me", json={"timezone": "Asia/Kolkata"}).status_code == 200
    entry_id = timer_running_since(ana, timedelta(hours=3))
    assert ana.api("GET", "/timer").json()["forgotten"] is None  # below the threshold
    User.objects.filter(email=ana.email).update(forgotten_timer_hours=2)
    assert ana.api("GET", "/timer").json()["forgotten"] == {
        "threshold_hours": 2,
        "left_at": None,  # nothing done since the start
    }
    left = timezone.now() - timedelta(hours=1)
    User.objects.filter(email=ana.email).update(last_active_at=left)
    forgotten = ana.api("GET", "/timer").json()["forgotten"]
    said = datetime.fromisoformat(forgotten["left_at"])
    assert said.utcoffset() == timedelta(hours=5, minutes=30)  # in the person's zone
    assert said == left.replace(microsecond=0)
    stopped = ana.api("PATCH", f"/time-entries/{entry_id}", json={"end": forgotten["left_at"]})
    assert stopped.status_code == 200, stopped.text
    assert entry_end(entry_id) == left.replace(microsecond=0)
    assert ana.api("GET", "/timer").json() == {"running": None, "forgotten": None}


def test_stopping_at_the_time_i_left_drops_the_breaks_after_it(site):
    ana = person(site, "ana@example.test")
    entry_id = timer_running_since(ana, timedelta(hours=9), left_ago=timedelta(hours=6))
    ana.api("POST", "/timer/pause")  # paused later than the person left: the break goes
    left = timezone.now() - timedelta(hours=6)
    User.objects.filter(email=ana.email).update(last_active_at=left)
    page = ana.web.submit("/today/", f"/timer/forgotten/{entry_id}/stop/", {"at": "left"})
    assert page.status_code == 302
    assert entry_end(entry_id) == left
    assert not EntryBreak.objects.filter(entry_id=entry_id).exists()


def test_without_activity_after_the_start_only_stop_now_is_offered(site):
    ana = person(site, "ana@example.test")
    entry_id = timer_running_since(ana, timedelta(hours=9))  # last activity before the start
    page = ana.web.get("/today/")
    assert BANNER in page.text
    assert "when I left" not in page.text
    assert "Nothing you did since it started is recorded." in page.text
    refused = ana.web.submit("/today/", f"/timer/forgotten/{entry_id}/stop/", {"at": "left"})
    assert refused.status_code == 409
    assert ana.running() is not None  # nothing changed
    before = timezone.now()
    stopped = ana.web.submit("/today/", f"/timer/forgotten/{entry_id}/stop/", {"at": "now"})
    assert stopped.status_code == 302
    end = entry_end(entry_id)
    assert end is not None
    assert end >= before - timedelta(seconds=1)


def test_keep_it_running_hides_the_banner_for_this_entry_only(site):
    ana = person(site, "ana@example.test")
    entry_id = timer_running_since(ana, timedelta(hours=9), left_ago=timedelta(hours=8))
    kept = ana.web.submit("/today/", f"/timer/forgotten/{entry_id}/keep/", {"next": "/entries/"})
    assert kept.status_code == 302
    assert kept.headers["location"] == "/entries/"
    assert ana.running() is not None
    assert BANNER not in ana.web.get("/today/").text
    assert ForgottenTimer.objects.get(entry_id=entry_id).kept_at is not None
    ana.api("POST", "/timer/stop")
    again = timer_running_since(ana, timedelta(hours=9), left_ago=timedelta(hours=8))  # a new one
    assert BANNER in ana.web.get("/today/").text
    elsewhere = ana.web.submit("/today/", f"/timer/forgotten/{again}/keep/", {"next": "//x.test/"})
    assert elsewhere.headers["location"] == "/today/"  # never another site


def test_the_confirm_page_changes_nothing_and_bad_requests_are_refused(site):
    ana = person(site, "ana@example.test")
    ben = person(site, "ben@example.test", name="Ben Rus")
    entry_id = timer_running_since(ana, timedelta(hours=9), left_ago=timedelta(hours=8))
    page = ana.web.get(f"/timer/forgotten/{entry_id}/")
    assert page.status_code == 200
    assert "Stop it now" in page.text
    assert "when I left" in page.text
    assert BANNER not in page.text  # the page says it already
    assert ana.running() is not None
    assert not ForgottenTimer.objects.exists()
    anonymous = site()
    assert anonymous.get(f"/timer/forgotten/{entry_id}/").status_code == 302  # sign in first
    assert ben.web.get(f"/timer/forgotten/{entry_id}/").status_code == 404  # not Ben's
    token = ben.web.csrf_from("/today/")
    for path in ("stop/", "keep/"):
        answer = ben.web.http.post(
            f"/timer/forgotten/{entry_id}/{path}", data={"csrfmiddlewaretoken": token, "at": "now"}
        )
        assert answer.status_code == 404
    bad = ana.web.submit("/today/", f"/timer/forgotten/{entry_id}/stop/", {"at": "tomorrow"})
    assert bad.status_code == 422
    assert ana.web.get(f"/timer/forgotten/{entry_id}/stop/").status_code == 405  # no GET
    assert ana.running() is not None
    ana.api("POST", "/timer/stop")
    again = ana.web.submit("/today/", f"/timer/forgotten/{entry_id}/stop/", {"at": "now"})
    assert again.status_code == 409
    assert "is not running any more" in again.text
    assert ana.web.submit("/today/", f"/timer/forgotten/{entry_id}/keep/", {}).status_code == 409
    shown = ana.web.get(f"/timer/forgotten/{entry_id}/")
    assert 'data-testid="forgotten-stopped"' in shown.text


def test_idle_time_is_discarded_as_a_break_or_by_stopping_at_its_start(site):
    ana = person(site, "ana@example.test")
    entry_id = timer_running_since(ana, timedelta(hours=1), left_ago=timedelta(minutes=30))
    page = ana.web.get("/today/")
    assert 'data-testid="idle-dialog"' in page.text
    assert 'data-idle-minutes="10"' in page.text
    form = {"entry_id": entry_id, "away_seconds": "1200", "back_seconds_ago": "60"}
    done = ana.web.submit("/today/", "/timer/idle/", {**form, "how": "break"})
    assert done.status_code == 302
    (idle,) = EntryBreak.objects.filter(entry_id=entry_id)
    assert idle.end is not None
    assert (idle.end - idle.start) == timedelta(seconds=1200)
    assert abs((timezone.now() - timedelta(seconds=60) - idle.end).total_seconds()) < 30
    assert ana.running() is not None
    bad_values = [
        {"away_seconds": "-5"},
        {"away_seconds": "30"},  # under a minute
        {"away_seconds": "9999999"},
        {"away_seconds": "ten"},
        {"back_seconds_ago": "-1"},
        {"entry_id": "not-an-id"},
        {"how": "delete"},
        # as a break overlapping the one above
        {"away_seconds": "600", "back_seconds_ago": "300", "how": "break"},
    ]
    for bad in bad_values:
        refused = ana.web.submit("/today/", "/timer/idle/", {**form, "how": "stop", **bad})
        assert refused.status_code == 422, bad
        assert 'data-testid="idle-error"' in refused.text
    assert ana.running() is not None
    assert EntryBreak.objects.count() == 1
    stop = ana.web.submit(
        "/today/",
        "/timer/idle/",
        {**form, "away_seconds": "300", "back_seconds_ago": "0", "how": "stop"},
    )
    assert stop.status_code == 302
    end = entry_end(entry_id)
    assert end is not None
    assert abs((timezone.now() - timedelta(seconds=300) - end).total_seconds()) < 30
    assert ana.web.submit("/today/", "/timer/idle/", {**form, "how": "break"}).status_code == 409
    assert 'data-testid="idle-dialog"' not in ana.web.get("/today/").text  # nothing runs


def test_a_paused_timer_has_no_idle_detection(site):
    ana = person(site, "ana@example.test")
    entry_id = timer_running_since(ana, timedelta(hours=1), left_ago=timedelta(minutes=30))
    ana.api("POST", "/timer/pause")
    assert 'data-testid="idle-dialog"' not in ana.web.get("/today/").text
    form = {"entry_id": entry_id, "away_seconds": "600", "back_seconds_ago": "0", "how": "break"}
    assert ana.web.submit("/today/", "/timer/idle/", form).status_code == 409
    assert TimeEntry.objects.get(pk=entry_id).end is None


def test_the_export_holds_the_new_data_and_erasure_removes_it(site, settings, tmp_path):
    import io
    import json
    import zipfile

    from tests.e2e.site_client import STRONG_PASSWORD
    from tests.plugin import run_queued_tasks

    settings.DATA_DIR = tmp_path
    ana = person(site, "ana@example.test")
    ana.api("PATCH", "/me", json={"forgotten_timer_hours": 5})
    entry_id = timer_running_since(ana, timedelta(hours=9), left_ago=timedelta(hours=7))
    assert ana.web.submit("/today/", f"/timer/forgotten/{entry_id}/keep/", {}).status_code == 302
    export_id = ana.api("POST", "/me/export").json()["id"]
    run_queued_tasks()
    status = ana.api("GET", f"/me/export/{export_id}").json()
    download = ana.web.get(status["download_url"])
    assert download.status_code == 200
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        (user,) = json.loads(archive.read("accounts_user.json"))
        (reminder,) = json.loads(archive.read("tracking_forgottentimer.json"))
    assert user["forgotten_timer_hours"] == 5
    assert user["last_active_at"]  # the keep-running above was a write
    assert reminder["entry_id"] == entry_id
    assert reminder["kept_at"]
    erased = ana.api("DELETE", "/me", json={"password": STRONG_PASSWORD})
    assert erased.status_code == 204
    assert not ForgottenTimer.objects.exists()
    assert not User.objects.filter(email=ana.email).exists()
