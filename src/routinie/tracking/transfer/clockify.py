"""Clockify's detailed report (CSV): dates in the exporting person's layout (day-first or
month-first, detected from every date in the file) and 12- or 24-hour times."""

from collections.abc import Iterable

from routinie.tracking.transfer.csv_files import CsvHeader, field_value
from routinie.tracking.transfer.parsed import ImportContext, ParsedEntry, RowError
from routinie.tracking.transfer.wall_clock import YEAR_LAST, wall_clock_row


def clockify_rows(
    header: CsvHeader, rows: list[tuple[int, list[str]]], context: ImportContext
) -> list[ParsedEntry | RowError]:
    """Every row of a Clockify report, parsed or refused."""
    layout = detect_layout(
        field_value(header, record, key) for _, record in rows for key in ("start date", "end date")
    )
    return [wall_clock_row(header, row, record, layout, context) for row, record in rows]


def detect_layout(values: Iterable[str]) -> str:
    """Day-first ("dmy") or month-first ("mdy"), judged from every date in the file."""
    day_first = month_first = dotted = 0
    for value in values:
        match = YEAR_LAST.fullmatch(value.strip())
        if not match:
            continue
        first, second = int(match[1]), int(match[3])
        if first > 12 >= second:
            day_first += 1
        elif second > 12 >= first:
            month_first += 1
        dotted += match[2] == "."
    if day_first or month_first:
        # A file that mixes both has bad rows either way; the majority decides which they are.
        return "dmy" if day_first > month_first else "mdy"
    # Clockify offers DD.MM.YYYY but no month-first dotted layout; otherwise its default wins.
    return "dmy" if dotted else "mdy"
