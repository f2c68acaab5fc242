"""People with a running timer for the forgotten-timer tests (HTTP, SMTP and Chromium): made and
driven over the live server; only the past is arranged in the database (a test cannot wait
hours, nor make "the last thing I did" happen yesterday)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from routinie.accounts.models import User
from routinie.tracking.models import TimeEntry
from tests.e2e.site_client import Site, api_sign_up, api_token


@dataclass
class Person:
    web: Site
    token: str
    email: str

    def api(self, method: str, path: str, **kwargs: Any) -> Any:
        return self.web.api(method, path, token=self.token, **kwargs)

    def user(self) -> User:
        return User.objects.get(email=self.email)

    def running(self) -> dict[str, Any] | None:
        running: dict[str, Any] | None = self.api("GET", "/timer").json()["running"]
        return running


def person(site: Any, email: str, *, signed_in: bool = True, name: str = "Ana Pop") -> Person:
    web = site()
    assert api_sign_up(web, name, email).status_code == 201
    token = api_token(web, email)
    if signed_in:
        assert web.sign_in(email).status_code == 302
    return Person(web, token, email)


def timer_running_since(
    who: Person, ago: timedelta, *, left_ago: timedelta | None = None, description: str = "Report"
) -> str:
    """Start a timer over the API and move its start `ago` back; `left_ago`: the person's last
    activity then (else none since before the start). Returns the entry's id."""
    started = who.api("POST", "/timer/start", json={"description": description})
    assert started.status_code == 201, started.text
    entry_id = str(started.json()["id"])
    start = timezone.now() - ago
    moved = who.api("PATCH", f"/time-entries/{entry_id}", json={"start": start.isoformat()})
    assert moved.status_code == 200, moved.text
    last: datetime | None = timezone.now() - left_ago if left_ago else start - timedelta(hours=1)
    User.objects.filter(email=who.email).update(last_active_at=last)
    return entry_id


def entry_end(entry_id: str) -> datetime | None:
    end: datetime | None = TimeEntry.objects.get(pk=entry_id).end
    return end
