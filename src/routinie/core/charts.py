"""Bar charts (the reports page, the statistics pages), computed on the server as plain SVG.

No JavaScript draws anything: these functions turn seconds into rectangles in a viewBox, so
the charts show with scripts off, obey a strict CSP and are testable without a browser.
Coordinates are rounded to two decimals to keep the markup small.
"""

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from routinie.core.weeks import week_start_of

HOUR = 3600
MAX_DAY_BARS = 92  # a quarter, one bar a day; longer ranges chart per week, then per month
MAX_WEEK_BARS = 92
NO_PROJECT_COLOR = "#8a918d"  # a neutral grey, readable on the light and the dark background
_HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")


class Total(Protocol):
    """A total of a report's group: its key ("2026-11-23", "2026-11") and its seconds."""

    @property
    def key(self) -> str | None: ...

    @property
    def seconds(self) -> int: ...


def _r(value: float) -> float:
    return round(value, 2)


# --- The timeline: one point per day (or week, or month) of the range, zeros included -------
@dataclass(frozen=True)
class Point:
    key: str  # the report's group key: "2026-11-23" (a day, or a week's first day), "2026-11"
    label: str  # short, under the bar: "Mon", "23", "Nov"
    sublabel: str  # a second line under it: "23", "Nov", "2026" (or "")
    title: str  # long, for the tooltip and the table: "Mon 23 Nov 2026"
    seconds: int


def timeline_unit(first: date, last: date, week_start: int = 0) -> str:
    """A bar per day for up to MAX_DAY_BARS days, else per week, else per month."""
    if (last - first).days + 1 <= MAX_DAY_BARS:
        return "day"
    weeks = (week_start_of(last, week_start) - week_start_of(first, week_start)).days // 7 + 1
    return "week" if weeks <= MAX_WEEK_BARS else "month"


def timeline(
    first: date, last: date, unit: str, groups: Iterable[Total], week_start: int = 0
) -> list[Point]:
    """Every day (week, month) of first..last with its seconds from `groups`, 0 when absent."""
    seconds = {g.key: g.seconds for g in groups}
    points = []
    for start in _periods(first, last, unit, week_start):
        key = f"{start:%Y-%m}" if unit == "month" else start.isoformat()
        label, sublabel, title = _labels(start, unit, first, last)
        points.append(Point(key, label, sublabel, title, seconds.get(key, 0)))
    return points


def _periods(first: date, last: date, unit: str, week_start: int) -> list[date]:
    if unit == "day":
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]
    if unit == "week":
        start = week_start_of(first, week_start)
        return [start + timedelta(weeks=i) for i in range((last - start).days // 7 + 1)]
    if unit != "month":
        raise ValueError(f"unknown timeline unit {unit!r}")
    months = []
    cursor = first.replace(day=1)
    while cursor <= last:
        months.append(cursor)
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    return months


def _labels(start: date, unit: str, first: date, last: date) -> tuple[str, str, str]:
    """(label, second line, title) of a bar: "Mon"/"23" in a short range, else "23"/"Nov"."""
    if unit == "day":
        title = f"{start:%a} {start.day} {start:%b %Y}"
        if (last - first).days < 14:
            return f"{start:%a}", str(start.day), title
        return str(start.day), f"{start:%b}", title
    if unit == "week":
        return str(start.day), f"{start:%b}", f"Week of {start.day} {start:%b %Y}"
    return f"{start:%b}", f"{start:%Y}", f"{start:%B %Y}"


# --- Bar chart: hours per day ------------------------------------------------------------------
@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    title: str
    seconds: int


@dataclass(frozen=True)
class Gridline:
    y: float
    seconds: int
    label: str  # "2 h", "0.5 h"


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    sublabel: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: float  # the plot area inside the viewBox (axis labels live outside it)
    top: float
    right: float
    bottom: float
    scale_seconds: int  # the value at the top of the plot area
    bars: list[Bar]
    gridlines: list[Gridline]
    ticks: list[Tick]
    label_y: float  # baseline of the labels under the bars, and of their second line
    sublabel_y: float
    axis_x: float  # right edge of the hour labels, left of the plot


def nice_step(max_seconds: int, max_lines: int = 4) -> int:
    """A round gridline step (15 min, 30 min, 1, 2, 5, 10, 20, 50 h …) giving ≤ max_lines lines."""
    for minutes in (15, 30):
        if max_seconds <= minutes * 60 * max_lines:
            return minutes * 60
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude * HOUR
            if max_seconds <= step * max_lines:
                return step
        magnitude *= 10


def hours_label(seconds: int, step: int = HOUR) -> str:
    """A gridline's label: "2 h" on an hourly scale, "0:15" (H:MM) on a finer one."""
    if step % HOUR == 0:
        return f"{seconds // HOUR} h"
    return f"{seconds // HOUR}:{seconds % HOUR // 60:02d}"


def bar_chart(
    points: Sequence[Point | tuple[str, int]],
    width: int = 960,
    height: int = 280,
    *,
    max_ticks: int = 14,
    margin: tuple[int, int, int, int] = (12, 8, 38, 48),  # top, right, bottom, left
) -> BarChart:
    """Bars with heights proportional to seconds, hour gridlines and at most max_ticks labels.

    A non-zero value gets at least 1 unit of height, so a few minutes stay visible.
    """
    items = [p if isinstance(p, Point) else Point(p[0], p[0], "", p[0], p[1]) for p in points]
    top, right, bottom, left = margin
    plot_top, plot_bottom = float(top), float(height - bottom)
    plot_left, plot_right = float(left), float(width - right)
    plot_height = plot_bottom - plot_top
    biggest = max((p.seconds for p in items), default=0) or HOUR  # an empty chart shows 1 h
    step = nice_step(biggest)
    scale = math.ceil(biggest / step) * step
    slot = (plot_right - plot_left) / max(len(items), 1)
    bar_width = max(slot * 0.7, 1.0) if slot >= 2 else slot
    bars = []
    for i, p in enumerate(items):
        bar_height = plot_height * p.seconds / scale if p.seconds > 0 else 0.0
        if p.seconds > 0:
            bar_height = max(bar_height, 1.0)
        bars.append(
            Bar(
                x=_r(plot_left + i * slot + (slot - bar_width) / 2),
                y=_r(plot_bottom - bar_height),
                width=_r(bar_width),
                height=_r(bar_height),
                label=p.label,
                title=p.title,
                seconds=p.seconds,
            )
        )
    gridlines = [
        Gridline(
            y=_r(plot_bottom - plot_height * value / scale),
            seconds=value,
            label=hours_label(value, step),
        )
        for value in range(0, scale + 1, step)
    ]
    stride = max(1, math.ceil(len(items) / max_ticks))
    ticks = [
        Tick(x=_r(plot_left + i * slot + slot / 2), label=p.label, sublabel=p.sublabel)
        for i, p in enumerate(items)
        if i % stride == 0
    ]
    return BarChart(
        width=width,
        height=height,
        left=plot_left,
        top=plot_top,
        right=plot_right,
        bottom=plot_bottom,
        scale_seconds=scale,
        bars=bars,
        gridlines=gridlines,
        ticks=ticks,
        label_y=_r(plot_bottom + 16),
        sublabel_y=_r(plot_bottom + 32),
        axis_x=_r(plot_left - 6),
    )


# --- Share per project: one stacked horizontal bar and its legend --------------------------------
@dataclass(frozen=True)
class Share:
    label: str
    seconds: int
    color: str  # "#rrggbb"


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    label: str
    seconds: int
    percent: float  # 0..100, one decimal
    color: str


@dataclass(frozen=True)
class ShareChart:
    width: int
    height: int
    segments: list[Segment]
    total_seconds: int


def safe_color(color: str | None, fallback: str = NO_PROJECT_COLOR) -> str:
    """The colour if it is a plain '#rrggbb', else the fallback (it lands in an SVG attribute)."""
    return color if color and _HEX_COLOR.fullmatch(color) else fallback


def percent_of(seconds: int, total: int) -> float:
    return round(100 * seconds / total, 1) if total > 0 else 0.0


def share_bars(items: Sequence[Share], width: int = 960, height: int = 32) -> ShareChart:
    """Segments side by side across `width`, each as wide as its share of the items' sum."""
    shown = [item for item in items if item.seconds > 0]
    total = sum(item.seconds for item in shown)
    segments = []
    x = 0.0
    for item in shown:
        segment_width = width * item.seconds / total
        segments.append(
            Segment(
                x=_r(x),
                width=_r(segment_width),
                label=item.label,
                seconds=item.seconds,
                percent=percent_of(item.seconds, total),
                color=safe_color(item.color),
            )
        )
        x += segment_width
    return ShareChart(width=width, height=height, segments=segments, total_seconds=total)


# --- Stacked bars: a bar of the timeline cut into its projects' parts ---------------------------
@dataclass(frozen=True)
class Piece:
    y: float
    height: float
    label: str
    seconds: int
    color: str


def stack(bar: Bar, parts: Sequence[Share]) -> list[Piece]:
    """The bar cut into its parts, the first at the bottom, each as tall as its share of the
    bar's seconds (so the pieces fill exactly the bar's height)."""
    shown = [part for part in parts if part.seconds > 0]
    total = sum(part.seconds for part in shown)
    pieces = []
    bottom = bar.y + bar.height
    for part in shown:
        height = bar.height * part.seconds / total
        bottom -= height
        pieces.append(
            Piece(_r(bottom), _r(height), part.label, part.seconds, safe_color(part.color))
        )
    return pieces
