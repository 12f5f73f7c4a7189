"""The organization page's organizational-life panel (this year's matrix in brief and the links), and the member
page's panel (the member's year month by month), registered through organizations.panels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from meetings import access
from meetings.selectors import compliance, participation
from meetings.selectors.compliance import OrgCompliance
from organizations.models import GRADED_KINDS, Member, Organization


@dataclass(frozen=True)
class MeetingsPanel:
    org: Organization
    year: int
    matrix: OrgCompliance
    may_record: bool


def meetings_panel(user: Any, org: Organization) -> MeetingsPanel | None:
    """Graded organizations only (a township or the district has its board instead); the caller has checked that
    the user may see ``org``."""
    if org.kind not in GRADED_KINDS or org.depth <= 2:
        return None
    year = timezone.localdate().year
    return MeetingsPanel(org, year, compliance.compliance_of(user, org, year), access.may_record(user, org))


@dataclass(frozen=True)
class MemberPanel:
    member: Member
    year: int
    months: list[participation.MonthAttendance]

    @property
    def totals(self) -> tuple[int, int]:
        return sum(m.present for m in self.months), sum(m.listed for m in self.months)


def member_panel(user: Any, member: Member) -> MemberPanel:
    year = timezone.localdate().year
    return MemberPanel(member, year, participation.member_year(user, member, year))
