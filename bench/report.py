"""The benchmark's one table (scenario, figure, median, min, max, target, met?) and its JSON twin.

A row holds every measured value of one figure; the median is what we quote (the machines are
shared and noisy), min and max show the spread.
"""

import json
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

Better = Literal["lower", "higher"]

# unit -> (scale from the stored value, suffix, decimals)
UNITS: dict[str, tuple[float, str, int]] = {
    "s": (1.0, " s", 2),
    "ms": (1000.0, " ms", 1),  # values are stored in seconds, shown in milliseconds
    "MB": (1.0, " MB", 1),
    "req/s": (1.0, " req/s", 0),
    "rows/s": (1.0, " rows/s", 0),
    "e-mails/s": (1.0, " e-mails/s", 0),
    "count": (1.0, "", 0),
    "ratio": (1.0, "x", 2),
    "%": (1.0, " %", 0),
}


@dataclass
class Row:
    scenario: str
    figure: str
    unit: str
    values: list[float]
    target: float | None = None
    better: Better = "lower"
    judge: Literal["median", "worst"] = "median"  # "worst": every run must meet the target
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.values) if self.values else float("nan")

    @property
    def met(self) -> bool | None:
        if self.target is None or not self.values:
            return None
        if self.better == "lower":
            value = max(self.values) if self.judge == "worst" else self.median
            return value <= self.target
        value = min(self.values) if self.judge == "worst" else self.median
        return value >= self.target

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(
            median=self.median,
            min=min(self.values, default=None),
            max=max(self.values, default=None),
            met=self.met,
        )
        return data


def show(value: float | None, unit: str) -> str:
    if value is None or value != value:  # None or NaN
        return "-"
    scale, suffix, decimals = UNITS[unit]
    return f"{value * scale:,.{decimals}f}{suffix}"


def _target_text(row: Row) -> str:
    if row.target is None:
        return "-"
    sign = "<=" if row.better == "lower" else ">="
    return f"{sign} {show(row.target, row.unit)}"


def _met_text(row: Row) -> str:
    return {None: "", True: "yes", False: "NO"}[row.met]


def table(rows: list[Row]) -> str:
    """The rows as an aligned plain-text table (Markdown-compatible)."""
    header = ["scenario", "figure", "median", "min", "max", "target", "met?"]
    lines = [
        [
            r.scenario,
            r.figure,
            show(r.median, r.unit),
            show(min(r.values, default=None), r.unit),
            show(max(r.values, default=None), r.unit),
            _target_text(r),
            _met_text(r),
        ]
        for r in rows
    ]
    widths = [max(len(str(c)) for c in column) for column in zip(header, *lines, strict=True)]
    numeric = {2, 3, 4}

    def fmt(cells: list[str]) -> str:
        padded = [
            c.rjust(w) if i in numeric else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([fmt(header), rule, *(fmt(line) for line in lines)])


def render(headers: list[str], lines: list[list[str]], left: int = 1) -> str:
    """An aligned Markdown-compatible table; the first `left` columns left-aligned."""
    widths = [max(len(c) for c in column) for column in zip(headers, *lines, strict=True)]

    def fmt(cells: list[str]) -> str:
        padded = [
            c.ljust(w) if i < left else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([fmt(headers), rule, *(fmt(line) for line in lines)])


def write_json(path: Path, rows: list[Row], meta: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {**meta, "rows": [r.as_json() for r in rows]}
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
    return path
