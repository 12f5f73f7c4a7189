"""Other sources of the 党章 Art. 9 signal (M10), so that meetings imports no app that provides one.

Art. 9 names three lapses: no organizational life, no dues, no assigned work — each for six consecutive months
without proper reason. Meetings computes the first; an app that keeps another (the dues ledger) registers a source
in its ``AppConfig.ready``: ``register_lapse_source("未交纳党费", fn)``, where ``fn(member_ids, months)`` returns, for
each member with a lapse, the longest run of consecutive months (a list of (year, month)) without it and without
proper reason. The list shown to the secretary and the township joins every source; it never changes a member.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

Month = tuple[int, int]
LapseSource = Callable[[Sequence[int], Sequence[Month]], Mapping[int, list[Month]]]
_sources: list[tuple[str, LapseSource]] = []


def register_lapse_source(label: str, fn: LapseSource) -> None:
    if (label, fn) not in _sources:
        _sources.append((label, fn))


def lapse_sources() -> list[tuple[str, LapseSource]]:
    return list(_sources)
