"""The organization page's 党员统计 panel (a grassroots organization: the district and a township carry a button)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from organizations.models import Organization


@dataclass(frozen=True)
class StatsPanel:
    org: Organization
    member_count: int


def stats_panel(user: Any, org: Organization) -> StatsPanel | None:
    """No query: the caller has checked that the user sees ``org``; the count is the maintained one."""
    if org.depth <= 2:
        return None
    return StatsPanel(org, org.member_count)
