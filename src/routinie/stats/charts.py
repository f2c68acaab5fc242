"""Bar charts of published figures, drawn on the server as SVG with the reports' chart shapes
(`core.charts`): people or hours instead of seconds, a withheld value drawn as no bar."""

import math
from collections.abc import Sequence

from routinie.core.charts import Bar, BarChart, Gridline, Tick


def nice_step(biggest: float, max_lines: int = 4) -> int:
    """A round gridline step (1, 2, 5, 10, 20, 50 …) giving at most max_lines lines."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            if biggest <= factor * magnitude * max_lines:
                return factor * magnitude
        magnitude *= 10


def value_chart(
    items: Sequence[tuple[str, float | None]],
    width: int = 720,
    height: int = 260,
    margin: tuple[int, int, int, int] = (12, 8, 38, 64),  # top, right, bottom, left
) -> BarChart:
    """Bars proportional to the values; None (withheld) and 0 draw no bar."""
    top, right, bottom, left = margin
    plot_bottom, plot_left, plot_right = float(height - bottom), float(left), float(width - right)
    plot_height = plot_bottom - top
    biggest = max((v for _, v in items if v), default=0) or 1
    step = nice_step(biggest)
    scale = math.ceil(biggest / step) * step
    slot = (plot_right - plot_left) / max(len(items), 1)
    bars = []
    for i, (label, value) in enumerate(items):
        bar_height = max(plot_height * value / scale, 1.0) if value else 0.0
        bars.append(
            Bar(
                x=round(plot_left + i * slot + slot * 0.15, 2),
                y=round(plot_bottom - bar_height, 2),
                width=round(slot * 0.7, 2),
                height=round(bar_height, 2),
                label=label,
                title=label,
                seconds=round(value or 0),
            )
        )
    gridlines = [
        Gridline(y=round(plot_bottom - plot_height * v / scale, 2), seconds=v, label=f"{v:,}")
        for v in range(0, scale + 1, step)
    ]
    ticks = [
        Tick(x=round(plot_left + i * slot + slot / 2, 2), label=b.label, sublabel="")
        for i, b in enumerate(bars)
    ]
    return BarChart(
        width=width,
        height=height,
        left=plot_left,
        top=float(top),
        right=plot_right,
        bottom=plot_bottom,
        scale_seconds=scale,
        bars=bars,
        gridlines=gridlines,
        ticks=ticks,
        label_y=round(plot_bottom + 18, 2),
        sublabel_y=round(plot_bottom + 32, 2),
        axis_x=round(plot_left - 6, 2),
    )
