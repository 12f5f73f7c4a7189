"""The organization page's 党员发展 panel (how many at each stage, the way to the list) and the member page's
probation panel (a probationary member's end of probation), registered through organizations.panels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from development import access
from development.rules import pipeline as rules
from development.selectors.counts import LABELS, board
from organizations.models import Member, MemberStatus, Organization

TOWNSHIP_DEPTH = 2


@dataclass(frozen=True)
class DevelopmentPanel:
    org: Organization
    figures: list[tuple[str, int]]
    may_edit: bool


def development_panel(user: Any, org: Organization) -> DevelopmentPanel | None:
    """Grassroots organizations only (a township and the district have the menu's board); one query."""
    if org.depth <= TOWNSHIP_DEPTH:
        return None
    total = board(user, org, year=timezone.localdate().year).total
    return DevelopmentPanel(org, list(zip(LABELS, total, strict=True)), access.may_edit(user, org))


@dataclass(frozen=True)
class ProbationPanel:
    member: Member
    ends_on: date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_over(self) -> int:
        return -self.days_left


def probation_panel(user: Any, member: Member) -> ProbationPanel | None:
    """A current probationary member: when the probation ends (F4). No query."""
    if member.status != MemberStatus.PROBATIONARY or member.left_on is not None:
        return None
    today = timezone.localdate()
    return ProbationPanel(
        member, rules.probation_ends_on(member.joined_on), rules.probation_days_left(member.joined_on, today)
    )
