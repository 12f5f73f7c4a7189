"""The dues side of the 党章 Art. 9 list (P6) for the list the meetings app shows to the secretary and township:
registered in ``DuesConfig.ready`` with ``meetings.events.register_lapse_source``, so neither app's pages import
the other's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dues.selectors.signals import unpaid_runs_for

LABEL = "未交纳党费"


def dues_lapses(member_ids: Sequence[int], months: Sequence[tuple[int, int]]) -> Mapping[int, list[tuple[int, int]]]:
    """For each member with six unpaid months in ``months`` (P6), the months of the longest such run."""
    return unpaid_runs_for(None, member_ids, months)
