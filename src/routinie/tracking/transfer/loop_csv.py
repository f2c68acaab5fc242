"""Parse Loop Habit Tracker's "Export as CSV" zip into habits and their days: plain data in,
plain data out, no database. Columns are found by their header, never by position.

`Habits.csv` (one row per habit): Name, the frequency (FrequencyNumerator and
FrequencyDenominator; older versions NumRepetitions and Interval), and optionally Type (YES_NO or
NUMERICAL), Unit, Target Value and Archived?. Other columns (Position, Question, Description,
Color, Target Type) are not read.

`Checkmarks.csv` (one row per day, newest first): Date, then one column per habit named as in
Habits.csv. A yes/no habit's value is 2 done, 3 skipped, 0 not done, 1 done by Loop's frequency
rule (not by the person) and -1 no answer: only 2 and 3 become check-ins. A numeric habit's value
is the amount in thousandths (Loop stores 2.5 km as 2500); above 0 it is a check-in of that
amount, 0 and -1 none. Loop ends the header and every row with a comma: the empty last column is
ignored. Every bad value is reported with its file, row and column; nothing is returned then.
"""

from dataclasses import dataclass
from datetime import date

from routinie.core.spreadsheet_safety import unguard_formula
from routinie.core.storable_text import has_unstorable
from routinie.tracking.routines.schedules import ScheduleSpec
from routinie.tracking.transfer.csv_files import csv_records, data_rows, decode_text
from routinie.tracking.transfer.loop_frequency import schedule_from_frequency
from routinie.tracking.transfer.loop_zip import CHECKMARKS, HABITS, read_loop_zip
from routinie.tracking.transfer.parsed import ImportRejected, RowError, quoted, reject

EARLIEST_DAY = date(2000, 1, 1)
MAX_HABITS = 1_000
MAX_DAYS = 50_000  # rows of Checkmarks.csv
MAX_CHECKINS = 200_000
MAX_NAME = 100  # Routine.name
MAX_UNIT = 30  # Routine.target_unit
YES, SKIP = 2, 3
NOTHING_YES_NO = {0, 1, -1}


@dataclass(frozen=True)
class LoopHabit:
    row: int
    name: str
    schedule: ScheduleSpec
    numeric: bool
    target_value: float | None
    target_unit: str
    archived: bool


@dataclass(frozen=True)
class LoopDay:
    """One check-in: a habit's day done (with its amount, for a numeric habit) or skipped."""

    habit: str
    day: date
    status: str  # "done" | "skipped"
    value: float | None


@dataclass(frozen=True)
class LoopExport:
    habits: list[LoopHabit]
    days: list[LoopDay]


def _norm(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").split()).casefold()


def _table(data: bytes, file: str, max_rows: int) -> tuple[list[str], list[tuple[int, list[str]]]]:
    try:
        text = decode_text(data)
    except ImportRejected as error:
        raise reject(0, f"{file}: {error.errors[0].message}") from None
    records = csv_records(text, ",")
    try:
        header = next(records, (1, []))[1]
        if not any(value.strip() for value in header):
            raise reject(1, "The file is empty; expected its header in row 1.")
        return header, data_rows(records, max_rows)
    except ImportRejected as error:
        message = error.errors[0].message
        if error.errors[0].row:  # an empty file, or a row that is not CSV
            raise reject(error.errors[0].row, f"{file}: {message}") from None
        raise reject(
            0, f"{file} has more than {max_rows:,} rows, the most one import accepts."
        ) from None


def _error(file: str, row: int, column: str, message: str) -> RowError:
    where = f"{file} row {row}" + (f", column {column}" if column else "")
    return RowError(row, message, where)


def _integer(text: str) -> int | None:
    try:
        return int(text.strip())
    except ValueError:
        return None


def _number(text: str) -> float | None:
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


class _Columns:
    def __init__(self, header: list[str]) -> None:
        self.index: dict[str, int] = {}
        self.label: dict[str, str] = {}
        for column, name in enumerate(header):
            key = _norm(name)
            if key and key not in self.index:
                self.index[key] = column
                self.label[key] = name.strip()

    def value(self, record: list[str], key: str) -> str:
        column = self.index.get(key)
        return record[column].strip() if column is not None and column < len(record) else ""

    def has(self, *keys: str) -> bool:
        return all(key in self.index for key in keys)


def _frequency_keys(columns: _Columns) -> tuple[str, str]:
    if columns.has("frequencynumerator", "frequencydenominator"):
        return "frequencynumerator", "frequencydenominator"
    if columns.has("numrepetitions", "interval"):
        return "numrepetitions", "interval"
    raise reject(
        1,
        f"{HABITS} row 1 lacks the frequency: expected the columns FrequencyNumerator and "
        "FrequencyDenominator (or NumRepetitions and Interval, from older versions).",
    )


def _habit(columns: _Columns, keys: tuple[str, str], row: int, record: list[str]) -> LoopHabit:
    problems: list[RowError] = []

    def bad(key: str, message: str) -> None:
        problems.append(_error(HABITS, row, columns.label.get(key, key), message))

    name = unguard_formula(columns.value(record, "name"))
    if not name:
        bad("name", "The habit has no name.")
    elif len(name) > MAX_NAME or has_unstorable(name):
        bad("name", f"The name {quoted(name)} is longer than {MAX_NAME} characters or holds NUL.")
    numerator, denominator = (_integer(columns.value(record, key)) for key in keys)
    schedule = schedule_from_frequency(numerator or 0, denominator or 0)
    if schedule is None:
        bad(keys[0], "The frequency is not two whole numbers above 0 (N times in D days).")
    kind = columns.value(record, "type").upper()
    if kind not in {"", "YES_NO", "NUMERICAL", "0", "1"}:
        bad("type", f"The type {quoted(kind)} is not YES_NO or NUMERICAL.")
    numeric = kind in {"NUMERICAL", "1"}
    target: float | None = None
    unit = unguard_formula(columns.value(record, "unit")) if numeric else ""
    if numeric:
        target = _number(columns.value(record, "target value"))
        if target is None or not 0 < target <= 1_000_000:
            bad("target value", "A numeric habit's target is a number above 0, at most 1000000.")
        if len(unit) > MAX_UNIT or has_unstorable(unit):
            bad("unit", f"The unit is longer than {MAX_UNIT} characters or holds NUL.")
    archived = columns.value(record, "archived?").casefold()
    if archived not in {"", "true", "false"}:
        bad("archived?", f"Archived? {quoted(archived)} is not true or false.")
    if problems:
        raise ImportRejected(problems)
    assert schedule is not None
    return LoopHabit(row, name, schedule, numeric, target, unit, archived == "true")


def _habits(data: bytes) -> list[LoopHabit]:
    header, rows = _table(data, HABITS, MAX_HABITS)
    columns = _Columns(header)
    if not columns.has("name"):
        raise reject(1, f"{HABITS} row 1 has no Name column; it is not Loop's habit list.")
    keys = _frequency_keys(columns)
    habits: list[LoopHabit] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for row, record in rows:
        try:
            habit = _habit(columns, keys, row, record)
        except ImportRejected as rejected:
            errors.extend(rejected.errors)
            continue
        if habit.name in seen:
            message = f"A second habit named {quoted(habit.name)} (row {seen[habit.name]} too)."
            errors.append(_error(HABITS, row, columns.label["name"], message))
        seen[habit.name] = row
        habits.append(habit)
    if errors:
        raise ImportRejected(errors)
    return habits


def _day_value(habit: LoopHabit, text: str) -> tuple[str, float | None] | str | None:
    """(status, value) of a cell, None for no check-in, or what is wrong with it."""
    number = _integer(text)
    if number is None:
        return f"{quoted(text)} is not a whole number"
    if habit.numeric:
        if number < -1:
            return f"{number} is not an amount (in thousandths) or -1"
        return ("done", number / 1000) if number > 0 else None
    if number == YES:
        return "done", None
    if number == SKIP:
        return "skipped", None
    if number in NOTHING_YES_NO:
        return None
    return f"{number} is not 2 (done), 3 (skipped), 0, 1 or -1"


def _days(data: bytes, habits: list[LoopHabit], today: date) -> list[LoopDay]:
    header, rows = _table(data, CHECKMARKS, MAX_DAYS)
    if _norm(header[0]) != "date":
        raise reject(1, f"{CHECKMARKS} row 1 starts with {quoted(header[0])}, not Date.")
    by_name = {habit.name: habit for habit in habits}
    columns: dict[int, LoopHabit] = {}
    errors: list[RowError] = []
    for column, label in enumerate(header[1:], start=1):
        name = unguard_formula(label.strip())
        if not name:
            continue  # Loop's trailing comma
        if name not in by_name:
            message = f"No habit named {quoted(name)} in {HABITS}."
            errors.append(_error(CHECKMARKS, 1, quoted(name), message))
        else:
            columns[column] = by_name[name]
    if errors:
        raise ImportRejected(errors)
    days: list[LoopDay] = []
    dated: dict[date, int] = {}
    for row, record in rows:
        text = record[0].strip()
        try:
            day = date.fromisoformat(text)
        except ValueError:
            errors.append(_error(CHECKMARKS, row, "Date", f"{quoted(text)} is not YYYY-MM-DD."))
            continue
        if not EARLIEST_DAY <= day <= today:
            message = f"{day} is not between {EARLIEST_DAY} and today ({today})."
            errors.append(_error(CHECKMARKS, row, "Date", message))
            continue
        if day in dated:
            message = f"A second row for {day} (row {dated[day]} too)."
            errors.append(_error(CHECKMARKS, row, "Date", message))
            continue
        dated[day] = row
        for column, value in enumerate(record[1:], start=1):
            habit = columns.get(column)
            if habit is None:
                if value.strip():
                    message = f"The value {quoted(value)} has no habit column above it."
                    errors.append(_error(CHECKMARKS, row, f"number {column + 1}", message))
                continue
            if not value.strip():
                continue
            found = _day_value(habit, value)
            if isinstance(found, str):
                errors.append(_error(CHECKMARKS, row, quoted(habit.name), found + "."))
            elif found is not None:
                days.append(LoopDay(habit.name, day, *found))
        if len(days) > MAX_CHECKINS:
            raise reject(0, f"The export has more than {MAX_CHECKINS:,} check-ins; too many.")
    if errors:
        raise ImportRejected(errors)
    return days


def parse_loop_export(data: bytes, *, today: date) -> LoopExport:
    """The habits and check-ins of a Loop export; ImportRejected naming every bad value."""
    habits_csv, checkmarks_csv = read_loop_zip(data)
    habits = _habits(habits_csv)
    return LoopExport(habits, _days(checkmarks_csv, habits, today))
