"""The organization page's organizational-life panel (this year's matrix in brief and the links), and the member
page's panel (the member's year month by month), registered through organizations.panels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from meetings import access
from meetings.rules import frequency as rules
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


@dataclass(frozen=True)
class CasePanel:
    org: Organization
    year: int
    matrix: OrgCompliance

    @property
    def months(self) -> range:
        return range(1, 13)


def case_panel(user: Any, case: Any) -> CasePanel:
    """A rectification case's page shows its organization's matrix of this year (rectification.events)."""
    year = timezone.localdate().year
    return CasePanel(case.organization, year, compliance.compliance_of(user, case.organization, year))


TRACK_PREFIX = "meetings:"


def measure_choices() -> list[tuple[str, str]]:
    """The kinds a rectification measure may be tied to: "按要求召开支部委员会(每月1次)"."""
    found = []
    for kind, req in rules.default_requirements().items():
        rhythm = rules.Rhythm(req.rhythm).label
        found.append((f"{TRACK_PREFIX}{kind}", f"按要求召开{rules.type_info(kind).label}({rhythm}{req.times}次)"))
    return found


def measure_progress(org: Organization, year: int, keys: list[str]) -> dict[str, str]:
    """How far this year's records meet each tied kind, in words (three queries)."""
    matrix = compliance.compliance_of(None, org, year)
    by_kind = {k.kind: k for k in matrix.kinds}
    found = {}
    for key in keys:
        k = by_kind.get(key.removeprefix(TRACK_PREFIX))
        if k is None:
            continue
        missed = f",缺{'、'.join(k.missed)}" if k.missed else ",均按要求召开"
        found[key] = f"{year}年{k.label}已召开{k.held}次,已到期{k.periods_due}期中达标{k.met}期{missed}"
    return found


@dataclass(frozen=True)
class OwnPanel:
    year: int
    meetings: list[Any]


def own_panel(user: Any, member: Member) -> OwnPanel | None:
    """The member's own home (organizations.panels): this year's meetings of their organization and their attendance."""
    from meetings.selectors.own import own_meetings

    year = timezone.localdate().year
    meetings = own_meetings(user, year)
    return None if meetings is None else OwnPanel(year, meetings)
