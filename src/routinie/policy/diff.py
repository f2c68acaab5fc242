"""The differences between two versions of the privacy policy, line by line, words marked."""

import difflib
from dataclasses import dataclass

CONTEXT = 2  # unchanged lines kept around each change


@dataclass(frozen=True)
class Line:
    kind: str  # "same", "added", "removed" or "gap" (unchanged lines left out)
    text: str


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


def diff_texts(old: str, new: str) -> list[Line]:
    """What changed from `old` to `new`; long unchanged stretches become one "gap" line."""
    a, b = _lines(old), _lines(new)
    result: list[Line] = []
    for group in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_grouped_opcodes(CONTEXT):
        if result:
            result.append(Line("gap", ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                result += [Line("same", line) for line in a[i1:i2]]
                continue
            result += [Line("removed", line) for line in a[i1:i2]]
            result += [Line("added", line) for line in b[j1:j2]]
    return result
