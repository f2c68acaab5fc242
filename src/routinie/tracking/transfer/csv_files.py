"""Reading a CSV export: bytes to text, rows as a spreadsheet numbers them, and the header that
says which tool wrote the file (never the file name)."""

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from routinie.tracking.transfer.parsed import (
    FORMAT_CLOCKIFY,
    FORMAT_ROUTINIE_CSV,
    FORMAT_TOGGL,
    quoted,
    reject,
    too_many,
)

# Normalised header names (trimmed, case-folded, inner whitespace collapsed).
# Normalised header names (trimmed, case-folded, inner whitespace collapsed).
WALL_CLOCK_REQUIRED = ("start date", "start time", "end date", "end time")
ROUTINIE_REQUIRED = ("description", "project", "tags", "start", "end")
# Written since issue 17: `breaks` is read back exactly, break_seconds follows from it.
ROUTINIE_OPTIONAL = ("id", "project_id", "duration_seconds", "break_seconds", "breaks")
CLOCKIFY_ONLY = {"group", "duration (h)", "duration (decimal)"}

EXPECTED_HEADERS = (
    "Expected the header of a Toggl Track detailed report (columns Start date, Start time, "
    "End date, End time; optionally Description, Project, Tags), of a Clockify detailed report "
    "(Start Date, Start Time, End Date, End Time; optionally Description, Project, Tags), or of "
    "a Routinie CSV export (id, description, project, project_id, tags, start, end, "
    "duration_seconds, break_seconds, breaks; id, project_id and the last three optional)."
)


def decode_text(data: bytes) -> str:
    # Excel's "Unicode Text" is UTF-16 with a BOM; without a BOM we only accept UTF-8.
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise reject(0, "The file starts like UTF-16 text but is damaged.") from None
    if data.startswith(b"PK\x03\x04"):
        raise reject(
            0, "The file looks like a spreadsheet workbook (.xlsx); export or save it as CSV."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise reject(
            0,
            f"The file is not UTF-8 text (byte {exc.start + 1} is not valid UTF-8). Export it "
            'again, or save it from your spreadsheet program as "CSV UTF-8".',
        ) from None
    if "\x00" in text:
        raise reject(
            0,
            "The file contains NUL characters, so it is not a UTF-8 text file (perhaps UTF-16 "
            'without a byte order mark). Save it as "CSV UTF-8".',
        )
    return text


@dataclass(frozen=True)
class CsvHeader:
    format: str
    width: int
    index: dict[str, int]  # normalised name → column number (the first column of that name)
    label: dict[str, str]  # normalised name → the name as written, for messages


def _norm(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").split()).casefold()


def _is_blank(record: list[str]) -> bool:
    # Spreadsheets save an empty row as a run of delimiters, which is as blank as an empty line.
    return all(not value.strip() for value in record)


def csv_records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (row, record); a row is a record, as a spreadsheet numbers it, not a text line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    row = 0
    while True:
        row += 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise reject(row, f"Row {row} cannot be read as CSV: {exc}.") from None
        yield row, record


def read_header(text: str) -> tuple[CsvHeader, Iterator[tuple[int, list[str]]]]:
    found: list[tuple[int, list[str], str]] = []
    # Comma is what the tools write; semicolon and tab appear after a spreadsheet re-saves the
    # file in some locales (Excel's UTF-16 "Unicode Text" is tab-separated).
    for delimiter in (",", ";", "\t"):
        records = csv_records(text, delimiter)
        for row, record in records:
            if not _is_blank(record):
                header = _recognise(record)
                if isinstance(header, CsvHeader):
                    return header, records
                found.append((row, record, header))
                break
        else:
            raise reject(0, "The file is empty.")
    row, record, problem = found[0]
    listed = ", ".join(quoted(name) for name in record[:20])
    raise reject(
        row,
        f"Row {row} is not a header this importer knows{problem}. "
        f"{EXPECTED_HEADERS} Found: {listed}.",
    )


def _recognise(record: list[str]) -> CsvHeader | str:
    """The header's format, or why it is not one (a clause to append to the message)."""
    index: dict[str, int] = {}
    label: dict[str, str] = {}
    for column, name in enumerate(record):
        key = _norm(name)
        if key and key not in index:
            index[key] = column
            label[key] = name.strip()
    keys = set(index)

    def header(fmt: str) -> CsvHeader:
        return CsvHeader(format=fmt, width=len(record), index=index, label=label)

    if {"start", "end"} <= keys:
        missing = [key for key in ROUTINIE_REQUIRED if key not in keys]
        unexpected = sorted(keys - set(ROUTINIE_REQUIRED) - set(ROUTINIE_OPTIONAL))
        if not missing and not unexpected:
            return header(FORMAT_ROUTINIE_CSV)
        clauses = []
        if missing:
            clauses.append(f"lacks {', '.join(missing)}")
        if unexpected:
            clauses.append(f"has unexpected column(s) {', '.join(label[k] for k in unexpected)}")
        return f" (it looks like a Routinie export but {' and '.join(clauses)})"

    present = [key for key in WALL_CLOCK_REQUIRED if key in keys]
    if len(present) == len(WALL_CLOCK_REQUIRED):
        clockify = any(
            key in CLOCKIFY_ONLY or key.startswith(("billable rate", "billable amount"))
            for key in keys
        )
        toggl = any(key in {"duration", "amount"} or key.startswith("amount (") for key in keys)
        if clockify != toggl:
            return header(FORMAT_CLOCKIFY if clockify else FORMAT_TOGGL)
        # Without a telling column, the capitalisation is the only difference left:
        # Toggl writes "Start date", Clockify "Start Date". Both parsers read ISO dates alike.
        written = label["start date"]
        return header(FORMAT_TOGGL if written == "Start date" else FORMAT_CLOCKIFY)
    if len(present) >= 2:
        missing = [key.title() for key in WALL_CLOCK_REQUIRED if key not in keys]
        return f" (it looks like a Toggl Track or Clockify report but lacks {', '.join(missing)})"
    return ""


def data_rows(
    records: Iterator[tuple[int, list[str]]], max_rows: int
) -> list[tuple[int, list[str]]]:
    rows: list[tuple[int, list[str]]] = []
    for row, record in records:
        if _is_blank(record):
            continue
        if len(rows) >= max_rows:
            # Stop reading at once: the limit exists so a huge file costs little.
            raise reject(0, too_many(max_rows))
        rows.append((row, record))
    return rows


def field_value(header: CsvHeader, record: list[str], key: str) -> str:
    column = header.index.get(key)
    if column is None or column >= len(record):
        return ""
    return record[column]


def width_problem(header: CsvHeader, record: list[str]) -> str | None:
    extra = record[header.width :]
    if any(value.strip() for value in extra):
        return (
            f"the row has {len(record)} values but the header has {header.width} columns "
            "(a value containing a comma may have lost its quotes)"
        )
    return None
