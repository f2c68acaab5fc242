"""Durations as people type them (Toggl's and Clockify's users): one parser for every field."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from routinie.core.errors import InvalidInput
from routinie.tracking.entries.durations import MAX_SECONDS, duration_text, parse_duration


@pytest.mark.parametrize(
    ("typed", "seconds"),
    [
        ("1h30", 5400),
        ("1h 30m", 5400),
        ("1H30M", 5400),
        ("1h", 3600),
        ("90m", 5400),
        ("90 min", 5400),
        ("45mins", 2700),
        ("1:30", 5400),
        ("0:05", 300),
        ("1:30:15", 5415),
        ("1.5", 5400),
        ("1,5", 5400),
        ("2", 7200),
        ("0.25", 900),
        ("1.5h", 5400),
        ("30s", 30),
        ("2 hours", 7200),
        ("  1h30  ", 5400),
        ("24", 86400),
    ],
)
def test_the_ways_people_type_a_duration(typed, seconds):
    assert parse_duration(typed) == seconds


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Type a duration"),
        ("abc", "is not a duration"),
        ("1:75", "is not a duration"),
        ("h", "is not a duration"),
        ("-1", "is not a duration"),
        ("0", "longer than zero"),
        ("0:00", "longer than zero"),
        ("90", "for minutes write 90m"),
        ("25h", "at most 24 hours"),
        ("1h30x", "is not a duration"),
    ],
)
def test_what_is_not_a_duration_is_refused_with_a_reason(typed, says):
    with pytest.raises(InvalidInput) as refused:
        parse_duration(typed, field="cell")
    assert says in refused.value.detail
    assert refused.value.errors[0].field == "cell"


@given(st.integers(min_value=1, max_value=MAX_SECONDS))
def test_what_is_shown_reads_back_as_the_same_duration(seconds):
    assert parse_duration(duration_text(seconds)) == seconds
