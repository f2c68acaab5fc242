"""What the week view and the timesheet show: their context, built from one read of the
week's entries (and one of the projects)."""

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest
from django.utils import timezone

from routinie.accounts.auth import signed_in_user
from routinie.accounts.models import User
from routinie.core.errors import NotFound
from routinie.tracking.calendar import today_for, zone_of
from routinie.tracking.entries.durations import duration_text
from routinie.tracking.entries.forms import ManualForm
from routinie.tracking.entries.selectors import projects_of
from routinie.tracking.models import Project
from routinie.tracking.ownership import owned
from routinie.tracking.week.forms import cell_name
from routinie.tracking.week.presenters import (
    SLOT_MINUTES,
    parse_week,
    seconds_by_project_and_day,
    week_days,
)
from routinie.tracking.week.selectors import entries_touching

WORK_STARTS = 8  # the hour the calendar opens at


def week_of_request(request: HttpRequest, user: User, text: str | None = None) -> date:
    """The first day of the week `?week=` names (this week when absent or unreadable)."""
    typed = text if text is not None else request.GET.get("week")
    first, refused = parse_week(typed, today_for(user), user.week_start)
    if refused:
        messages.error(
            request, "That week could not be read (write it as 2026-11-23); here is this week."
        )
    return first


def range_label(first: date) -> str:
    last = first + timedelta(days=6)
    if first.month == last.month:
        return f"{first.day}\u2013{last.day} {last:%B %Y}"
    return f"{first.day} {first:%B} \u2013 {last.day} {last:%B %Y}"


def _shown_day(request: HttpRequest, first: date, today: date) -> date:
    """The one day a phone shows: `?day=` when in the week, else today or the first day."""
    days = [first + timedelta(days=i) for i in range(7)]
    try:
        asked = date.fromisoformat(request.GET.get("day") or request.POST.get("day", ""))
    except ValueError:
        asked = None
    if asked in days:
        return asked
    return today if today in days else first


def week_context(
    request: HttpRequest, *, add_form: ManualForm | None = None, first: date | None = None
) -> dict[str, Any]:
    user = signed_in_user(request)
    zone, now, today = zone_of(user), timezone.now(), today_for(user)
    if first is None:
        first = week_of_request(request, user)
    days = week_days(entries_touching(user, first, first + timedelta(days=6)), first, zone, now)
    shown = _shown_day(request, first, today)
    return {
        "first": first,
        "label": range_label(first),
        "days": days,
        "today": today,
        "shown": shown,
        "previous_day": shown - timedelta(days=1),
        "next_day": shown + timedelta(days=1),
        "previous_week": first - timedelta(days=7),
        "next_week": first + timedelta(days=7),
        "hours": [(hour, f"{hour:02d}:00") for hour in range(24)],
        "open_at": WORK_STARTS * 60 // SLOT_MINUTES,
        "week_seconds": sum(day.seconds for day in days),
        "add_form": add_form
        or ManualForm(user=user, initial={"day": shown, "start_time": "09:00"}),
    }


def parse_rows(user: User, values: list[str]) -> list[UUID | None]:
    """The timesheet rows a request names ("none": no project); another person's project, or
    no project at all, is not found (404)."""
    rows: list[UUID | None] = []
    for value in values:
        if value == "none":
            row = None
        else:
            try:
                row = UUID(value)
            except ValueError:
                raise NotFound("No such project.") from None
        if row not in rows:
            rows.append(row)
    wanted = {r for r in rows if r is not None}
    if wanted and owned(Project, user).filter(pk__in=wanted).count() != len(wanted):
        raise NotFound("No such project.")
    return rows


def timesheet_context(
    user: User,
    first: date,
    asked_rows: list[UUID | None],
    *,
    typed: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
    saved: bool = False,
) -> dict[str, Any]:
    """Rows: the projects with time this week and those asked for; cells hold the time
    tracked (or, after a refusal, what was typed, with the errors next to them)."""
    zone, now = zone_of(user), timezone.now()
    days = [first + timedelta(days=i) for i in range(7)]
    totals = seconds_by_project_and_day(entries_touching(user, first, days[-1]), first, zone, now)
    projects = {str(p.pk): p for p in projects_of(user)}
    keys = {key for key, _ in totals} | {str(r or "") for r in asked_rows}
    ordered = sorted(
        keys, key=lambda k: (k == "", projects[k].name.lower() if k in projects else "")
    )
    errors = errors or {}
    rows = []
    for key in ordered:
        cells = []
        for day in days:
            name = cell_name(key or None, day)
            seconds = totals.get((key, day), 0)
            shown = (
                typed.get(name, "")
                if typed is not None
                else (duration_text(seconds) if seconds else "")
            )
            cells.append({"name": name, "day": day, "value": shown, "error": errors.get(name)})
        rows.append(
            {
                "key": key or "none",
                "project": projects.get(key),
                "cells": cells,
                "seconds": sum(totals.get((key, day), 0) for day in days),
            }
        )
    addable = [p for k, p in projects.items() if k not in keys and not p.archived]
    return {
        "first": first,
        "label": range_label(first),
        "days": days,
        "rows": rows,
        "day_seconds": [sum(totals.get((key, day), 0) for key in keys) for day in days],
        "week_seconds": sum(totals.values()),
        "addable": addable,
        "no_project_addable": "" not in keys,
        "previous_week": first - timedelta(days=7),
        "next_week": first + timedelta(days=7),
        "form_error": errors.get(""),
        "errors": bool(errors),
        "saved": saved,
    }
