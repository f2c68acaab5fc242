"""The calendar feed over a live server (black-box): a secret address per person serving RFC
5545 text without sign-in or cookie; made again or deleted, the old address answers 404; due
days in the person's zone; time entries only when asked; throttled; the account page; in the
data export without its token and gone with the account. No iCalendar parser is installed in
the venv, so the RFC's rules are checked directly."""

import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest

from routinie.tracking.models import CalendarFeed
from tests.e2e.site_client import STRONG_PASSWORD, api_sign_up, api_token
from tests.plugin import run_queued_tasks

pytestmark = pytest.mark.django_db(transaction=True)

ZONE = "Pacific/Kiritimati"  # UTC+14: its today is often not UTC's


def parse_ical(body: bytes) -> tuple[dict[str, str], list[dict[str, str]]]:
    """(calendar properties, events) of an iCalendar text, checking the RFC's line rules."""
    text = body.decode("utf-8")
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    assert all("\n" not in line and "\r" not in line for line in physical), "CRLF only"
    assert all(len(line.encode()) <= 75 for line in physical), "folded at 75 octets"
    lines: list[str] = []
    for line in physical:  # unfold: a line starting with a space continues the one before
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-1] == "END:VCALENDAR"
    calendar: dict[str, str] = {}
    events: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in lines[1:-1]:
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            events.append(current)
            current = None
        elif current is not None:
            current[name] = value
        else:
            calendar[name] = value
    return calendar, events


def unescape(value: str) -> str:
    out, chars = "", iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars)
            out += "\n" if following in "nN" else following
        else:
            assert char not in ",;", "commas and semicolons are escaped in TEXT"
            out += char
    return out


@pytest.fixture
def person(site):
    web = site()
    assert api_sign_up(web, "Ana Pop", "ana@example.test").status_code == 201
    token = api_token(web, "ana@example.test")
    assert web.api("PATCH", "/me", token=token, json={"timezone": ZONE}).status_code == 200

    def call(method: str, path: str, **kwargs: Any):
        return web.api(method, path, token=token, **kwargs)

    call.web = web  # type: ignore[attr-defined]
    return call


def read_feed(site, url: str):
    anonymous = site()
    path = urlsplit(url).path
    return anonymous.get(path)


def test_the_feed_serves_due_routines_as_all_day_events_without_sign_in(person, site):
    daily = person(
        "POST", "/routines", json={"name": "Stretch; 5 min, slowly", "schedule": {"kind": "daily"}}
    )
    weekdays = person(
        "POST",
        "/routines",
        json={"name": "Gym " + "é" * 60, "schedule": {"kind": "weekdays", "days": [0, 3]}},
    )
    weekly = person(
        "POST",
        "/routines",
        json={"name": "Run", "schedule": {"kind": "times_per_week", "count": 3}},
    )
    archived = person(
        "POST",
        "/routines",
        json={"name": "Old", "schedule": {"kind": "daily"}, "archived": True},
    )
    assert {r.status_code for r in (daily, weekdays, weekly, archived)} == {201}

    made = person("POST", "/me/calendar-feed")
    assert made.status_code == 201, made.text
    url = made.json()["url"]
    assert made.json()["include_entries"] is False
    assert url.endswith(".ics")
    assert "/calendar/" in url
    token = urlsplit(url).path.split("/")[-1].removesuffix(".ics")
    assert len(token) >= 40
    assert not CalendarFeed.objects.filter(token_hash__contains=token).exists()

    answer = read_feed(site, url)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "set-cookie" not in answer.headers
    assert "private" in answer.headers["cache-control"]
    calendar, events = parse_ical(answer.content)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert all({"UID", "DTSTAMP", "DTSTART;VALUE=DATE", "SUMMARY"} <= set(e) for e in events)
    assert len({e["UID"] for e in events}) == len(events), "one UID per event"

    today = datetime.now(ZoneInfo(ZONE)).date()
    by_name: dict[str, list[dict[str, str]]] = {}
    for event in events:
        by_name.setdefault(unescape(event["SUMMARY"]), []).append(event)
    assert "Old" not in by_name
    stretch = by_name["Stretch; 5 min, slowly"]
    days = [date.fromisoformat(e["DTSTART;VALUE=DATE"]) for e in stretch]
    assert days == [today + timedelta(days=n) for n in range(14)], "the person's days"
    assert all(
        date.fromisoformat(e["DTEND;VALUE=DATE"]) - date.fromisoformat(e["DTSTART;VALUE=DATE"])
        == timedelta(days=1)
        for e in stretch
    )
    gym = by_name["Gym " + "é" * 60]
    assert {date.fromisoformat(e["DTSTART;VALUE=DATE"]).weekday() for e in gym} == {0, 3}
    assert len(gym) == 4
    runs = by_name["Run: 3 times this week"]
    assert all(date.fromisoformat(e["DTSTART;VALUE=DATE"]).weekday() == 0 for e in runs)

    again = parse_ical(read_feed(site, url).content)[1]
    assert [e["UID"] for e in again] == [e["UID"] for e in events], "stable UIDs"


def test_time_entries_only_when_asked_and_escaped(person, site):
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    entry = person(
        "POST",
        "/time-entries",
        json={
            "start": start.isoformat(),
            "end": (start + timedelta(minutes=90)).isoformat(),
            "description": "Write, edit; repeat\\done",
        },
    )
    assert entry.status_code == 201, entry.text
    old = start - timedelta(days=40)
    person(
        "POST",
        "/time-entries",
        json={"start": old.isoformat(), "end": (old + timedelta(hours=1)).isoformat()},
    )
    without = person("POST", "/me/calendar-feed").json()["url"]
    assert not [e for e in parse_ical(read_feed(site, without).content)[1] if "DTSTART" in e]

    url = person("POST", "/me/calendar-feed", json={"include_entries": True}).json()["url"]
    events = [e for e in parse_ical(read_feed(site, url).content)[1] if "DTSTART" in e]
    assert len(events) == 1, "the last 30 days only"
    assert unescape(events[0]["SUMMARY"]) == "Write, edit; repeat\\done"
    assert events[0]["DTSTART"] == f"{start:%Y%m%dT%H%M%SZ}"
    assert events[0]["DTEND"] == f"{start + timedelta(minutes=90):%Y%m%dT%H%M%SZ}"


def test_making_it_again_or_deleting_it_revokes_the_old_address(person, site):
    first = person("POST", "/me/calendar-feed").json()["url"]
    second = person("POST", "/me/calendar-feed").json()["url"]
    assert first != second
    assert read_feed(site, first).status_code == 404
    assert read_feed(site, second).status_code == 200
    assert CalendarFeed.objects.count() == 1
    assert person("DELETE", "/me/calendar-feed").status_code == 204
    assert read_feed(site, second).status_code == 404
    assert person("DELETE", "/me/calendar-feed").status_code == 204
    assert site().get("/calendar/" + "x" * 500 + ".ics").status_code == 404
    bad = person("POST", "/me/calendar-feed", json={"include_entries": "yes"})
    assert bad.status_code == 422
    assert not CalendarFeed.objects.exists()


def test_reading_addresses_is_throttled_per_client(person, site, settings):
    settings.CALENDAR_FEED_THROTTLE_PER_CLIENT = 3
    url = person("POST", "/me/calendar-feed").json()["url"]
    answers = [read_feed(site, url).status_code for _ in range(3)]
    assert answers == [200, 200, 200]
    refused = read_feed(site, url)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    assert site().get("/calendar/guess.ics").status_code == 429, "guesses count too"


def test_the_account_page_makes_shows_once_and_revokes_the_address(site):
    web = site()
    assert web.sign_up("Ana Pop", "ana@example.test").status_code == 302
    page = web.get("/account/")
    assert "You have no calendar address." in page.text
    made = web.submit("/account/", "/account/calendar-feed/", {"include_entries": "on"})
    assert made.status_code == 200
    start = made.text.index('<p class="token-once">') + len('<p class="token-once">')
    url = made.text[start : made.text.index("</p>", start)]
    assert read_feed(site, url).status_code == 200
    shown = web.get("/account/")
    assert "You have a calendar address since" in shown.text
    assert "with your time entries" in shown.text
    assert url not in shown.text, "shown once"
    revoked = web.submit("/account/", "/account/calendar-feed/revoke/", {})
    assert revoked.status_code == 302
    assert read_feed(site, url).status_code == 404
    assert "You have no calendar address." in web.get("/account/").text


def test_the_data_export_has_the_feed_without_its_token_and_erasure_removes_it(
    person, site, settings, tmp_path: Path
):
    settings.DATA_DIR = tmp_path
    url = person("POST", "/me/calendar-feed", json={"include_entries": True}).json()["url"]
    token = urlsplit(url).path.split("/")[-1].removesuffix(".ics")
    export_id = person("POST", "/me/export").json()["id"]
    run_queued_tasks()
    web = person.web  # type: ignore[attr-defined]
    assert web.sign_in("ana@example.test").status_code == 302
    download = web.get(f"/account/export/{export_id}/download/")
    assert download.status_code == 200
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        feeds = json.loads(archive.read("tracking_calendarfeed.json"))
        everything = b"".join(archive.read(name) for name in archive.namelist())
    assert len(feeds) == 1
    assert feeds[0]["include_entries"] is True
    assert feeds[0]["created_at"]
    assert "token_hash" not in feeds[0]
    assert token.encode() not in everything
    assert CalendarFeed.objects.get().token_hash.encode() not in everything

    gone = person("DELETE", "/me", json={"password": STRONG_PASSWORD})
    assert gone.status_code == 204
    assert not CalendarFeed.objects.exists()
    assert read_feed(site, url).status_code == 404
