"""Toggl Track's detailed report (CSV): ISO dates (YYYY-MM-DD) and 24-hour times."""

from routinie.tracking.transfer.csv_files import CsvHeader
from routinie.tracking.transfer.parsed import ImportContext, ParsedEntry, RowError
from routinie.tracking.transfer.wall_clock import wall_clock_row


def toggl_rows(
    header: CsvHeader, rows: list[tuple[int, list[str]]], context: ImportContext
) -> list[ParsedEntry | RowError]:
    """Every row of a Toggl Track report, parsed or refused."""
    return [wall_clock_row(header, row, record, "ymd", context) for row, record in rows]
