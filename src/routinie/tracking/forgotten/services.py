"""The forgotten timer's rules and writes: when a running timer counts as forgotten, when the
person left, and what they can do (stop it there, stop it now, keep it running); and idle time
the page found (discard it as a break, or stop the timer where it began). Each write is one
transaction and raises `routinie.core.errors` on bad input, changing nothing."""

from datetime import datetime, timedelta
from typing import Literal
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from routinie.accounts.models import User
from routinie.core.errors import Conflict, InvalidInput, NotFound
from routinie.tracking.calendar import zone_of
from routinie.tracking.entries.breaks import check_breaks, spans_of
from routinie.tracking.entries.selectors import running_entry_of
from routinie.tracking.entries.services import stop_timer_at
from routinie.tracking.models import EntryBreak, ForgottenTimer, TimeEntry
from routinie.tracking.ownership import owned

HOUR = timedelta(hours=1)
MAX_IDLE = timedelta(days=7)
MAX_BACK = timedelta(days=1)
StopAt = Literal["left", "now"]
Discard = Literal["break", "stop"]


def threshold_of(user: User) -> timedelta | None:
    """How long a timer may run before it counts as forgotten; None: the reminder is off."""
    return user.forgotten_timer_hours * HOUR if user.forgotten_timer_hours > 0 else None


def is_forgotten(user: User, start: datetime, now: datetime) -> bool:
    threshold = threshold_of(user)
    return threshold is not None and now - start >= threshold


def left_at(
    start: datetime, last_active: datetime | None, frozen: datetime | None
) -> datetime | None:
    """When the person left a timer that started at `start`: the moment kept when the e-mail
    went (`frozen`), else their last activity; None when none is recorded after the start (the
    timer was the last thing they did: only "stop it now" is offered, or a correction)."""
    moment = frozen or last_active
    return moment if moment is not None and moment > start else None


def _told(entry: TimeEntry) -> tuple[datetime | None, datetime | None]:
    """The entry's reminder row: when the person said it is right, and "the time I left" kept
    when the e-mail went ((None, None) before either)."""
    told: tuple[datetime | None, datetime | None] | None = (
        ForgottenTimer.objects.filter(entry=entry).values_list("kept_at", "left_at").first()
    )
    return told or (None, None)


def left_of(user: User, entry: TimeEntry) -> datetime | None:
    """When the person left the timer `entry` (see `left_at`)."""
    return left_at(entry.start, user.last_active_at, _told(entry)[1])


def forgotten_state(user: User, entry: TimeEntry, now: datetime) -> dict[str, object] | None:
    """What the API's timer says of a forgotten running `entry`: the threshold and the time the
    person left (None: nothing recorded since the start); None when it is not forgotten, or the
    person said it is right."""
    if not is_forgotten(user, entry.start, now):
        return None
    kept, frozen = _told(entry)
    if kept is not None:
        return None
    left = left_at(entry.start, user.last_active_at, frozen)
    return {
        "threshold_hours": user.forgotten_timer_hours,
        "left_at": None
        if left is None
        else timezone.localtime(left, zone_of(user)).replace(microsecond=0),
    }


def _running(user: User, entry_id: UUID) -> TimeEntry:
    """The person's running entry, if it is `entry_id`: else NotFound (not theirs) or Conflict
    (stopped meanwhile, or another one runs)."""
    running = running_entry_of(user)
    if running is not None and running.pk == entry_id:
        return running
    if not owned(TimeEntry, user).filter(pk=entry_id).exists():
        raise NotFound("No such time entry.")
    raise Conflict("This timer is not running any more.")


def stop_forgotten(*, user: User, entry_id: UUID, at: StopAt) -> TimeEntry:
    """Stop the forgotten timer at the time the person left (`at="left"`) or now."""
    entry = _running(user, entry_id)
    now = timezone.now()
    if at == "now":
        return stop_timer_at(user=user, entry=entry, at=now)
    moment = left_of(user, entry)
    if moment is None:
        raise Conflict(
            "Nothing you did since this timer started is recorded: stop it now, or correct "
            "its times on the entries page."
        )
    return stop_timer_at(user=user, entry=entry, at=min(moment, now))


def keep_running(*, user: User, entry_id: UUID) -> None:
    """The person says the long timer is right: no banner (nor e-mail) for it any more."""
    entry = _running(user, entry_id)
    now = timezone.now()
    with transaction.atomic():
        ForgottenTimer.objects.bulk_create(
            [ForgottenTimer(entry=entry, user=user)], ignore_conflicts=True
        )
        ForgottenTimer.objects.filter(entry=entry, kept_at__isnull=True).update(kept_at=now)


def idle_span(away_seconds: int, back_seconds_ago: int, now: datetime) -> tuple[datetime, datetime]:
    """The idle span the page measured, as durations (the browser's clock may be wrong; the
    server's moments are used): `away_seconds` without input, ending `back_seconds_ago`."""
    if not 60 <= away_seconds <= MAX_IDLE.total_seconds():
        raise InvalidInput.on(
            "away_seconds", "The idle time must last from a minute to a week.", "out_of_range"
        )
    if not 0 <= back_seconds_ago <= MAX_BACK.total_seconds():
        raise InvalidInput.on(
            "back_seconds_ago", "The return must lie within the last day.", "out_of_range"
        )
    until = now - timedelta(seconds=back_seconds_ago)
    return until - timedelta(seconds=away_seconds), until


def discard_idle(
    *, user: User, entry_id: UUID, away_seconds: int, back_seconds_ago: int, how: Discard
) -> TimeEntry:
    """Leave the idle time out of the running timer: as a break (it keeps running) or by
    stopping it where the idle time began. Idle time from before the timer's start counts from
    its start; none left is a 422."""
    entry = _running(user, entry_id)
    if entry.paused_since is not None:  # type: ignore[attr-defined]
        raise Conflict("The timer is paused: its idle time is a break already.")
    since, until = idle_span(away_seconds, back_seconds_ago, timezone.now())
    since = max(since, entry.start)
    if since >= until:
        raise InvalidInput.on(
            "away_seconds", "This timer did not run during that idle time.", "not_running"
        )
    if how == "stop":
        return stop_timer_at(user=user, entry=entry, at=since)
    spans = check_breaks(entry.start, None, [*spans_of(entry), (since, until)])
    assert spans
    with transaction.atomic():
        EntryBreak.objects.create(entry=entry, user_id=entry.user_id, start=since, end=until)
    return entry
