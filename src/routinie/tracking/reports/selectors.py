"""Report totals by day, week, month, project or tag, aggregated in the database.

Seconds are summed in SQL with each entry clipped to the report's range (a running entry counts
until now). Days follow the user's time zone: an entry within one local day is grouped by
`TruncDate(start, zone)` in SQL; the rare entry that crosses local midnight is split in Python
(only those entries are read), so its hours count in each day for their part.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least, TruncDate
from django.utils import timezone

from routinie.accounts.models import User
from routinie.core.date_range import EARLIEST_MOMENT
from routinie.core.errors import InvalidInput
from routinie.core.weeks import week_start_of
from routinie.tracking.calendar import day_range, local_days, zone_of
from routinie.tracking.models import Project, Tag, TimeEntry
from routinie.tracking.ownership import owned

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
            # A subquery, so that grouping by tag still shows the entries' other tags.
            tagged = Tag.objects.filter(name=self.tag, entries=OuterRef("pk"))
            entries = entries.filter(Exists(tagged))
        if self.description:
            entries = entries.filter(description__icontains=self.description)
        return entries


NO_FILTERS = Filters()


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
    clipped = _clipped_duration(start, end, now)
    total = entries.aggregate(total=Sum(clipped))["total"]
    total_seconds = round(total.total_seconds()) if total else 0
    if group_by == "project":
        groups = _by_project(entries, clipped)
    elif group_by == "tag":
        groups = _by_tag(entries, clipped)
    else:
        key_of = _calendar_key(group_by, getattr(user, "week_start", 0))
        groups, parts = _by_calendar(entries, start, end, now, zone, key_of, group_by)
        return Summary(total_seconds, groups, parts)
    return Summary(total_seconds, groups)


def filter_choices(user: User) -> tuple[list[tuple[str, str]], list[str]]:
    """The user's projects (id, name) and tag names, for the report's filter bar."""
    projects = owned(Project, user).order_by("archived", "name").values_list("id", "name")
    tags = owned(Tag, user).order_by("name").values_list("name", flat=True)
    return [(str(pk), name) for pk, name in projects], list(tags)


def overlapping(user: User, start: datetime, end: datetime) -> QuerySet[TimeEntry]:
    # A row stored before `core.date_range` was enforced (year 1) is left out: its local day
    # does not exist in Python's calendar.
    return (
        owned(TimeEntry, user)
        .filter(start__lt=end, start__gte=EARLIEST_MOMENT)
        .filter(Q(end__gt=start) | Q(end__isnull=True))
    )


def _clipped_duration(start: datetime, end: datetime, now: datetime) -> ExpressionWrapper[Any]:
    until = Coalesce(F("end"), Value(now, output_field=DateTimeField()))
    return ExpressionWrapper(
        Least(until, Value(end, output_field=DateTimeField()))
        - Greatest(F("start"), Value(start, output_field=DateTimeField())),
        output_field=DurationField(),
    )


def _seconds(value: Any) -> int:
    return round(value.total_seconds()) if value else 0


def _by_project(entries: QuerySet[TimeEntry], clipped: ExpressionWrapper[Any]) -> list[Group]:
    rows = (
        entries.values("project_id", "project__name")
        .annotate(total=Sum(clipped), count=Count("id"))
        .order_by("-total", "project__name")
    )
    return [
        Group(
            key=str(r["project_id"]) if r["project_id"] else None,
            label=r["project__name"] or "No project",
            seconds=_seconds(r["total"]),
            entries=r["count"],
        )
        for r in rows
    ]


def _by_tag(entries: QuerySet[TimeEntry], clipped: ExpressionWrapper[Any]) -> list[Group]:
    rows = (
        entries.values("tags__name")
        .annotate(total=Sum(clipped), count=Count("id", distinct=True))
        .order_by("-total", "tags__name")
    )
    return [
        Group(
            key=r["tags__name"],
            label=r["tags__name"] or "No tag",
            seconds=_seconds(r["total"]),
            entries=r["count"],
        )
        for r in rows
    ]


def _calendar_key(group_by: str, week_start: int) -> Callable[[date], date | str]:
    if group_by == "week":
        return lambda d: week_start_of(d, week_start)
    if group_by == "month":
        return lambda d: f"{d.year:04d}-{d.month:02d}"
    return lambda d: d


def _by_calendar(
    entries: QuerySet[TimeEntry],
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
    until = Coalesce(F("end"), Value(now, output_field=DateTimeField()))
    annotated = entries.annotate(
        first_day=TruncDate("start", tzinfo=zone), last_day=TruncDate(until, tzinfo=zone)
    )
    within_a_day = annotated.filter(first_day=F("last_day"))
    duration = ExpressionWrapper(until - F("start"), output_field=DurationField())
    rows = within_a_day.values("first_day", "project_id").annotate(
        total=Sum(duration), count=Count("id")
    )
    for row in rows:
        key = key_of(row["first_day"])
        part = row["total"].total_seconds() if row["total"] else 0.0
        seconds[key] += part
        by_project[key][str(row["project_id"] or "")] += part
        counts[key] += row["count"]
    crossing = annotated.exclude(first_day=F("last_day")).values_list("start", "end", "project_id")
    for entry_start, entry_end, project_id in crossing:
        keys_touched = set()
        clipped_start, clipped_end = max(entry_start, start), min(entry_end or now, end)
        for day, part in local_days(clipped_start, clipped_end, zone):
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


def _label(key: Any, group_by: str) -> str:
    if group_by == "day":
        return f"{key:%a %d %b %Y}"
    if group_by == "week":
        return f"Week of {key:%d %b %Y}"
    year, month = key.split("-")
    return f"{date(int(year), int(month), 1):%B %Y}"
