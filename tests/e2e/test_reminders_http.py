"""Routine reminders by e-mail, black-box: the API's `reminder_time` and digest setting over a
live server (bad input refused, nothing changed), the e-mails sent by the real task worker to a
real SMTP server (once per routine per local day, only when due and not checked in, the digest
folding the routines' own reminders), the signed one-click unsubscribe without sign-in, and the
data export and erasure.

The worker's clock: the job is queued with `now` (an ISO instant) as an operator could, so a
test picks the minute it runs at instead of waiting for it."""

import io
import json
import re
import zipfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.core import signing

from routinie.tracking.models import ReminderDigest, Routine, SentReminder
from routinie.tracking.reminders.tasks import send_reminders
from tests.e2e.site_client import STRONG_PASSWORD, api_sign_up, api_token
from tests.plugin import run_queued_tasks

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "ana@example.test"
CONFIRM_LINK = re.compile(r"/confirm-email/[^/\s]+/")


def zone_before_evening() -> str:
    """A zone whose clock now reads before 20:00, so a 22:00 reminder is still ahead today."""
    for name in ("UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kathmandu"):
        if datetime.now(ZoneInfo(name)).hour < 20:
            return name
    raise AssertionError("one of these zones is always before 20:00")


def sign_up(site, zone: str, smtp_sink=None):
    """A person in `zone`, their address confirmed through the link e-mailed (when a sink is
    given: reminders go to confirmed addresses only)."""
    web = site()
    assert api_sign_up(web, "Ana Pop", EMAIL).status_code == 201
    if smtp_sink is not None:
        run_queued_tasks()
        link = CONFIRM_LINK.search(smtp_sink.wait_for(1)[0].text())
        assert link, "the confirmation e-mail has its link"
        assert web.get(link.group(0)).status_code in (200, 302)
        smtp_sink.received.clear()
    token = api_token(web, EMAIL)
    assert web.api("PATCH", "/me", token=token, json={"timezone": zone}).status_code == 200

    def call(method: str, path: str, **kwargs: Any):
        return web.api(method, path, token=token, **kwargs)

    call.web = web  # type: ignore[attr-defined]
    return call


def new_routine(person, name: str, schedule: dict[str, Any] | None = None, **fields: Any):
    answer = person(
        "POST", "/routines", json={"name": name, "schedule": schedule or {"kind": "daily"}}
    )
    assert answer.status_code == 201, answer.text
    routine_id = answer.json()["id"]
    if fields:
        changed = person("PATCH", f"/routines/{routine_id}", json=fields)
        assert changed.status_code == 200, changed.text
    return routine_id


def run_worker_at(moment: datetime) -> None:
    """The reminder job, run by the real worker command with its clock at `moment`."""
    send_reminders.enqueue(now=moment.astimezone(UTC).isoformat())
    run_queued_tasks()


def local(day: date, wall: time, zone: str) -> datetime:
    return datetime.combine(day, wall, tzinfo=ZoneInfo(zone))


def test_patch_takes_a_local_time_or_null_and_refuses_anything_else(site):
    person = sign_up(site, "Europe/Berlin")
    routine_id = new_routine(person, "Stretch")
    path = f"/routines/{routine_id}"
    assert person("GET", path).json()["reminder_time"] is None

    set_ = person("PATCH", path, json={"reminder_time": "07:30"})
    assert set_.status_code == 200
    assert set_.json()["reminder_time"] == "07:30"
    assert person("GET", path).json()["reminder_time"] == "07:30"
    assert person("GET", "/routines").json()["items"][0]["reminder_time"] == "07:30"

    for bad in ("25:00", "7.30", 123, "", "07:30:00", ["07:30"]):
        refused = person("PATCH", path, json={"reminder_time": bad, "name": "Changed"})
        assert refused.status_code == 422, (bad, refused.text)
        body = refused.json()
        assert body["detail"]
        assert any("reminder_time" in error["field"] for error in body["errors"]), body
        shown = person("GET", path).json()
        assert (shown["reminder_time"], shown["name"]) == ("07:30", "Stretch"), bad

    cleared = person("PATCH", path, json={"reminder_time": None})
    assert cleared.status_code == 200
    assert cleared.json()["reminder_time"] is None
    assert Routine.objects.get(pk=routine_id).reminder_next_at is None


def test_the_digest_setting_takes_a_local_time_or_null(site):
    person = sign_up(site, "Europe/Berlin")
    assert person("GET", "/me/reminders").json() == {"digest_time": None}
    assert person("PATCH", "/me/reminders", json={"digest_time": "21:15"}).json() == {
        "digest_time": "21:15"
    }
    for bad in ("24:00", "9pm", 2115, {"h": 21}):
        refused = person("PATCH", "/me/reminders", json={"digest_time": bad})
        assert refused.status_code == 422, bad
        assert person("GET", "/me/reminders").json() == {"digest_time": "21:15"}
    unknown = person("PATCH", "/me/reminders", json={"digest": "21:15"})
    assert unknown.status_code == 422
    assert person("PATCH", "/me/reminders", json={"digest_time": None}).json() == {
        "digest_time": None
    }
    assert not ReminderDigest.objects.exists()


def test_the_worker_sends_one_reminder_on_the_local_day_only_when_due(site, smtp_sink):
    zone = "Asia/Kathmandu"  # +05:45
    person = sign_up(site, zone, smtp_sink)
    now_there = datetime.now(ZoneInfo(zone))
    day = now_there.date() if now_there.time() < time(7, 0) else now_there.date() + timedelta(1)
    other_days = [d for d in range(7) if d != day.weekday()]
    stretch = new_routine(person, "Stretch", reminder_time="07:30")
    new_routine(
        person, "Gym", {"kind": "weekdays", "days": other_days}, reminder_time="07:30"
    )  # not due that day
    new_routine(person, "Read", reminder_time="07:45")  # not yet at 07:31

    run_worker_at(local(day, time(7, 31), zone))
    run_worker_at(local(day, time(7, 31), zone))  # the job run twice: nothing more
    assert [m["Subject"] for m in smtp_sink.received] == ["Reminder: Stretch"]
    message = smtp_sink.received[0]
    assert message.rcpt_tos == [EMAIL]
    assert f"{day:%A} {day.day} {day:%B %Y}" in message.text()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].strip().startswith("<http")
    assert SentReminder.objects.filter(routine_id=stretch, day=day).count() == 1

    run_worker_at(local(day, time(7, 50), zone))  # Read's time came
    assert [m["Subject"] for m in smtp_sink.received] == ["Reminder: Stretch", "Reminder: Read"]
    run_worker_at(local(day + timedelta(1), time(7, 40), zone))  # the next day, Gym's day too
    subjects = sorted(m["Subject"] for m in smtp_sink.received[2:])
    assert subjects == ["Reminder: Gym", "Reminder: Stretch"]  # Read's 07:45 has not come yet


def test_no_reminder_for_a_routine_checked_in_today(site, smtp_sink):
    zone = zone_before_evening()
    person = sign_up(site, zone, smtp_sink)
    today = datetime.now(ZoneInfo(zone)).date()
    done = new_routine(person, "Water", reminder_time="22:00")
    new_routine(person, "Walk", reminder_time="22:00")
    checked = person(
        "POST", f"/routines/{done}/checkins", json={"date": today.isoformat(), "status": "done"}
    )
    assert checked.status_code == 201, checked.text

    run_worker_at(local(today, time(22, 1), zone))
    assert [m["Subject"] for m in smtp_sink.received] == ["Reminder: Walk"]


def test_an_unconfirmed_address_gets_no_reminder(site, smtp_sink):
    zone = zone_before_evening()
    person = sign_up(site, zone)  # the confirmation link is never followed
    today = datetime.now(ZoneInfo(zone)).date()
    new_routine(person, "Walk", reminder_time="22:00")
    assert person("PATCH", "/me/reminders", json={"digest_time": "22:00"}).status_code == 200
    run_worker_at(local(today, time(22, 1), zone))
    assert [m["Subject"] for m in smtp_sink.received if "Confirm" not in m["Subject"]] == []
    assert not SentReminder.objects.exists()


def test_a_reminder_too_late_after_a_worker_outage_is_skipped_not_sent(site, smtp_sink):
    zone = zone_before_evening()
    person = sign_up(site, zone, smtp_sink)
    today = datetime.now(ZoneInfo(zone)).date()
    new_routine(person, "Walk", reminder_time="22:00")
    run_worker_at(local(today + timedelta(1), time(3, 30), zone))  # 5 h 30 late
    assert smtp_sink.received == []
    assert Routine.objects.get().reminder_next_at == local(today + timedelta(1), time(22), zone)


def test_the_digest_lists_what_is_open_and_folds_the_routines_own_reminders(site, smtp_sink):
    zone = zone_before_evening()
    person = sign_up(site, zone, smtp_sink)
    today = datetime.now(ZoneInfo(zone)).date()
    not_today = [d for d in range(7) if d != today.weekday()]
    checked = new_routine(person, "Water", reminder_time="21:00")
    new_routine(person, "Walk", reminder_time="21:00")
    new_routine(person, "Gym", {"kind": "weekdays", "days": not_today})
    new_routine(person, "Read")
    person("POST", f"/routines/{checked}/checkins", json={"date": f"{today}", "status": "done"})
    assert person("PATCH", "/me/reminders", json={"digest_time": "22:00"}).status_code == 200

    run_worker_at(local(today, time(22, 5), zone))
    run_worker_at(local(today, time(22, 6), zone))
    assert len(smtp_sink.received) == 1
    digest = smtp_sink.received[0]
    assert digest["Subject"] == "Your routines for today: 2 to do"
    lines = [line for line in digest.text().splitlines() if line.startswith("- ")]
    assert lines == ["- Walk", "- Read"]
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def unsubscribe_path(message) -> str:
    url = message["List-Unsubscribe"].strip().strip("<>")
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_one_click_unsubscribe_without_sign_in_and_get_changes_nothing(site, smtp_sink):
    zone = zone_before_evening()
    person = sign_up(site, zone, smtp_sink)
    today = datetime.now(ZoneInfo(zone)).date()
    walk = new_routine(person, "Walk", reminder_time="22:00")
    read = new_routine(person, "Read", reminder_time="22:00")
    run_worker_at(local(today, time(22, 1), zone))
    by_subject = {m["Subject"]: m for m in smtp_sink.wait_for(2)}
    path = unsubscribe_path(by_subject["Reminder: Walk"])
    anonymous = site()

    looked = anonymous.get(path)  # a link scanner, or the person reading first
    assert looked.status_code == 200
    assert "Stop the e-mail reminders for “Walk”?" in looked.text
    assert person("GET", f"/routines/{walk}").json()["reminder_time"] == "22:00"

    clicked = anonymous.http.post(
        path,
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert clicked.status_code == 200
    assert "no more reminders for “Walk”" in clicked.text
    assert person("GET", f"/routines/{walk}").json()["reminder_time"] is None
    assert person("GET", f"/routines/{read}").json()["reminder_time"] == "22:00"

    text = by_subject["Reminder: Read"].text()
    every = next(line for line in text.splitlines() if line.startswith("Stop every reminder: "))
    assert person("PATCH", "/me/reminders", json={"digest_time": "06:00"}).status_code == 200
    all_path = unsubscribe_path({"List-Unsubscribe": every.split(": ", 1)[1]})
    assert anonymous.http.post(all_path).status_code == 200
    assert person("GET", f"/routines/{read}").json()["reminder_time"] is None
    assert person("GET", "/me/reminders").json() == {"digest_time": None}


def test_a_tampered_or_foreign_link_is_refused_and_changes_nothing(site, smtp_sink):
    zone = zone_before_evening()
    person = sign_up(site, zone, smtp_sink)
    today = datetime.now(ZoneInfo(zone)).date()
    walk = new_routine(person, "Walk", reminder_time="22:00")
    run_worker_at(local(today, time(22, 1), zone))
    path = unsubscribe_path(smtp_sink.wait_for(1)[0])
    token = parse_qs(urlsplit(path).query)["token"][0]
    payload = signing.loads(token, salt="routinie.tracking.reminders.unsubscribe")
    anonymous = site()

    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    other_salt = signing.dumps(payload, salt="routinie.accounts.something-else")
    unsigned = signing.b64_encode(json.dumps(payload).encode()).decode()
    for bad in (tampered, other_salt, unsigned, "", "x" * 5000):
        for method in ("GET", "POST"):
            answer = anonymous.http.request(
                method, "/reminders/unsubscribe/", params={"token": bad}
            )
            assert answer.status_code == 400, (bad[:20], method)
            assert "not valid" in answer.text
    assert anonymous.http.post("/reminders/unsubscribe/").status_code == 400
    assert person("GET", f"/routines/{walk}").json()["reminder_time"] == "22:00"

    assert person("DELETE", f"/routines/{walk}").status_code == 204
    assert anonymous.http.post(path).status_code == 404  # signed, but the routine is gone


@pytest.mark.promise("P18")
def test_reminders_are_in_the_export_and_gone_with_the_account(
    site, smtp_sink, settings, tmp_path: Path
):
    settings.DATA_DIR = tmp_path
    zone = zone_before_evening()
    person = sign_up(site, zone, smtp_sink)
    today = datetime.now(ZoneInfo(zone)).date()
    new_routine(person, "Walk", reminder_time="22:00")
    run_worker_at(local(today, time(22, 1), zone))
    smtp_sink.wait_for(1)
    assert person("PATCH", "/me/reminders", json={"digest_time": "06:15"}).status_code == 200

    export_id = person("POST", "/me/export").json()["id"]
    run_queued_tasks()
    web = person.web  # type: ignore[attr-defined]
    assert web.sign_in(EMAIL).status_code == 302
    download = web.get(f"/account/export/{export_id}/download/")
    assert download.status_code == 200
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        routines = json.loads(archive.read("tracking_routine.json"))
        digests = json.loads(archive.read("tracking_reminderdigest.json"))
        sent = json.loads(archive.read("tracking_sentreminder.json"))
    assert routines[0]["reminder_time"].startswith("22:00")
    assert routines[0]["reminder_next_at"]
    assert [d["time"][:5] for d in digests] == ["06:15"]
    assert [s["day"] for s in sent] == [today.isoformat()]

    assert person("DELETE", "/me", json={"password": STRONG_PASSWORD}).status_code == 204
    assert not SentReminder.objects.exists()
    assert not ReminderDigest.objects.exists()
    assert not Routine.objects.exists()
