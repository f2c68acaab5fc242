"""The key figures of one chunk of accounts that share a time zone, from SQL aggregates.

Every query is grouped by user over the tracking tables, restricted to the chunk's user ids
(served by the tables' `(user, …)` indexes), so a chunk costs the same whatever the size of
the platform. Sharing a time zone lets SQL compute local days and weekdays for the chunk.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractIsoWeekDay, TruncDate

from routinie.stats.activity import KIND_BITS, WEEKDAY_FIELDS, WINDOW_DAYS
from routinie.tracking.models import CheckIn, Project, Routine, TimeEntry

FIGURE_FIELDS = (
    "entries_total",
    "entries_30d",
    "seconds_total",
    "seconds_30d",
    "projects_total",
    "projects_30d",
    "routines_total",
    "routines_30d",
    "checkins_total",
    "checkins_30d",
    "active_days_total",
    "active_days_30d",
    "routine_kinds",
    *WEEKDAY_FIELDS,
)


@dataclass(frozen=True)
class Window:
    """The last 30 days of one time zone: from local midnight `since` to `now`."""

    now: datetime
    first_day: date
    since: datetime

    @classmethod
    def of(cls, now: datetime, zone: ZoneInfo) -> "Window":
        first_day = now.astimezone(zone).date() - timedelta(days=WINDOW_DAYS - 1)
        return cls(now, first_day, datetime.combine(first_day, time(), tzinfo=zone))


def _seconds(value: timedelta | None) -> int:
    return max(round(value.total_seconds()), 0) if value else 0


def _duration(now: datetime) -> ExpressionWrapper[Any]:
    """An entry's length; a running timer counts until now."""
    until = Coalesce(F("end"), Value(now, output_field=DateTimeField()))
    return ExpressionWrapper(until - F("start"), output_field=DurationField())


def _entries(ids: list[UUID], window: Window, into: dict[UUID, dict[str, int]]) -> None:
    recent = Q(start__gte=window.since)
    duration = _duration(window.now)
    rows = (
        TimeEntry.objects.filter(user_id__in=ids)
        .values("user_id")
        .annotate(
            n=Count("id"),
            n30=Count("id", filter=recent),
            total=Sum(duration),
            total30=Sum(duration, filter=recent),
            projects30=Count("project", distinct=True, filter=recent),
        )
        .order_by()
    )
    for row in rows:
        figures = into[row["user_id"]]
        figures["entries_total"], figures["entries_30d"] = row["n"], row["n30"]
        figures["seconds_total"] = _seconds(row["total"])
        figures["seconds_30d"] = _seconds(row["total30"])
        figures["projects_30d"] = row["projects30"]


def _weekdays(
    ids: list[UUID], window: Window, zone: ZoneInfo, into: dict[UUID, dict[str, int]]
) -> None:
    rows = (
        TimeEntry.objects.filter(user_id__in=ids, start__gte=window.since)
        .annotate(weekday=ExtractIsoWeekDay("start", tzinfo=zone))
        .values("user_id", "weekday")
        .annotate(total=Sum(_duration(window.now)))
        .order_by()
    )
    for row in rows:
        into[row["user_id"]][WEEKDAY_FIELDS[row["weekday"] - 1]] = _seconds(row["total"])


def _projects(ids: list[UUID], into: dict[UUID, dict[str, int]]) -> None:
    rows = Project.objects.filter(user_id__in=ids).values("user_id").annotate(n=Count("id"))
    for row in rows.order_by():
        into[row["user_id"]]["projects_total"] = row["n"]


def _routines(ids: list[UUID], into: dict[UUID, dict[str, int]]) -> None:
    in_use = {kind: Count("id", filter=Q(schedule_kind=kind, archived=False)) for kind in KIND_BITS}
    rows = (
        Routine.objects.filter(user_id__in=ids).values("user_id").annotate(n=Count("id"), **in_use)
    )
    for row in rows.order_by():
        counts: dict[str, Any] = dict(row)
        figures = into[counts["user_id"]]
        figures["routines_total"] = counts["n"]
        figures["routine_kinds"] = sum(bit for kind, bit in KIND_BITS.items() if counts[kind])


def _checkins(ids: list[UUID], window: Window, into: dict[UUID, dict[str, int]]) -> None:
    recent = Q(date__gte=window.first_day)
    rows = (
        CheckIn.objects.filter(user_id__in=ids)
        .values("user_id")
        .annotate(
            n=Count("id"),
            n30=Count("id", filter=recent),
            routines30=Count("routine", distinct=True, filter=recent),
        )
        .order_by()
    )
    for row in rows:
        figures = into[row["user_id"]]
        figures["checkins_total"], figures["checkins_30d"] = row["n"], row["n30"]
        figures["routines_30d"] = row["routines30"]


def _active_days(
    ids: list[UUID], window: Window, zone: ZoneInfo, into: dict[UUID, dict[str, int]]
) -> None:
    """Distinct local days with an entry started or a check-in: a UNION counted in SQL."""
    entry_days = (
        TimeEntry.objects.filter(user_id__in=ids)
        .annotate(day=TruncDate("start", tzinfo=zone))
        .values_list("user_id", "day")
        .order_by()
    )
    checkin_days = CheckIn.objects.filter(user_id__in=ids).values_list("user_id", "date").order_by()
    days = entry_days.union(checkin_days)  # UNION, not UNION ALL: each day once
    sql, params = days.query.get_compiler(connection=connection).as_sql()
    first_day = connection.ops.adapt_datefield_value(window.first_day)
    head = "SELECT days.user_id, COUNT(*), SUM(CASE WHEN days.day >= %s THEN 1 ELSE 0 END) "
    query = head + f"FROM ({sql}) days GROUP BY days.user_id"
    with connection.cursor() as cursor:
        cursor.execute(query, [first_day, *params])
        for user_id, total, recent in cursor.fetchall():
            user_uuid = user_id if isinstance(user_id, UUID) else UUID(str(user_id))
            into[user_uuid]["active_days_total"] = total
            into[user_uuid]["active_days_30d"] = recent or 0


def figures_of_chunk(ids: list[UUID], zone_name: str, now: datetime) -> dict[UUID, dict[str, int]]:
    """Every key figure of the accounts `ids` (all in time zone `zone_name`), zeros included."""
    try:
        zone = ZoneInfo(zone_name)
    except (ValueError, KeyError):  # an unknown zone: count its days in UTC
        zone = ZoneInfo("UTC")
    window = Window.of(now, zone)
    figures: dict[UUID, dict[str, Any]] = defaultdict(lambda: dict.fromkeys(FIGURE_FIELDS, 0))
    for user_id in ids:
        figures[user_id]
    _entries(ids, window, figures)
    _weekdays(ids, window, zone, figures)
    _projects(ids, figures)
    _routines(ids, figures)
    _checkins(ids, window, figures)
    _active_days(ids, window, zone, figures)
    return dict(figures)
