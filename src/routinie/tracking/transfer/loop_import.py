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

from django.db import transaction

from routinie.accounts.models import User
from routinie.core.errors import InvalidInput
from routinie.tracking.calendar import today_for
from routinie.tracking.models import CheckIn, Routine
from routinie.tracking.ownership import owned
from routinie.tracking.routines.schedules import schedule_fields
from routinie.tracking.transfer.loop_csv import LoopHabit, parse_loop_export
from routinie.tracking.transfer.parsed import ImportRejected
from routinie.tracking.transfer.services import MAX_BYTES, rejected_rows


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
    new_checkins: list[CheckIn] = []
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
            new_checkins.extend(
                CheckIn(
                    routine=routine,
                    user=user,
                    date=d.day,
                    status=d.status,
                    # "Done" on a numeric target without an amount: the target was met.
                    value=routine.target_value
                    if d.value is None and d.status == "done"
                    else d.value,
                )
                for d in days
                if d.day not in taken
            )
        CheckIn.objects.bulk_create(new_checkins, batch_size=1000)
    return {"imported_routines": created_routines, "imported_checkins": len(new_checkins)}
