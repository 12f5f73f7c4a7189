"""Server-drawn bar charts (no script, no library): the geometry of an SVG the template ``stats/_bars.html`` draws.
The SVG scales with its viewBox, so it fits a phone; colours and fonts come from static/css/stats.css."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 320  # viewBox units
LABEL_WIDTH = 96
BAR_SPACE = WIDTH - LABEL_WIDTH - 44  # room left for the value after the longest bar
ROW = 22
BAR = 14


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int  # top of the bar
    text_y: int  # baseline of the label and the value
    width: int
    value_x: int


@dataclass(frozen=True)
class Chart:
    title: str
    height: int
    bars: list[Bar]
    label_width: int = LABEL_WIDTH
    width: int = WIDTH


def bar_chart(title: str, items: list[tuple[str, int]]) -> Chart:
    """One horizontal bar per (label, value), the longest bar the largest value."""
    top = max((v for _, v in items), default=0) or 1
    bars = []
    for i, (label, value) in enumerate(items):
        width = round(BAR_SPACE * value / top)
        y = i * ROW + (ROW - BAR) // 2
        bars.append(Bar(label, value, y, y + BAR - 3, width, LABEL_WIDTH + width + 4))
    return Chart(title, max(len(items), 1) * ROW, bars)
