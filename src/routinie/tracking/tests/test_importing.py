"""Parsing of Toggl Track, Clockify and Routinie exports: plain data, no database."""

import csv
import dataclasses
import io
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routinie.core.spreadsheet_safety import FORMULA_STARTS, guard_formula, unguard_formula
from routinie.tracking.transfer.importing import parse_time_entries
from routinie.tracking.transfer.parsed import ImportRejected, ParsedEntry, RowError

SAMPLES = Path(__file__).parent / "samples"
BUCHAREST = ZoneInfo("Europe/Bucharest")  # UTC+2 in winter, UTC+3 in summer
ROUTINIE_HEADER = "id,description,project,project_id,tags,start,end,duration_seconds"
TOGGL_HEADER = (
    "User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,"
    "End time,Duration,Tags,Amount (EUR)"
)


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def parse(data: bytes, tz: ZoneInfo = BUCHAREST, **kwargs: int) -> tuple[str, list[ParsedEntry]]:
    return parse_time_entries(data, timezone=tz, **kwargs)


def rejected(data: bytes, tz: ZoneInfo = BUCHAREST, **kwargs: int) -> list[RowError]:
    with pytest.raises(ImportRejected) as info:
        parse_time_entries(data, timezone=tz, **kwargs)
    return info.value.errors


def toggl_row(
    start: str, end: str, description: str = "Work", tags: str = "", project: str = ""
) -> str:
    start_date, start_time = start.split(" ")
    end_date, end_time = end.split(" ")
    return (
        f"Ana,ana@example.com,,{project},,{description},No,{start_date},{start_time},{end_date},{end_time},"
        f',"{tags}",0.00'
    )


def toggl(*rows: str) -> bytes:
    return "\r\n".join([TOGGL_HEADER, *rows, ""]).encode("utf-8-sig")


# --- Toggl Track -------------------------------------------------------------------------------
def test_toggl_detailed_report_is_recognised_and_converted_to_utc() -> None:
    data = sample("toggl_detailed.csv")
    assert data.startswith(b"\xef\xbb\xbf")  # Toggl writes a UTF-8 BOM
    fmt, entries = parse(data)
    assert fmt == "toggl"
    assert entries == [
        ParsedEntry(
            row=2,
            description="Homepage hero, v2",
            project="Website",
            tags=["design", "client"],
            start=utc(2026, 1, 12, 7, 0),
            end=utc(2026, 1, 12, 8, 30),
        ),
        # Ends after local midnight: the End date is the next day.
        ParsedEntry(
            row=3,
            description="Invoices",
            project="Admin",
            tags=[],
            start=utc(2026, 1, 12, 21, 30),
            end=utc(2026, 1, 12, 22, 15),
        ),
        # The quoted description spans two lines yet is one spreadsheet row; tags are trimmed,
        # de-duplicated and empty ones dropped; no project is None.
        ParsedEntry(
            row=4,
            description="Call with Bogdan\r\n(follow-up, notes in doc)",
            project=None,
            tags=["calls"],
            start=utc(2026, 1, 13, 12, 0),
            end=utc(2026, 1, 13, 12, 20),
        ),
    ]
    assert all(entry.start.tzinfo is UTC and entry.end.tzinfo is UTC for entry in entries)


@pytest.mark.parametrize(
    "name", ["toggl_detailed.csv", "toggl_no_amount.csv", "clockify_us_12h.csv"]
)
def test_user_and_email_never_reach_the_output(name: str) -> None:
    _, entries = parse(sample(name))
    assert {field.name for field in dataclasses.fields(ParsedEntry)} == {
        "row",
        "description",
        "project",
        "tags",
        "start",
        "end",
        "breaks",
    }
    assert entries
    assert "ana.pop@example.com" not in repr(entries)
    assert "Ana Pop" not in repr(entries)


def test_toggl_without_amount_column() -> None:
    fmt, entries = parse(sample("toggl_no_amount.csv"))
    assert fmt == "toggl"
    assert entries == [
        ParsedEntry(
            row=2,
            description="Copy review",
            project="Website",
            tags=["writing"],
            start=utc(2026, 2, 2, 6, 5),
            end=utc(2026, 2, 2, 6, 50, 30),
        )
    ]


def test_toggl_with_empty_currency_and_only_the_required_columns() -> None:
    empty_currency = TOGGL_HEADER.replace("Amount (EUR)", "Amount ()")
    data = (
        empty_currency + "\n" + toggl_row("2026-01-12 09:00:00", "2026-01-12 10:00:00")
    ).encode()
    assert parse(data)[0] == "toggl"
    minimal = b"Start date,Start time,End date,End time\n2026-01-12,09:00:00,2026-01-12,09:30:00\n"
    fmt, entries = parse(minimal)
    assert fmt == "toggl"  # Toggl's capitalisation: "Start date"
    assert entries[0].description == ""
    assert entries[0].project is None
    assert entries[0].start == utc(2026, 1, 12, 7, 0)


def test_utf16_with_bom_as_excel_saves_unicode_text() -> None:
    text = sample("toggl_detailed.csv").decode("utf-8-sig")
    # Excel's "Unicode Text" is UTF-16 LE with a BOM, separated by tabs.
    rows = list(csv.reader(io.StringIO(text, newline="")))
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter="\t").writerows(rows)
    data = buffer.getvalue().encode("utf-16")
    assert data[:2] == b"\xff\xfe"
    assert parse(data) == parse(sample("toggl_detailed.csv"))


def test_semicolon_separated_file_after_a_spreadsheet_resave() -> None:
    text = sample("toggl_no_amount.csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";").writerows(rows)
    assert parse(buffer.getvalue().encode()) == parse(sample("toggl_no_amount.csv"))


# --- Clockify ----------------------------------------------------------------------------------
def test_clockify_us_dates_and_12_hour_times() -> None:
    fmt, entries = parse(sample("clockify_us_12h.csv"))
    assert fmt == "clockify"
    assert entries == [
        ParsedEntry(
            row=2,
            description="Standup",
            project="Website",
            tags=["meetings"],
            start=utc(2026, 1, 5, 7, 15),
            end=utc(2026, 1, 5, 7, 30),
        ),
        # 11:45 PM is 23:45 and 12:20 AM the next day is 00:20.
        ParsedEntry(
            row=3,
            description="Late night fix",
            project="Website",
            tags=["bugs", "urgent"],
            start=utc(2026, 1, 5, 21, 45),
            end=utc(2026, 1, 5, 22, 20),
        ),
        # 12:05 PM is just after noon.
        ParsedEntry(
            row=4,
            description="Lunch walk",
            project=None,
            tags=[],
            start=utc(2026, 1, 13, 10, 5),
            end=utc(2026, 1, 13, 10, 50),
        ),
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12:00 AM", (0, 0, 0)),
        ("12:59:59 AM", (0, 59, 59)),
        ("12:00 PM", (12, 0, 0)),
        ("12:30:15 pm", (12, 30, 15)),
        ("1:05 PM", (13, 5, 0)),
        ("11:59 p.m.", (23, 59, 0)),
        ("7:00 AM", (7, 0, 0)),
        ("00:10", (0, 10, 0)),
        ("23:10:05", (23, 10, 5)),
    ],
)
def test_clockify_time_values(value: str, expected: tuple[int, int, int]) -> None:
    data = (
        f"Start Date,Start Time,End Date,End Time\n2026-01-20,{value},2026-01-21,{value}\n".encode()
    )
    _, [entry] = parse(data, ZoneInfo("UTC"))
    assert (entry.start.hour, entry.start.minute, entry.start.second) == expected
    assert entry.end - entry.start == timedelta(days=1)


@pytest.mark.parametrize("value", ["13:00 PM", "0:30 AM", "24:00", "9.30", "10:60", "noon"])
def test_clockify_bad_time_values(value: str) -> None:
    data = f"Start Date,Start Time,End Date,End Time\n2026-01-20,{value},2026-01-20,23:00\n"
    [error] = rejected(data.encode())
    assert error.row == 2
    assert f'Start Time "{value}" is not a time' in error.message


def test_clockify_day_first_detected_from_any_day_above_12() -> None:
    fmt, entries = parse(sample("clockify_day_first_24h.csv"))
    assert fmt == "clockify"
    # 03/02/2026 alone is ambiguous; 25/01/2026 elsewhere in the file makes it 3 February.
    assert [(entry.start, entry.end) for entry in entries] == [
        (utc(2026, 2, 3, 15, 45), utc(2026, 2, 3, 17, 0)),
        (utc(2026, 1, 25, 6, 0), utc(2026, 1, 25, 7, 30)),
    ]
    assert entries[0].tags == ["reading"]


def test_clockify_ambiguous_dates_are_month_first() -> None:
    data = b"Start Date,Start Time,End Date,End Time\n03/02/2026,09:00,03/02/2026,10:00\n"
    _, [entry] = parse(data)
    assert entry.start == utc(2026, 3, 2, 7, 0)  # 2 March (EET, UTC+2)


def test_clockify_month_first_detected_from_any_second_number_above_12() -> None:
    data = (
        b"Start Date,Start Time,End Date,End Time\n"
        b"03/02/2026,09:00,03/02/2026,10:00\n"
        b"01/20/2026,09:00,01/20/2026,10:00\n"
    )
    _, entries = parse(data)
    assert [entry.start.date().isoformat() for entry in entries] == ["2026-03-02", "2026-01-20"]


def test_clockify_dotted_dates_are_day_first() -> None:
    # Clockify offers DD.MM.YYYY and no month-first dotted layout.
    data = b"Start Date,Start Time,End Date,End Time\n03.02.2026,09:00,03.02.2026,10:00\n"
    _, [entry] = parse(data)
    assert entry.start == utc(2026, 2, 3, 7, 0)


def test_clockify_dates_that_contradict_the_file_layout_are_bad_rows() -> None:
    data = (
        b"Start Date,Start Time,End Date,End Time\n"
        b"25/01/2026,09:00,25/01/2026,10:00\n"
        b"26/01/2026,09:00,26/01/2026,10:00\n"
        b"01/27/2026,09:00,01/27/2026,10:00\n"
    )
    [error] = rejected(data)
    assert error.row == 4
    assert 'Start Date "01/27/2026" is not a date DD/MM/YYYY' in error.message


def test_clockify_reordered_minimal_columns() -> None:
    fmt, entries = parse(sample("clockify_reordered_minimal.csv"))
    assert fmt == "clockify"
    assert entries == [
        ParsedEntry(
            row=2,
            description="Deep work",
            project=None,
            tags=["focus"],
            start=utc(2026, 1, 20, 7, 0),
            end=utc(2026, 1, 20, 9, 0),
        ),
        ParsedEntry(
            row=3,
            description="Email",
            project=None,
            tags=[],
            start=utc(2026, 1, 21, 5, 30),
            end=utc(2026, 1, 21, 5, 45),
        ),
    ]


# --- Routinie ----------------------------------------------------------------------------------
def test_routinie_csv() -> None:
    fmt, entries = parse(sample("routinie.csv"))
    assert fmt == "routinie-csv"
    assert entries == [
        ParsedEntry(
            row=2,
            description="Morning pages",
            project="Writing",
            tags=["journal", "morning"],
            start=utc(2026, 11, 24, 5, 30),
            end=utc(2026, 11, 24, 6, 0),
        ),
        ParsedEntry(
            row=3,
            description="Code review, backend",
            project=None,
            tags=[],
            start=utc(2026, 11, 23, 13, 0),
            end=utc(2026, 11, 23, 14, 15),
        ),
    ]


def test_routinie_csv_columns_in_any_order_and_optional_ones_missing() -> None:
    data = (
        b"end,start,tags,project,description\n"
        b"2026-01-05T10:00:00+00:00,2026-01-05T09:00:00+00:00,a,,X\n"
    )
    fmt, [entry] = parse(data)
    assert fmt == "routinie-csv"
    assert (entry.description, entry.tags, entry.start) == ("X", ["a"], utc(2026, 1, 5, 9))


def test_routinie_csv_running_timer_is_refused() -> None:
    data = f"{ROUTINIE_HEADER}\n1,Timer,,,,2026-11-24T09:30:00+02:00,,\n".encode()
    assert rejected(data) == [RowError(2, "A running timer (no end) cannot be imported.")]


def test_routinie_json_object_form() -> None:
    fmt, entries = parse(sample("routinie.json"))
    assert fmt == "routinie-json"
    assert entries == [
        ParsedEntry(
            row=1,
            description="Morning pages",
            project="Writing",
            tags=["journal", "morning"],
            start=utc(2026, 11, 24, 5, 30),
            end=utc(2026, 11, 24, 6, 0),
        ),
        # No offset: read in the user's time zone (Bucharest, UTC+2 in November).
        ParsedEntry(
            row=2,
            description="Gym",
            project=None,
            tags=[],
            start=utc(2026, 11, 23, 16, 0),
            end=utc(2026, 11, 23, 17, 10),
        ),
    ]


def test_routinie_json_list_form_and_bad_items() -> None:
    items = [
        {"description": "ok", "start": "2026-01-05T09:00:00Z", "end": "2026-01-05T10:00:00Z"},
        {"description": "running", "start": "2026-01-05T09:00:00Z", "end": None},
        "not an object",
        {"description": 5, "tags": "a, b", "start": "yesterday", "end": "2026-01-05"},
    ]
    data = json.dumps(items).encode()
    errors = rejected(data)
    assert [error.row for error in errors] == [2, 3, 4]
    assert "running timer (no end) cannot be imported" in errors[0].message
    assert "not an object" in errors[1].message
    assert "tags must be a list" in errors[2].message
    assert errors[2].message.startswith("Description must be text; tags")
    assert 'start "yesterday" is not a date and time like 2026-11-24T09:30:00+02:00' in (
        errors[2].message
    )
    assert 'end "2026-01-05" is not a date and time' in errors[2].message
    fmt, [entry] = parse(json.dumps(items[:1]).encode())
    assert fmt == "routinie-json"
    assert entry.row == 1
    assert entry.project is None
    assert entry.tags == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"[{]", "The file is not valid JSON (line 1, column 3"),
        (b'{"entries": []}', 'nor an object with a "time_entries" list'),
    ],
)
def test_broken_json(data: bytes, message: str) -> None:
    [error] = rejected(data)
    assert error.row == 0
    assert message in error.message


def test_round_trip_through_a_routinie_csv() -> None:
    entries = [
        ParsedEntry(
            2,
            "Write, then edit",
            "Book",
            ["writing", "deep"],
            utc(2026, 1, 3, 8),
            utc(2026, 1, 3, 9, 45),
        ),
        ParsedEntry(
            3, 'Said "hi"\nthen left', None, [], utc(2026, 1, 4, 22), utc(2026, 1, 5, 1, 30)
        ),
        ParsedEntry(4, "", "Ops", ["on-call"], utc(2026, 1, 6, 0), utc(2026, 1, 13, 0)),
    ]
    assert parse(routinie_csv(entries)) == ("routinie-csv", entries)


def routinie_csv(entries: list[ParsedEntry], offset: timedelta = timedelta(hours=2)) -> bytes:
    zone = timezone(offset)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(ROUTINIE_HEADER.split(","))
    for number, entry in enumerate(entries):
        writer.writerow(
            [
                f"id-{number}",
                guard_formula(entry.description),  # as the export writes them
                guard_formula(entry.project or ""),
                "",
                ", ".join(guard_formula(tag) for tag in entry.tags),
                entry.start.astimezone(zone).isoformat(),
                entry.end.astimezone(zone).isoformat(),
                int((entry.end - entry.start).total_seconds()),
            ]
        )
    return buffer.getvalue().encode()


printable = st.characters(blacklist_categories=("Cs", "Cc"))
descriptions = st.text(printable | st.sampled_from('\n\r,"'), max_size=500).map(str.strip)
names = st.text(printable, min_size=1, max_size=100).map(str.strip).filter(bool)
tags = st.text(printable.filter(lambda c: c != ","), min_size=1, max_size=50).map(str.strip)


@settings(max_examples=200)
@given(
    rows=st.lists(
        st.tuples(
            descriptions,
            st.none() | names,
            st.lists(tags.filter(bool), unique=True, max_size=5),
            st.datetimes(datetime(2000, 1, 1), datetime(2026, 1, 1), timezones=st.just(UTC)),
            st.timedeltas(timedelta(0), timedelta(days=7)),
        ),
        min_size=1,
        max_size=5,
    ),
    offset_minutes=st.integers(-12 * 4, 14 * 4).map(lambda quarters: quarters * 15),
)
def test_property_routinie_csv_round_trip(
    rows: list[tuple[str, str | None, list[str], datetime, timedelta]], offset_minutes: int
) -> None:
    entries = [
        ParsedEntry(number, description, project, tag_list, start, start + duration)
        for number, (description, project, tag_list, start, duration) in enumerate(rows, start=2)
    ]
    data = routinie_csv(entries, timedelta(minutes=offset_minutes))
    _, parsed = parse(data)
    assert [(e.start, e.end, e.description, e.tags, e.project) for e in parsed] == [
        (e.start, e.end, e.description, e.tags, e.project) for e in entries
    ]


# --- Bad rows ----------------------------------------------------------------------------------
def test_three_bad_rows_are_all_listed_with_reasons() -> None:
    errors = rejected(sample("bad_toggl_three_rows.csv"))
    # Row 6 is blank, so the nine-day entry is row 7, as a spreadsheet shows it.
    assert [error.row for error in errors] == [3, 5, 7]
    assert 'Start date "2026-02-30" is not a date YYYY-MM-DD' in errors[0].message
    assert 'End date "2026-02-30" is not a date YYYY-MM-DD' in errors[0].message
    assert "ends (2026-01-14 09:00 Europe/Bucharest) before it starts (2026-01-14 10:00" in (
        errors[1].message
    )
    assert "longer than the 7-day maximum for one entry" in errors[2].message


def test_dst_gap_is_refused() -> None:
    # Bucharest skipped 03:00-04:00 on 29 March 2026.
    data = toggl(toggl_row("2026-03-29 03:30:00", "2026-03-29 05:00:00"))
    [error] = rejected(data)
    assert error.row == 2
    assert "start time 2026-03-29 03:30 does not exist in Europe/Bucharest" in error.message


def test_dst_ambiguous_time_is_the_first_occurrence() -> None:
    # On 25 October 2026 Bucharest's clocks went from 04:00 EEST back to 03:00 EET.
    data = toggl(toggl_row("2026-10-25 03:30:00", "2026-10-25 03:45:00"))
    _, [entry] = parse(data)
    assert entry.start == utc(2026, 10, 25, 0, 30)  # 03:30 EEST (UTC+3), the first one
    assert entry.end == utc(2026, 10, 25, 0, 45)


def test_dst_ambiguous_end_before_start_means_the_second_occurrence() -> None:
    data = toggl(toggl_row("2026-10-25 03:50:00", "2026-10-25 03:10:00"))
    _, [entry] = parse(data)
    assert entry.start == utc(2026, 10, 25, 0, 50)
    assert entry.end == utc(2026, 10, 25, 1, 10)  # 03:10 EET (UTC+2), after the change


def test_entry_across_dst_change_keeps_its_real_duration() -> None:
    data = toggl(toggl_row("2026-03-29 01:00:00", "2026-03-29 05:00:00"))
    _, [entry] = parse(data)
    assert entry.end - entry.start == timedelta(hours=3)


def test_length_limits_and_future_start() -> None:
    soon = datetime.now(BUCHAREST) + timedelta(days=3)
    start, end = (
        soon.strftime("%Y-%m-%d %H:%M:%S"),
        (soon + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S"),
    )
    data = toggl(
        toggl_row(
            "2026-01-12 09:00:00", "2026-01-12 10:00:00", description="d" * 501, project="p" * 101
        ),
        toggl_row("2026-01-12 09:00:00", "2026-01-12 10:00:00", tags=f"ok, {'t' * 51}"),
        toggl_row(start, end),
        toggl_row("2026-01-12 09:00:00", "2026-01-12 10:00:00", description="d" * 500),
    )
    errors = rejected(data)
    assert [error.row for error in errors] == [2, 3, 4]
    assert "The description has 501 characters, more than 500" in errors[0].message
    assert "the project name has 101 characters, more than 100" in errors[0].message
    assert "has 51 characters, more than 50" in errors[1].message
    assert "more than 1 day in the future" in errors[2].message


def test_start_less_than_a_day_ahead_and_zero_length_entries_are_fine() -> None:
    # In UTC, so that no run of the suite can land in a DST gap.
    soon = (datetime.now(UTC) + timedelta(hours=20)).strftime("%Y-%m-%d %H:%M:%S")
    _, [entry] = parse(toggl(toggl_row(soon, soon)), ZoneInfo("UTC"))
    assert entry.start == entry.end


def test_a_row_with_more_values_than_the_header() -> None:
    data = toggl(toggl_row("2026-01-12 09:00:00", "2026-01-12 10:00:00") + ",oops")
    [error] = rejected(data)
    assert "The row has 15 values but the header has 14 columns" in error.message


def test_empty_required_value() -> None:
    data = toggl(toggl_row("2026-01-12 09:00:00", "2026-01-12 10:00:00").replace("10:00:00", ""))
    [error] = rejected(data)
    assert error.message == "End time is empty (expected a time HH:MM:SS (24-hour))."


def test_blank_lines_are_ignored_and_header_only_means_no_entries() -> None:
    data = toggl("", ",,,,,,,,,,,,,", toggl_row("2026-01-12 09:00:00", "2026-01-12 10:00:00"), "")
    _, [entry] = parse(data)
    assert entry.row == 4
    assert parse(toggl()) == ("toggl", [])


# --- Whole-file problems -----------------------------------------------------------------------
def test_unknown_header_is_refused_naming_the_expected_columns() -> None:
    [error] = rejected(sample("bad_unknown_header.csv"))
    assert error.row == 1
    for column in ("Start date", "Start Date", "End Time", "start, end", "Description"):
        assert column in error.message
    assert 'Found: "Date", "Hours", "Activity"' in error.message


def test_header_missing_a_required_column_says_which() -> None:
    [error] = rejected(
        b"Description,Start date,Start time,End date\nx,2026-01-12,09:00,2026-01-12\n"
    )
    assert error.row == 1
    assert "lacks End Time" in error.message
    [error] = rejected(b"description,project,start,end,notes\n")
    assert "looks like a Routinie export but lacks tags and has unexpected column(s) notes" in (
        error.message
    )


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n\r\n  \n", b",,,\n,,\n"])
def test_empty_file(data: bytes) -> None:
    assert rejected(data) == [RowError(0, "The file is empty.")]


def test_non_utf8_file_is_refused_clearly() -> None:
    [error] = rejected(sample("bad_windows_1252.csv"))
    assert error.row == 0
    assert error.message.startswith("The file is not UTF-8 text")
    assert "CSV UTF-8" in error.message


def test_binary_files_are_refused_clearly() -> None:
    assert "spreadsheet workbook" in rejected(b"PK\x03\x04rest-of-zip")[0].message
    utf16_without_bom = TOGGL_HEADER.encode("utf-16-le")
    assert "NUL characters" in rejected(utf16_without_bom)[0].message


def test_more_than_max_rows() -> None:
    rows = [toggl_row("2026-01-12 09:00:00", "2026-01-12 10:00:00")] * 4
    assert len(parse(toggl(*rows), max_rows=4)[1]) == 4
    [error] = rejected(toggl(*rows), max_rows=3)
    assert error.row == 0
    assert "more than 3 entries" in error.message
    items = [{"start": "2026-01-05T09:00:00Z", "end": "2026-01-05T10:00:00Z"}] * 4
    assert "more than 3 entries" in rejected(json.dumps(items).encode(), max_rows=3)[0].message


def test_rejection_summary_keeps_user_data_out_of_logs() -> None:
    with pytest.raises(ImportRejected) as info:
        parse(toggl(toggl_row("2026-01-12 09:00:00", "2026-01-12 10:00:00", tags="x" * 60)))
    assert str(info.value) == "1 problem(s) in the file, rows [2]"
    assert "xxx" in info.value.errors[0].message


@pytest.mark.parametrize(
    "text", ["=1+1", "'=1+1", "''", "'", "'x", "''=x", "'\r0", "\t", "plain", "-", "@sum"]
)
def test_the_formula_guard_comes_off_exactly(text: str) -> None:
    guarded = guard_formula(text)
    assert not guarded.startswith(FORMULA_STARTS)
    assert unguard_formula(guarded) == text
