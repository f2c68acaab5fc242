"""Report totals by day, week, month, project or tag, aggregated in the database.

Seconds are summed in SQL with each entry clipped to the report's range (a running entry counts
until now), less its breaks clipped the same way (worked time). Days follow the user's time
zone: an entry within one local day is grouped by `TruncDate(start, zone)` in SQL; the rare
entry that crosses local midnight is split in Python (only those entries are read, and the
breaks of those that have any), so its hours count in each day for their part.
"""

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least, TruncDate
from django.utils import timezone

from routinie.accounts.models import User
from routinie.core.date_range import EARLIEST_MOMENT
from routinie.core.errors import InvalidInput
from routinie.core.weeks import week_start_of
from routinie.tracking.calendar import day_range, local_days, zone_of
from routinie.tracking.entries.breaks import Span, worked_spans
from routinie.tracking.entries.services import MAX_ENTRY
from routinie.tracking.models import EntryBreak, Project, Tag, TimeEntry
from routinie.tracking.ownership import owned

K = TypeVar("K")
GROUPINGS = ("day", "week", "month", "project", "tag")
MAX_RANGE_DAYS = 3660  # ten years


@dataclass(frozen=True)
class Group:
    key: str | None
    label: str
    seconds: int
    entries: int


@dataclass(frozen=True)
class Summary:
    total_seconds: int
    groups: list[Group]
    # By day, week or month: each group's seconds per project id ("" for no project)
    parts: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Filters:
    """Which entries a report counts: of a project, with a tag, a description containing."""

    project_id: UUID | None = None
    tag: str = ""
    description: str = ""

    def apply(self, entries: QuerySet[TimeEntry]) -> QuerySet[TimeEntry]:
        if self.project_id is not None:
            entries = entries.filter(project_id=self.project_id)
        if self.tag:
            entries = entries.filter(tagged(self.tag))
        if self.description:
            entries = entries.filter(description__icontains=self.description)
        return entries


NO_FILTERS = Filters()


def tagged(name: str) -> Exists:
    """An entry has the tag `name`: a subquery, so that grouping by tag still shows the
    entries' other tags."""
    return Exists(Tag.objects.filter(name=name, entries=OuterRef("pk")))


def worked_seconds_by(
    *, user: User, first: date, last: date, conditions: Mapping[K, Q | Exists]
) -> dict[K, int]:
    """The user's worked time over local days first..last (clipped to them, breaks left out, a
    running timer until now) of the entries each condition matches: one query for them all
    (each condition one filtered SUM), as the summary counts it."""
    if not conditions:
        return {}
    start, end = day_range(first, last, zone_of(user))
    now = timezone.now()
    clipped = _clipped_duration(start, end, now, _breaks_within(user, start, end, now))
    names = {f"c{i}": key for i, key in enumerate(conditions)}
    sums = {name: Sum(clipped, filter=Q(conditions[key])) for name, key in names.items()}
    totals = overlapping(user, start, end).aggregate(**sums)
    return {key: _seconds(totals[name]) for name, key in names.items()}


def summary(
    *, user: User, first: date, last: date, group_by: str, filters: Filters = NO_FILTERS
) -> Summary:
    """Totals of the user's tracked time over local days first..last, grouped and filtered.
    A project that is not the user's (or no longer exists) simply matches no entry."""
    if group_by not in GROUPINGS:
        raise InvalidInput.on("group_by", f"group_by must be one of {', '.join(GROUPINGS)}.")
    if last < first:
        raise InvalidInput.on("to", "The range ends before it starts.")
    if (last - first).days > MAX_RANGE_DAYS:
        raise InvalidInput.on("to", "A report covers at most ten years.")
    zone = zone_of(user)
    start, end = day_range(first, last, zone)
    now = timezone.now()
    entries = filters.apply(overlapping(user, start, end))
    paused = _breaks_within(user, start, end, now)
    clipped = _clipped_duration(start, end, now, paused)
    total = entries.aggregate(total=Sum(clipped))["total"]
    total_seconds = round(total.total_seconds()) if total else 0
    if group_by == "project":
        groups = _by_project(entries, clipped)
    elif group_by == "tag":
        groups = _by_tag(entries, clipped)
    else:
        key_of = _calendar_key(group_by, getattr(user, "week_start", 0))
        groups, parts = _by_calendar(entries, paused, start, end, now, zone, key_of, group_by)
        return Summary(total_seconds, groups, parts)
    return Summary(total_seconds, groups)


def filter_choices(user: User) -> tuple[list[tuple[str, str]], list[str]]:
    """The user's projects (id, name) and tag names, for the report's filter bar."""
    projects = owned(Project, user).order_by("archived", "name").values_list("id", "name")
    tags = owned(Tag, user).order_by("name").values_list("name", flat=True)
    return [(str(pk), name) for pk, name in projects], list(tags)


def overlapping(user: User, start: datetime, end: datetime) -> QuerySet[TimeEntry]:
    """The user's entries that overlap start..end.

    A finished entry lasts at most MAX_ENTRY, so one that overlaps starts after
    `start - MAX_ENTRY`; the running timer (at most one, of any age) may start earlier. The
    lower bound is the earlier of the two, computed once by the database (a subquery on the
    running timer's partial index), so the (user, start) index reads only the range's rows,
    not every entry before its end (a year of a ten-year account: 7,300 rows, not 73,000). A
    row stored before `core.date_range` was enforced (year 1) is left out: its local day does
    not exist in Python's calendar."""
    mine = owned(TimeEntry, user)
    lower = Value(max(EARLIEST_MOMENT, start - MAX_ENTRY), output_field=DateTimeField())
    running_start = Subquery(mine.filter(end__isnull=True).values("start")[:1])
    earliest = Value(EARLIEST_MOMENT, output_field=DateTimeField())
    bound = Greatest(earliest, Least(lower, Coalesce(running_start, lower)))
    return mine.filter(start__lt=end, start__gte=bound).filter(
        Q(end__gt=start) | Q(end__isnull=True)
    )


def _moment(moment: datetime) -> Value:
    return Value(moment, output_field=DateTimeField())


def _clipped_span(start: datetime, end: datetime, now: datetime) -> ExpressionWrapper[Any]:
    """A row's (an entry's or a break's) time inside start..end; open, it runs until now."""
    until = Coalesce(F("end"), _moment(now))
    return ExpressionWrapper(
        Least(until, _moment(end)) - Greatest(F("start"), _moment(start)),
        output_field=DurationField(),
    )


def _breaks_within(user: User, start: datetime, end: datetime, now: datetime) -> Case:
    """The entry's break time inside start..end (0 without breaks), in the same statement as
    the entries. Most entries have no break there: the person's breaks in the range are found
    at once by the (user, start) index (a break lies inside its entry, so it starts at most
    MAX_ENTRY before the range, or is the running timer's open one), and only the entries
    among them run the correlated sum; probing every entry's breaks made the heavy user's
    year summary several times slower."""
    in_range = Q(start__lt=end) & (Q(end__isnull=True) | Q(end__gt=start))
    near = Q(start__gte=start - MAX_ENTRY) | Q(end__isnull=True)
    paused_entries = owned(EntryBreak, user).filter(in_range & near).values("entry_id")
    breaks = EntryBreak.objects.filter(in_range, entry=OuterRef("pk"))
    # SUM over the entry's breaks with no GROUP BY (an aggregate of the whole subquery).
    total = breaks.order_by().annotate(
        total=Func(_clipped_span(start, end, now), function="SUM", output_field=DurationField())
    )
    return Case(
        When(pk__in=paused_entries, then=Subquery(total.values("total")[:1])),
        default=Value(timedelta(0)),
        output_field=DurationField(),
    )


def _clipped_duration(start: datetime, end: datetime, now: datetime, paused: Case) -> Any:
    """An entry's worked time inside start..end: its time there less its breaks there."""
    return ExpressionWrapper(_clipped_span(start, end, now) - paused, output_field=DurationField())


def _seconds(value: Any) -> int:
    return round(value.total_seconds()) if value else 0


def _by_project(entries: QuerySet[TimeEntry], clipped: ExpressionWrapper[Any]) -> list[Group]:
    """Grouped by the project's id only, its name read apart by primary key: joining the
    projects table in the grouping query made PostgreSQL hash every project of every person
    (2.2 million rows at `full`) for one person's report."""
    rows = list(
        entries.values("project_id").annotate(total=Sum(clipped), count=Count("id")).order_by()
    )
    ids = [r["project_id"] for r in rows if r["project_id"] is not None]
    names = dict(Project.objects.filter(pk__in=ids).values_list("pk", "name"))
    groups = [
        (
            r["total"],
            names.get(r["project_id"]),
            Group(
                key=str(r["project_id"]) if r["project_id"] else None,
                label=names.get(r["project_id"]) or "No project",
                seconds=_seconds(r["total"]),
                entries=r["count"],
            ),
        )
        for r in rows
    ]
    return _largest_first(groups)


def _by_tag(entries: QuerySet[TimeEntry], clipped: ExpressionWrapper[Any]) -> list[Group]:
    """Grouped by the tag's id (through the links only), names read apart by primary key, for
    the reason `_by_project` gives."""
    rows = list(
        entries.values("tags")
        .annotate(total=Sum(clipped), count=Count("id", distinct=True))
        .order_by()
    )
    ids = [r["tags"] for r in rows if r["tags"] is not None]
    names = dict(Tag.objects.filter(pk__in=ids).values_list("pk", "name"))
    groups = [
        (
            r["total"],
            names.get(r["tags"]),
            Group(
                key=names.get(r["tags"]),
                label=names.get(r["tags"]) or "No tag",
                seconds=_seconds(r["total"]),
                entries=r["count"],
            ),
        )
        for r in rows
    ]
    return _largest_first(groups)


def _largest_first(groups: list[tuple[Any, str | None, Group]]) -> list[Group]:
    """Most time first, then by name; the group without a name (no project, no tag) last of
    equals, as SQL's ORDER BY total DESC, name sorts NULL."""
    ordered = sorted(
        groups, key=lambda g: (-g[0].total_seconds() if g[0] else 0, g[1] is None, g[1] or "")
    )
    return [group for _, _, group in ordered]


def _calendar_key(group_by: str, week_start: int) -> Callable[[date], date | str]:
    if group_by == "week":
        return lambda d: week_start_of(d, week_start)
    if group_by == "month":
        return lambda d: f"{d.year:04d}-{d.month:02d}"
    return lambda d: d


def _by_calendar(
    entries: QuerySet[TimeEntry],
    paused: Case,
    start: datetime,
    end: datetime,
    now: datetime,
    zone: ZoneInfo,
    key_of: Callable[[date], date | str],
    group_by: str,
) -> tuple[list[Group], dict[str, dict[str, int]]]:
    seconds: dict[Any, float] = defaultdict(float)
    counts: dict[Any, int] = defaultdict(int)
    by_project: dict[Any, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    until = Coalesce(F("end"), _moment(now))
    annotated = entries.annotate(
        first_day=TruncDate("start", tzinfo=zone), last_day=TruncDate(until, tzinfo=zone)
    )
    within_a_day = annotated.filter(first_day=F("last_day"))
    # Inside the range already (whole local days): its time less its breaks, no clipping.
    duration = ExpressionWrapper(until - F("start") - paused, output_field=DurationField())
    rows = within_a_day.values("first_day", "project_id").annotate(
        total=Sum(duration), count=Count("id")
    )
    for row in rows:
        key = key_of(row["first_day"])
        part = row["total"].total_seconds() if row["total"] else 0.0
        seconds[key] += part
        by_project[key][str(row["project_id"] or "")] += part
        counts[key] += row["count"]
    crossing = list(
        annotated.exclude(first_day=F("last_day"))
        .annotate(paused=Exists(EntryBreak.objects.filter(entry=OuterRef("pk"))))
        .values_list("pk", "start", "end", "project_id", "paused")
    )
    spans = _breaks_of([pk for pk, *_, has_breaks in crossing if has_breaks])
    for pk, entry_start, entry_end, project_id, _ in crossing:
        keys_touched = set()
        clipped_start, clipped_end = max(entry_start, start), min(entry_end or now, end)
        for worked_start, worked_end in worked_spans(clipped_start, clipped_end, spans[pk], now):
            for day, part in local_days(worked_start, worked_end, zone):
                seconds[key_of(day)] += part
                by_project[key_of(day)][str(project_id or "")] += part
                keys_touched.add(key_of(day))
        for key in keys_touched:
            counts[key] += 1
    groups = [
        Group(key=str(k), label=_label(k, group_by), seconds=round(seconds[k]), entries=counts[k])
        for k in sorted(seconds, key=str)
    ]
    parts = {
        str(k): {project: round(part) for project, part in projects.items()}
        for k, projects in by_project.items()
    }
    return groups, parts


def _breaks_of(entry_ids: list[Any]) -> defaultdict[Any, list[Span]]:
    """The breaks of the entries that cross local midnight (none read when there are none)."""
    spans: defaultdict[Any, list[Span]] = defaultdict(list)
    if entry_ids:
        rows = EntryBreak.objects.filter(entry_id__in=entry_ids).order_by("start")
        for entry_id, break_start, break_end in rows.values_list("entry_id", "start", "end"):
            spans[entry_id].append((break_start, break_end))
    return spans


def _label(key: Any, group_by: str) -> str:
    if group_by == "day":
        return f"{key:%a %d %b %Y}"
    if group_by == "week":
        return f"Week of {key:%d %b %Y}"
    year, month = key.split("-")
    return f"{date(int(year), int(month), 1):%B %Y}"
