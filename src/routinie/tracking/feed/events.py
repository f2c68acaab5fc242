"""What a person's calendar feed shows: their routines' due days from today on (all-day
events, days in their zone) and, when they asked for it, their finished time entries of a
bounded recent window (timed events, in UTC).

- daily, weekdays, every_n_days: one event on each due day of the next FEED_DAYS days;
- times_per_week: one event spanning each week, Monday to Sunday (the weeks its streak counts),
  "3 times this week", since no single day is due;
- archived routines are left out; a routine's days before it starts too.
UIDs are stable (the routine's or the entry's id, and the day), so a calendar program updates an
event instead of adding it again.
"""

from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from routinie.accounts.models import User
from routinie.core.weeks import week_start_of
from routinie.tracking.calendar import today_for
from routinie.tracking.feed.ical import Event
from routinie.tracking.models import Routine, TimeEntry
from routinie.tracking.ownership import owned
from routinie.tracking.routines.schedules import schedule_for_stats
from routinie.tracking.routines.stats import is_due

FEED_DAYS = 14
ENTRY_DAYS = 30
MAX_ENTRIES = 2_000
ONE_DAY = timedelta(days=1)


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "routinie"


def _target(routine: Routine) -> str:
    if routine.target_value is None:
        return ""
    value = f"{routine.target_value:g}"
    return f": {value} {routine.target_unit}".rstrip()


def routine_events(user: User, today: date) -> list[Event]:
    events: list[Event] = []
    last = today + timedelta(days=FEED_DAYS - 1)
    for routine in owned(Routine, user).filter(archived=False).order_by("created_at", "id"):
        schedule = schedule_for_stats(routine)
        if schedule.kind == "times_per_week":
            week = week_start_of(today)  # Monday: the weeks the streaks count
            while week <= last:
                summary = f"{routine.name}: {schedule.count} times this week{_target(routine)}"
                uid = f"routine-{routine.id}-week-{week:%Y%m%d}@{_host()}"
                events.append(Event(uid, summary, week, week + 7 * ONE_DAY))
                week += 7 * ONE_DAY
            continue
        day = max(today, routine.starts_on)
        while day <= last:
            if is_due(schedule, day):
                uid = f"routine-{routine.id}-{day:%Y%m%d}@{_host()}"
                events.append(Event(uid, routine.name + _target(routine), day, day + ONE_DAY))
            day += ONE_DAY
    return events


def entry_events(user: User, now: datetime) -> list[Event]:
    entries = (
        owned(TimeEntry, user)
        .filter(end__isnull=False, start__gte=now - timedelta(days=ENTRY_DAYS), start__lte=now)
        .order_by("-start", "-id")
        .values_list("id", "description", "project__name", "start", "end")[:MAX_ENTRIES]
    )
    events = []
    for entry_id, description, project, start, end in entries:
        summary = " · ".join(part for part in (description or "Time entry", project) if part)
        finished = end or start  # never None: finished entries only
        events.append(Event(f"entry-{entry_id}@{_host()}", summary, start, finished))
    return events


def feed_events(user: User, include_entries: bool) -> list[Event]:
    now = timezone.now()
    events = routine_events(user, today_for(user))
    return events + entry_events(user, now) if include_entries else events
