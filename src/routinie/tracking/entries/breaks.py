"""Breaks inside a time entry: pausing and resuming the timer, the rules a break keeps, and
the worked time they leave. Each write is one transaction and raises `routinie.core.errors` on
bad input, changing nothing. The database holds the same rules (constraints and the triggers of
migration 0006); these checks only give the clear message first."""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import DateTimeField, Exists, OuterRef, Subquery
from django.utils import timezone

from routinie.accounts.models import User
from routinie.core.date_range import check_moment
from routinie.core.errors import Conflict, InvalidInput
from routinie.tracking.models import EntryBreak, TimeEntry
from routinie.tracking.ownership import owned

Span = tuple[datetime, datetime | None]  # a break's start and end (None while paused)
MAX_BREAKS = 50


def break_seconds(
    breaks: Iterable[Span], now: datetime, within: tuple[datetime, datetime] | None = None
) -> float:
    """The seconds of these breaks (an open one lasts until `now`), clipped to `within`."""
    total = 0.0
    for start, end in breaks:
        end = end or now
        if within is not None:
            start, end = max(start, within[0]), min(end, within[1])
        total += max(0.0, (end - start).total_seconds())
    return total


def worked_spans(
    start: datetime, end: datetime, breaks: Sequence[Span], now: datetime
) -> list[tuple[datetime, datetime]]:
    """start..end with the breaks (oldest first, not overlapping) cut out: the worked pieces."""
    pieces, cursor = [], start
    for break_start, break_end in breaks:
        if break_start > cursor:
            pieces.append((cursor, min(break_start, end)))
        cursor = max(cursor, min(break_end or now, end))
        if cursor >= end:
            break
    if cursor < end:
        pieces.append((cursor, end))
    return [(a, b) for a, b in pieces if b > a]


def spans_of(entry: TimeEntry) -> list[Span]:
    """The entry's breaks, oldest first (read unless already loaded; an entry not saved has
    none)."""
    loaded = getattr(entry, "_prefetched_objects_cache", {}).get("breaks")
    if loaded is None and entry._state.adding:
        return []
    return [(b.start, b.end) for b in (loaded if loaded is not None else entry.breaks.all())]


def worked_seconds(entry: TimeEntry, now: datetime) -> float:
    """How long the entry was worked: its time (a running one until `now`) less its breaks."""
    elapsed = ((entry.end or now) - entry.start).total_seconds()
    return max(0.0, elapsed - break_seconds(spans_of(entry), now))


def ticking_since(entry: TimeEntry, now: datetime) -> int | None:
    """The Unix second from which a page's clock of the entry's worked time ticks (its start,
    later by its breaks so far); None while paused: the clock stands still."""
    spans = spans_of(entry)
    if any(end is None for _, end in spans):
        return None
    return round(entry.start.timestamp() + break_seconds(spans, now))


def breaks_known(entry: TimeEntry, breaks: list[EntryBreak]) -> None:
    """Keep the breaks just written (or known to be none) on the entry, as `prefetch_related`
    would: reading `entry.breaks.all()` for the answer costs no query."""
    loaded = entry.breaks.all()
    loaded._result_cache = sorted(breaks, key=lambda b: b.start)
    loaded._prefetch_done = True  # type: ignore[attr-defined]
    cache = getattr(entry, "_prefetched_objects_cache", {})
    cache["breaks"] = loaded
    entry._prefetched_objects_cache = cache  # type: ignore[attr-defined]


def paused_since() -> Subquery:
    """An entry's open break's start (None when it is not paused), for a query's annotation."""
    open_break = EntryBreak.objects.filter(entry=OuterRef("pk"), end__isnull=True)
    return Subquery(open_break.values("start")[:1], output_field=DateTimeField())


def with_pause_state(entries: Any) -> Any:
    """Entries annotated with `paused_since` (the open break's start, or None) and `has_breaks`,
    in the same query: the timer's reads then know whether to read the breaks at all."""
    return entries.annotate(
        paused_since=paused_since(),
        has_breaks=Exists(EntryBreak.objects.filter(entry=OuterRef("pk"))),
    )


def check_breaks(start: datetime, end: datetime | None, breaks: Sequence[Span]) -> list[Span]:
    """The breaks in time order, or InvalidInput: each inside the entry, ending after it
    starts, none overlapping another; only a running entry's last break may be open."""
    if len(breaks) > MAX_BREAKS:
        raise InvalidInput.on("breaks", f"An entry can have at most {MAX_BREAKS} breaks.")
    ordered = sorted(breaks, key=lambda span: span[0])
    for number, (break_start, break_end) in enumerate(ordered, start=1):
        if timezone.is_naive(break_start) or (break_end and timezone.is_naive(break_end)):
            raise InvalidInput.on("breaks", "Break times need an offset, like 12:30:00+02:00.")
        check_moment(break_start, "breaks")
        if break_end is None:
            if end is not None or number != len(ordered):
                raise InvalidInput.on(
                    "breaks", "Only the running timer's last break can be open.", "open_break"
                )
        else:
            check_moment(break_end, "breaks")
            if break_end <= break_start:
                raise InvalidInput.on(
                    "breaks", "A break must end after it starts.", "break_end_before_start"
                )
        if break_start < start or (end is not None and break_end is not None and break_end > end):
            raise InvalidInput.on(
                "breaks", "A break must lie inside its entry.", "break_outside_entry"
            )
        if number > 1:
            previous_end = ordered[number - 2][1]
            if previous_end is not None and break_start < previous_end:
                raise InvalidInput.on("breaks", "Breaks cannot overlap.", "breaks_overlap")
    return ordered


def write_breaks(entry: TimeEntry, spans: Sequence[Span], *, replace: bool) -> None:
    """Store the entry's breaks (already checked), replacing its old ones when `replace`;
    inside the caller's transaction."""
    if replace:
        EntryBreak.objects.filter(entry=entry).delete()
    made = [EntryBreak(entry=entry, user_id=entry.user_id, start=s, end=e) for s, e in spans]
    if made:
        EntryBreak.objects.bulk_create(made)
    breaks_known(entry, made)


def _running_with_state(user: User) -> Any:
    """The running entry, read by `with_pause_state`; Conflict when none runs."""
    running = with_pause_state(owned(TimeEntry, user).filter(end__isnull=True)).first()
    if running is None:
        raise Conflict("No timer is running.")
    return running


def pause_timer(*, user: User) -> TimeEntry:
    """Pause the running timer now: an open break. Conflict when none runs or it is paused."""
    running = _running_with_state(user)
    if running.paused_since is not None:
        raise Conflict("The timer is already paused.")
    try:
        with transaction.atomic():
            EntryBreak.objects.create(
                entry=running, user_id=running.user_id, start=max(timezone.now(), running.start)
            )
    except IntegrityError:  # paused or stopped by another request meanwhile
        raise Conflict("The timer was paused or stopped meanwhile.") from None
    paused: TimeEntry = running
    return paused


def resume_timer(*, user: User) -> TimeEntry:
    """Resume the paused timer now: its open break ends. Conflict when nothing is paused.
    A break that would last no time at all (resumed in the instant) is dropped."""
    running = _running_with_state(user)
    if running.paused_since is None:
        raise Conflict("The timer is not paused.")
    open_break = EntryBreak.objects.filter(entry=running, end__isnull=True)
    now = timezone.now()
    if now > running.paused_since:
        open_break.update(end=now)
    else:
        open_break.delete()
    resumed: TimeEntry = running
    return resumed


def close_breaks(running: Any, at: datetime, *, cut: bool) -> None:
    """Before the running entry (read by `with_pause_state`) stops at `at`: a paused timer's
    open break ends there; when the stop is `cut` short (a forgotten timer stopped at its
    maximum), the breaks from `at` on are dropped and one running past it ends there. Only
    the entry as read, still running: when another request stopped it, nothing changes."""
    breaks = EntryBreak.objects.filter(entry=running.pk, entry__end__isnull=True)
    if cut and running.has_breaks:
        breaks.filter(start__gte=at).delete()
        breaks.filter(end__gt=at).update(end=at)
    if running.paused_since is not None:
        still_open = breaks.filter(end__isnull=True)
        if running.paused_since < at:
            still_open.update(end=at)
        else:  # paused in the instant it stops: a break of no time
            still_open.delete()
