"""A person's routines and check-ins as Loop Habit Tracker's "Export as CSV" zip (`Habits.csv`
and `Checkmarks.csv`, the shape `loop_csv` reads back).

Each routine is a habit (its schedule as Loop's frequency, see `loop_frequency`); each day from
the newest check-in (or today) back to the oldest is a row, newest first as Loop writes it. A
yes/no routine's day is 2 done, 3 skipped, 0 nothing recorded (-1 before the routine started);
a numeric routine's day is its amount in thousandths, or -1. Notes have no place in Loop's shape
and are left out. Two routines of one name get " (2)", " (3)" so each column names one habit.
Every text cell is guarded against spreadsheet formulas.
"""

import csv
import io
import zipfile
from datetime import date, timedelta

from django.http import HttpResponse

from routinie.accounts.models import User
from routinie.core.spreadsheet_safety import guard_formula
from routinie.tracking.calendar import today_for
from routinie.tracking.models import CheckIn, Routine
from routinie.tracking.ownership import owned
from routinie.tracking.routines.schedules import schedule_of
from routinie.tracking.transfer.loop_frequency import frequency_of
from routinie.tracking.transfer.loop_zip import CHECKMARKS, HABITS

HABIT_COLUMNS = [
    "Position",
    "Name",
    "Type",
    "Question",
    "Description",
    "FrequencyNumerator",
    "FrequencyDenominator",
    "Color",
    "Unit",
    "Target Type",
    "Target Value",
    "Archived?",
]
COLOR = "#2F6F5E"


def _unique_names(routines: list[Routine]) -> list[str]:
    names: list[str] = []
    taken: set[str] = set()
    for routine in routines:
        name, number = routine.name.strip(), 1
        while (name if number == 1 else f"{name} ({number})") in taken:
            number += 1
        unique = name if number == 1 else f"{name} ({number})"
        taken.add(unique)
        names.append(unique)
    return names


def _habits_csv(routines: list[Routine], names: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HABIT_COLUMNS)
    for position, (routine, name) in enumerate(zip(routines, names, strict=True), start=1):
        numerator, denominator = frequency_of(schedule_of(routine))
        numeric = routine.target_value is not None
        writer.writerow(
            [
                f"{position:03d}",
                guard_formula(name),
                "NUMERICAL" if numeric else "YES_NO",
                "",
                "",
                numerator,
                denominator,
                COLOR,
                guard_formula(routine.target_unit),
                "AT_LEAST",
                routine.target_value if numeric else 0,
                "true" if routine.archived else "false",
            ]
        )
    return out.getvalue()


def _cell(routine: Routine, mark: tuple[str, float | None] | None, day: date) -> str:
    if routine.target_value is not None:
        value = mark[1] if mark else None
        return str(round(value * 1000)) if value is not None and value > 0 else "-1"
    if mark is None or mark[0] == CheckIn.Status.NOTE:
        return "0" if day >= routine.starts_on else "-1"
    return "2" if mark[0] == CheckIn.Status.DONE else "3"


def _checkmarks_csv(user: User, routines: list[Routine], names: list[str]) -> str:
    marks: dict[tuple[object, date], tuple[str, float | None]] = {}
    rows = owned(CheckIn, user).values_list("routine_id", "date", "status", "value")
    for routine_id, day, status, value in rows.iterator(chunk_size=5000):
        marks[(routine_id, day)] = (status, value)
    newest = max([today_for(user), *(day for _, day in marks)])
    oldest = min([newest, *(day for _, day in marks)])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Date", *(guard_formula(name) for name in names), ""])
    day = newest
    while day >= oldest and routines:
        cells = [_cell(r, marks.get((r.id, day)), day) for r in routines]
        writer.writerow([day.isoformat(), *cells, ""])
        day -= timedelta(days=1)
    return out.getvalue()


def loop_zip_of(user: User) -> bytes:
    """The zip's bytes: Habits.csv and Checkmarks.csv of every routine, archived ones too."""
    routines = list(owned(Routine, user).order_by("created_at", "id"))
    names = _unique_names(routines)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(HABITS, _habits_csv(routines, names))
        archive.writestr(CHECKMARKS, _checkmarks_csv(user, routines, names))
    return buffer.getvalue()


def export_loop_zip(*, user: User) -> HttpResponse:
    response = HttpResponse(loop_zip_of(user), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="routinie-routines-loop.zip"'
    return response
