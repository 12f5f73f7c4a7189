"""A member's own organizational life on their home (我的): their organization's meetings of the year with their own
attendance (present, on leave, absent, or not listed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import OuterRef, Subquery

from meetings.models import Attendance, Meeting
from meetings.rules.records import Mark
from organizations.access import own_member


@dataclass(frozen=True)
class OwnMeeting:
    held_on: date
    kind: str
    topic: str
    mark: str  # 出席, 请假, 缺席, or 未列入 when the meeting did not list the member


def own_meetings(user: Any, year: int) -> list[OwnMeeting] | None:
    """The meetings of ``year`` of the organization of the member linked to ``user``, newest first, each with the
    member's own mark: one query whatever their number (None for anyone else)."""
    member = own_member(user)
    if member is None:
        return None
    mine = Attendance.objects.filter(meeting=OuterRef("pk"), member=member).values("mark")[:1]
    rows = (
        Meeting.objects.filter(organization_id=member.organization_id, held_on__year=year)
        .annotate(own_mark=Subquery(mine))
        .order_by("-held_on", "-pk")
    )
    labels = dict(Mark.choices)
    return [OwnMeeting(m.held_on, m.get_kind_display(), m.topic, labels.get(m.own_mark, "未列入")) for m in rows]
