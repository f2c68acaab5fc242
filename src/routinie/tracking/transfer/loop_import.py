"""Import of Loop Habit Tracker's CSV zip: habits become routines, their days check-ins, all or
none, in one transaction (parsing and checks are in `loop_csv`).

Importing the same file again adds nothing: a habit is the person's routine of the same name
(trimmed, any case) when they have one, which is then left as it is; a day that routine already
has a check-in for keeps it. So a second import, or an import after checking in by hand, never
duplicates or overwrites anything.
"""

from collections import defaultdict
from datetime import date
from typing import Any

from django.db import connections, router, transaction
from django.utils import timezone

from routinie.accounts.models import User
from routinie.core.errors import InvalidInput
from routinie.tracking.calendar import today_for
from routinie.tracking.models import CheckIn, Routine
from routinie.tracking.ownership import owned
from routinie.tracking.routines.schedules import schedule_fields
from routinie.tracking.transfer.loop_csv import LoopHabit, parse_loop_export
from routinie.tracking.transfer.parsed import ImportRejected
from routinie.tracking.transfer.services import MAX_BYTES, rejected_rows

BATCH = 5_000


def _routine_for(
    user: User, habit: LoopHabit, existing: dict[str, Routine], first_day: date | None
) -> tuple[Routine, bool]:
    found = existing.get(habit.name.casefold())
    if found is not None:
        return found, False
    routine = Routine.objects.create(
        user=user,
        name=habit.name,
        **schedule_fields(habit.schedule),
        starts_on=min(first_day or today_for(user), today_for(user)),
        target_value=habit.target_value,
        target_unit=habit.target_unit,
        archived=habit.archived,
    )
    existing[habit.name.casefold()] = routine
    return routine, True


def import_loop_routines(*, user: User, upload: Any) -> dict[str, int]:
    """Parse and save a Loop export; InvalidInput naming each bad value when any is bad."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise InvalidInput.on("file", "The file is larger than 10 MB; nothing was imported.")
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InvalidInput.on("file", "The file is larger than 10 MB; nothing was imported.")
    try:
        export = parse_loop_export(data, today=today_for(user))
    except ImportRejected as rejected:
        raise rejected_rows(rejected.errors) from None
    days_of: dict[str, list[Any]] = defaultdict(list)
    for day in export.days:
        days_of[day.habit].append(day)
    created_routines = 0
    rows: list[tuple[Any, ...]] = []
    with transaction.atomic():
        # One import of a person at a time: a second one waits and then finds the first's rows.
        User.objects.select_for_update().filter(pk=user.pk).first()
        existing: dict[str, Routine] = {}
        for routine in owned(Routine, user).order_by("created_at", "id"):
            existing.setdefault(routine.name.strip().casefold(), routine)
        for habit in export.habits:
            days = days_of.get(habit.name, [])
            routine, created = _routine_for(
                user, habit, existing, min((d.day for d in days), default=None)
            )
            created_routines += created
            taken = set() if created else set(routine.checkins.values_list("date", flat=True))
            rows.extend(
                (
                    routine.pk,
                    d.day,
                    d.status,
                    # "Done" on a numeric target without an amount: the target was met.
                    routine.target_value if d.value is None and d.status == "done" else d.value,
                )
                for d in days
                if d.day not in taken
            )
        _insert_checkins(user, rows)
    return {"imported_routines": created_routines, "imported_checkins": len(rows)}


def _insert_checkins(user: User, rows: list[tuple[Any, ...]]) -> None:
    """(routine id, day, status, value) rows as check-ins, written as plain values: no model
    object per row (`bulk_create` spent 12 of 13 s of a 65,000-check-in import building and
    preparing them). PostgreSQL takes each batch as one INSERT of arrays (`unnest`: one short
    statement, where a long VALUES list costs psycopg more to parse than the database to
    write); SQLite one `executemany`. The days are free (read above under the person's lock)."""
    if not rows:
        return
    connection = connections[router.db_for_write(CheckIn)]
    ops, quote = connection.ops, connection.ops.quote_name
    names = ("routine_id", "user_id", "date", "status", "value", "note", "created_at")
    table, columns = quote(CheckIn._meta.db_table), ", ".join(quote(n) for n in names)
    if connection.vendor == "postgresql":
        types = ("uuid", "uuid", "date", "text", "float8", "text", "timestamptz")
        arrays = ", ".join(f"%s::{name}[]" for name in types)
        sql = f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays})"  # noqa: S608
    else:
        marks = ", ".join(["%s"] * len(names))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 (model's names)
    routine_key: Any = CheckIn._meta.get_field("routine").target_field
    user_key: Any = CheckIn._meta.get_field("user").target_field
    routine_ids = {
        r: routine_key.get_db_prep_value(r, connection) for r in {row[0] for row in rows}
    }
    user_id = user_key.get_db_prep_value(user.pk, connection)
    days: dict[date, Any] = {d: ops.adapt_datefield_value(d) for d in {row[1] for row in rows}}
    created = ops.adapt_datetimefield_value(timezone.now())
    values = [
        (routine_ids[routine_id], user_id, days[day], status, value, "", created)
        for routine_id, day, status, value in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(values), BATCH):
            batch = values[start : start + BATCH]
            if connection.vendor == "postgresql":
                cursor.execute(sql, [list(column) for column in zip(*batch, strict=True)])
            else:
                cursor.executemany(sql, batch)
