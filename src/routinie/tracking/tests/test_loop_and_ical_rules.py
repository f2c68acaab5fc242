"""Plain-data rules of the Loop transfer and the iCal writer: Loop's frequency both ways, and
RFC 5545's folding and escaping, for any text (no database)."""

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from routinie.tracking.feed.ical import Event, calendar, escape_text, fold
from routinie.tracking.routines.schedules import ScheduleSpec
from routinie.tracking.transfer.loop_frequency import frequency_of, schedule_from_frequency


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (1, 1, ScheduleSpec("daily")),
        (7, 7, ScheduleSpec("daily")),
        (3, 7, ScheduleSpec("times_per_week", count=3)),
        (1, 7, ScheduleSpec("times_per_week", count=1)),
        (1, 2, ScheduleSpec("every_n_days", n=2)),
        (1, 30, ScheduleSpec("every_n_days", n=30)),
        (10, 30, ScheduleSpec("times_per_week", count=2)),
        (2, 3, ScheduleSpec("times_per_week", count=5)),
        (1, 400, ScheduleSpec("times_per_week", count=1)),
        (29, 30, ScheduleSpec("daily")),
        (0, 7, None),
        (3, 0, None),
    ],
)
def test_loops_frequency_becomes_the_closest_schedule(numerator, denominator, expected):
    assert schedule_from_frequency(numerator, denominator) == expected


@pytest.mark.parametrize(
    "spec",
    [
        ScheduleSpec("daily"),
        ScheduleSpec("times_per_week", count=4),
        ScheduleSpec("every_n_days", n=3),
    ],
)
def test_every_loop_shaped_schedule_goes_there_and_back(spec):
    assert schedule_from_frequency(*frequency_of(spec)) == spec


def test_chosen_weekdays_go_to_loop_as_so_many_a_week():
    assert frequency_of(ScheduleSpec("weekdays", days=(0, 2, 4))) == (3, 7)


def unfold(text: str) -> str:
    return text.replace("\r\n ", "")


@given(st.text(max_size=400))
def test_folding_keeps_every_line_within_75_octets_and_unfolds_to_the_same(text):
    line = "SUMMARY:" + escape_text(text)
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert unfold(folded) == line


@given(st.text(max_size=200))
def test_escaped_text_has_no_bare_separator_or_line_break(text):
    escaped = escape_text(text)
    assert "\n" not in escaped
    assert "\r" not in escaped
    bare = escaped.replace("\\\\", "").replace("\\;", "").replace("\\,", "")
    assert ";" not in bare
    assert "," not in bare


def test_a_calendar_is_crlf_text_with_dated_and_timed_events():
    stamp = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    text = calendar(
        "Mine",
        [
            Event("a@x", "Read, then\nsleep", date(2026, 12, 1), date(2026, 12, 2)),
            Event("b@x", "Work", stamp, datetime(2026, 11, 30, 13, 30, tzinfo=UTC)),
        ],
        stamp,
    )
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-2:] == ["END:VCALENDAR", ""]
    assert "SUMMARY:Read\\, then\\nsleep" in lines
    assert "DTSTART;VALUE=DATE:20261201" in lines
    assert "DTEND;VALUE=DATE:20261202" in lines
    assert "DTSTART:20261130T120000Z" in lines
    assert "DTEND:20261130T133000Z" in lines
    assert lines.count("DTSTAMP:20261130T120000Z") == 2
