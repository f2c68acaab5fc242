"""Parse time entries exported from Toggl Track, Clockify or Routinie itself.

Plain data in, plain data out: no database access. The format is recognised from the header
(never from the file name); every bad row is reported, not just the first. Each format has its
module (`toggl`, `clockify`, `routinie`); what they share is in `parsed` and `csv_files`.

Decisions worth knowing:
- Wall-clock times (Toggl, Clockify, and ISO values without an offset) are read in the
  `timezone` given. A time in a DST gap is refused; an ambiguous time (the repeated hour when
  clocks fall back) means its first occurrence, except that an end which would then come before
  its start means the second occurrence.
- Clockify dates follow the exporting user's settings. The layout is detected from every date in
  the file: a first number above 12 means day-first, a second above 12 means month-first; with no
  such evidence, dotted dates (DD.MM.YYYY) are day-first and everything else is month-first,
  Clockify's default.
- User and Email columns are never read, so they can never leak into the result.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from routinie.tracking.transfer.clockify import clockify_rows
from routinie.tracking.transfer.csv_files import data_rows, decode_text, read_header
from routinie.tracking.transfer.parsed import (
    FORMAT_CLOCKIFY,
    FORMAT_ROUTINIE_CSV,
    FORMAT_ROUTINIE_JSON,
    ImportContext,
    ImportRejected,
    ParsedEntry,
    RowError,
    reject,
)
from routinie.tracking.transfer.routinie import parse_json, routinie_csv_rows
from routinie.tracking.transfer.toggl import toggl_rows


def parse_time_entries(
    data: bytes, *, timezone: ZoneInfo, max_rows: int = 50_000
) -> tuple[str, list[ParsedEntry]]:
    """Parse an export into (format, entries); raise ImportRejected listing every bad row.

    The format is "toggl", "clockify", "routinie-csv" or "routinie-json".
    """
    text = decode_text(data)
    if not text.strip():
        raise reject(0, "The file is empty.")
    context = ImportContext(timezone=timezone, now=datetime.now(UTC))
    if text.lstrip()[0] in "[{":
        return FORMAT_ROUTINIE_JSON, _collect(parse_json(text, context, max_rows))
    header, records = read_header(text)
    rows = data_rows(records, max_rows)
    if header.format == FORMAT_ROUTINIE_CSV:
        results = routinie_csv_rows(header, rows, context)
    elif header.format == FORMAT_CLOCKIFY:
        results = clockify_rows(header, rows, context)
    else:
        results = toggl_rows(header, rows, context)
    return header.format, _collect(results)


def _collect(results: list[ParsedEntry | RowError]) -> list[ParsedEntry]:
    errors = [result for result in results if isinstance(result, RowError)]
    if errors:
        raise ImportRejected(errors)
    return [result for result in results if isinstance(result, ParsedEntry)]
