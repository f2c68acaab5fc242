"""Small factories for the statistics tests: people with entries, routines and check-ins.
Each person is an account with the defaults of every test person (tests/personas.py)."""

import itertools
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone
from tests.personas import bare_user

from routinie.accounts.models import User
from routinie.tracking.models import CheckIn, Project, Routine, TimeEntry

_numbers = itertools.count(1)


def person(
    *,
    name: str = "",
    zone: str = "UTC",
    hours: Sequence[float] = (),
    kinds: Sequence[str] = (),
    checkins: int = 0,
    days_ago: int = 1,
    projects: int = 0,
    staff: bool = False,
) -> User:
    """A person with one finished entry per value of `hours` (each `days_ago` days back, one
    day apart), a routine per schedule kind, and `checkins` daily check-ins of the first."""
    user = bare_user(
        name or f"Person {next(_numbers)}", timezone_name=zone, staff=staff, superuser=staff
    )
    now = timezone.now()
    for i, length in enumerate(hours):
        start = now - timedelta(days=days_ago + i, hours=1)
        TimeEntry.objects.create(user=user, start=start, end=start + timedelta(hours=length))
    for i in range(projects):
        Project.objects.create(user=user, name=f"Project {i}")
    routines = [_routine(user, kind) for kind in kinds]
    today = now.date()
    for i in range(checkins):
        CheckIn.objects.create(
            routine=routines[0], user=user, date=today - timedelta(days=days_ago + i), status="done"
        )
    return user


def _routine(user: User, kind: str) -> Routine:
    numbers = {"times_per_week": 3, "every_n_days": 2}
    return Routine.objects.create(
        user=user,
        name=kind,
        schedule_kind=kind,
        schedule_days=0b11111 if kind == "weekdays" else 0,
        schedule_number=numbers.get(kind, 0),
        starts_on=date(2026, 1, 1),
    )


def people(count: int, **kwargs: Any) -> list[User]:
    return [person(**kwargs) for _ in range(count)]


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)
