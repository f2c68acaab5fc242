"""RFC 5545 text of a calendar: plain data in, text out.

Lines end with CRLF and are folded at 75 octets (a continuation starts with one space, never
inside a UTF-8 character); TEXT values escape backslash, semicolon, comma and newlines.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

PRODID = "-//Routinie//Calendar feed//EN"
LINE_OCTETS = 75


@dataclass(frozen=True)
class Event:
    """An all-day event (`start` and `end` are dates, end exclusive) or a timed one (UTC)."""

    uid: str
    summary: str
    start: date | datetime
    end: date | datetime
    description: str = ""


def escape_text(value: str) -> str:
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """The content line folded so that no physical line is longer than 75 octets."""
    parts: list[str] = []
    current, size, limit = "", 0, LINE_OCTETS
    for char in line:
        octets = len(char.encode())
        if size + octets > limit:
            parts.append(current)
            current, size, limit = " ", 1, LINE_OCTETS
        current += char
        size += octets
    parts.append(current)
    return "\r\n".join(parts)


def _when(name: str, value: date | datetime) -> str:
    if isinstance(value, datetime):
        return f"{name}:{value.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    return f"{name};VALUE=DATE:{value:%Y%m%d}"


def calendar(name: str, events: Iterable[Event], stamp: datetime) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    dtstamp = f"DTSTAMP:{stamp.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    for event in events:
        lines += ["BEGIN:VEVENT", f"UID:{event.uid}", dtstamp]
        lines += [_when("DTSTART", event.start), _when("DTEND", event.end)]
        lines.append(f"SUMMARY:{escape_text(event.summary)}")
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        if isinstance(event.start, date) and not isinstance(event.start, datetime):
            lines.append("TRANSP:TRANSPARENT")  # a due routine does not make the person busy
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
