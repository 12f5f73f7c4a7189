""" "What waits for me": the to-do panel of each role's home, filled by the apps built on the tree.

organizations names no feature app (architecture: the arrows point one way). Each app registers a provider in its
``AppConfig.ready``: ``register_todo(grading_todo)``. A provider takes the user and returns a ``TodoSection`` (or
None when the user has nothing to do or see there): counts that link to the app's lists, and at most one chart.
A provider reads only what the user may see (through ``scope``) and runs a fixed number of queries, whatever the
size of the district: one aggregate per list, never one query per organization.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TodoItem:
    label: str  # what waits, in words: "待审定的分类定级结果"
    count: int
    url: str  # the list where these are
    overdue: bool = False  # past a deadline: shown in red


@dataclass(frozen=True)
class Segment:
    label: str  # the legend's words
    value: int
    tone: str  # css modifier: done, doing, waiting, late


@dataclass(frozen=True)
class ChartRow:
    label: str
    segments: tuple[Segment, ...]
    url: str = ""

    @property
    def total(self) -> int:
        return sum(s.value for s in self.segments)


@dataclass(frozen=True)
class Chart:
    """A horizontal stacked bar per row (a township, a phase…): server-rendered SVG, no script, no library."""

    title: str
    rows: tuple[ChartRow, ...]
    note: str = ""

    @property
    def legend(self) -> list[tuple[str, str]]:
        seen: dict[str, str] = {}
        for row in self.rows:
            for s in row.segments:
                seen.setdefault(s.label, s.tone)
        return list(seen.items())

    @property
    def bars(self) -> list[dict[str, Any]]:
        return [{"row": row, "rects": bar_rects(row.segments, scale=self.scale)} for row in self.rows]

    @property
    def scale(self) -> int:
        return max((row.total for row in self.rows), default=0)


@dataclass(frozen=True)
class TodoSection:
    area: str  # 分类定级, 整顿, 换届选举
    items: tuple[TodoItem, ...] = ()
    chart: Chart | None = None
    order: int = 50


@dataclass(frozen=True)
class TodoPanel:
    sections: tuple[TodoSection, ...] = field(default_factory=tuple)

    @property
    def waiting(self) -> list[tuple[str, TodoItem]]:
        return [(s.area, item) for s in self.sections for item in s.items if item.count]

    @property
    def charts(self) -> list[Chart]:
        return [s.chart for s in self.sections if s.chart is not None and s.chart.rows]


def bar_rects(segments: Sequence[Segment], *, scale: int, width: float = 100.0) -> list[dict[str, Any]]:
    """Pure geometry of one stacked bar: each segment's x and width in a ``width``-wide box, proportional to its value
    against ``scale`` (the longest bar of the chart). Empty segments are left out."""
    if scale <= 0:
        return []
    rects = []
    x = 0.0
    for s in segments:
        if s.value <= 0:
            continue
        w = width * s.value / scale
        rects.append({"x": round(x, 2), "width": round(w, 2), "tone": s.tone, "label": s.label, "value": s.value})
        x += w
    return rects


TodoProvider = Callable[[Any], "TodoSection | None"]

_providers: list[TodoProvider] = []


def register_todo(provider: TodoProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def todo_panel(user: Any) -> TodoPanel:
    sections = [s for s in (provider(user) for provider in _providers) if s is not None]
    return TodoPanel(tuple(sorted(sections, key=lambda s: s.order)))
