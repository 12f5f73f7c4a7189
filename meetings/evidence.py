"""Organizational life as evidence for a grade (grading/evidence.py's registry, issue 16 deliver 5): for each
organization, each required kind held against required so far with the periods missed, and the members' attendance
rate, with a link to the records. Registered in ``MeetingsConfig.ready``; grading has already scoped the ids."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, Q
from django.urls import reverse

from grading.evidence import Evidence
from meetings.models import Attendance
from meetings.rules import frequency as rules
from meetings.rules.records import Mark
from meetings.selectors.compliance import compliance_for_ids

SOURCE = "组织生活"
ATTENDANCE_KEYWORDS = ("三会一课", "党员教育")


def attendance_rates(org_ids: Sequence[int], year: int) -> dict[int, tuple[int, int]]:
    """(present, listed) over the year's meetings, by organization: one grouped query."""
    rows = (
        Attendance.objects.filter(meeting__organization_id__in=list(org_ids), meeting__held_on__year=year)
        .values("meeting__organization_id")
        .annotate(listed=Count("pk"), present=Count("pk", filter=Q(mark=Mark.PRESENT)))
        .order_by()
    )
    return {r["meeting__organization_id"]: (r["present"], r["listed"]) for r in rows}


MISSED_LISTED = 4  # beyond this many periods, say how many instead of naming each
UNITS = {"monthly": "个月", "quarterly": "个季度", "yearly": "年"}


def _missed_text(kind: rules.KindCompliance) -> str:
    if not kind.missed:
        return ""
    if len(kind.missed) <= MISSED_LISTED:
        return f"缺{'、'.join(kind.missed)}"
    return f"缺{len(kind.missed)}{UNITS[kind.rhythm]}({kind.missed[0]}起)"


def meetings_evidence(org_ids: Sequence[int], year: int) -> dict[int, list[Evidence]]:
    """Five queries for any number of organizations."""
    rows = compliance_for_ids(None, org_ids, year)
    rates = attendance_rates(org_ids, year)
    found: dict[int, list[Evidence]] = {}
    for row in rows:
        url = f"{reverse('meetings:org_meetings', args=[row.organization.pk])}?year={year}"
        items = []
        for kind in row.required:
            info = rules.type_info(kind.kind)
            missed = _missed_text(kind)
            items.append(
                Evidence(
                    source=SOURCE,
                    label=kind.label,
                    value=f"{kind.held}次(已到期应开{kind.due}次)",
                    detail=missed,
                    shortfall=bool(kind.missed),
                    url=url,
                    keywords=info.keywords,
                    sentence=(f"召开{kind.label}{kind.held}次" if kind.held else f"未召开{kind.label}")
                    + (f"({missed})" if missed else "")
                    + "。",
                )
            )
        present, listed = rates.get(row.organization.pk, (0, 0))
        if listed:
            percent = round(100 * present / listed)
            items.append(
                Evidence(
                    source=SOURCE,
                    label="党员出席率",
                    value=f"{percent}%",
                    detail=f"出席{present}人次/应到{listed}人次",
                    url=url,
                    keywords=ATTENDANCE_KEYWORDS,
                    sentence=f"党员参加组织生活出席率{percent}%。",
                )
            )
        found[row.organization.pk] = items
    return found
