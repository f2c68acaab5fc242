"""Durations typed as people type them, in one place: the timesheet's cells, the manual entry's
length and the API read them through `parse_duration`, and `duration_text` writes them back.

Accepted (spaces and case do not matter, a comma may stand for the decimal point):
`1h30`, `1h 30m`, `1h`, `90m`, `45min`, `1:30` (hours:minutes), `1:30:15` (h:m:s), `1.5` and
`1,5` (hours, as Clockify reads a bare number), `30s`. A bare whole number is hours too, as in
Clockify, so `2` is two hours; over 24 it is refused with a hint (`90` probably meant `90m`).
"""

import re

from routinie.core.errors import InvalidInput

MAX_SECONDS = 24 * 3600  # one cell of a timesheet, one manual entry: at most a day

_UNITS = re.compile(
    r"^(?:(?P<h>\d+(?:[.,]\d+)?)\s*h(?:ours?|rs?)?)?\s*"
    r"(?:(?P<m>\d+(?:[.,]\d+)?)\s*m(?:in(?:utes?|s)?)?)?\s*"
    r"(?:(?P<s>\d+)\s*s(?:ec(?:onds?|s)?)?)?$"
)
_HOURS_THEN_MINUTES = re.compile(r"^(?P<h>\d+)\s*h\s*(?P<m>\d{1,2})$")  # 1h30
_CLOCK = re.compile(r"^(?P<h>\d+):(?P<m>[0-5]?\d)(?::(?P<s>[0-5]?\d))?$")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def parse_duration(text: str, *, field: str = "duration") -> int:
    """Seconds of a typed duration; InvalidInput (naming `field`) when it is not one, is zero,
    or is longer than a day."""
    typed = text.strip().lower()
    seconds: float | None = None
    if not typed:
        raise InvalidInput.on(field, "Type a duration, such as 1h30, 90m, 1:30 or 1.5.")
    if match := _CLOCK.match(typed):
        seconds = int(match["h"]) * 3600 + int(match["m"]) * 60 + int(match["s"] or 0)
    elif match := _HOURS_THEN_MINUTES.match(typed):
        seconds = int(match["h"]) * 3600 + int(match["m"]) * 60
    elif _NUMBER.match(typed):
        hours = _number(typed)
        if hours > MAX_SECONDS / 3600:
            raise InvalidInput.on(
                field, f"{typed} hours is more than a day; for minutes write {typed}m."
            )
        seconds = hours * 3600
    elif (match := _UNITS.match(typed)) and any(match.group(unit) for unit in "hms"):
        seconds = (
            _number(match["h"] or "0") * 3600
            + _number(match["m"] or "0") * 60
            + int(match["s"] or 0)
        )
    if seconds is None:
        raise InvalidInput.on(
            field, f"“{text.strip()}” is not a duration: type 1h30, 90m, 1:30 or 1.5."
        )
    whole = round(seconds)
    if whole <= 0:
        raise InvalidInput.on(field, "A duration must be longer than zero.")
    if whole > MAX_SECONDS:
        raise InvalidInput.on(field, "A duration can be at most 24 hours.")
    return whole


def duration_text(seconds: int) -> str:
    """How a duration is shown where it can be typed back: `1:30`, `0:05`, `2:00:15`."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if secs else f"{hours}:{minutes:02d}"
