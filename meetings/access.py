"""The one way in to organizational life's objects, and the actions a user may take on them.

``<thing>_for(user, pk, *, perm)`` returns the object inside the user's scope or raises: out of scope (or missing)
answers 404 exactly like a missing object; visible but ``perm`` not held on its organization answers 403. Recording
and correcting meetings needs EDIT_ROSTER (those who keep the organization's records: its secretary, the township,
the district); adjusting a year's requirements is the district's (``is_district_staff``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from meetings.models import Meeting, MeetingFile
from meetings.rules import records as record_rules
from meetings.services.meetings import RECORD
from organizations.access import is_district_staff
from organizations.access import organization_for as organization_in_scope
from organizations.models import Member, Organization
from organizations.roles import Perm
from organizations.scope import can, get_visible_or_404, require

VIEW = Perm.VIEW_RECORDS
NOT_FOUND = "对象不存在或不在您的管辖范围内"


def organization_for(user: Any, pk: Any, *, perm: Perm = VIEW) -> Organization:
    return organization_in_scope(user, pk, perm=perm)


def township_for(user: Any, pk: Any, *, perm: Perm = VIEW) -> Organization:
    """A township-level committee in scope (anything else, or out of scope: 404)."""
    org = organization_in_scope(user, pk, perm=perm)
    if org.depth != 2:
        raise Http404(NOT_FOUND)
    return org


def meeting_for(user: Any, pk: Any, *, perm: Perm = VIEW) -> Meeting:
    qs = Meeting.objects.select_related("organization", "presided_by", "recorded_by", "created_by")
    meeting = get_visible_or_404(qs, user, path_field="organization__path", pk=pk)
    require(user, perm, meeting.organization)
    return meeting


def meeting_file_for(user: Any, pk: Any, *, perm: Perm = VIEW) -> MeetingFile:
    qs = MeetingFile.objects.select_related("meeting__organization")
    row = get_visible_or_404(qs, user, path_field="meeting__organization__path", pk=pk)
    require(user, perm, row.meeting.organization)
    return row


def member_for(user: Any, pk: Any, *, perm: Perm = VIEW) -> Member:
    member = get_visible_or_404(
        Member.objects.select_related("organization"), user, path_field="organization__path", pk=pk
    )
    require(user, perm, member.organization)
    return member


def meeting_to_edit(user: Any, pk: Any) -> Meeting:
    """A meeting the user may correct: RECORD held, and still inside its edit window (M9), else 403 saying why."""
    meeting = meeting_for(user, pk, perm=RECORD)
    if record_rules.is_locked(meeting.entered_on, timezone.localdate()):
        raise PermissionDenied(
            f"该记录已于{record_rules.editable_until(meeting.entered_on):%Y-%m-%d}锁定(登记满{record_rules.EDIT_WINDOW_DAYS}天),不能再修改"
        )
    return meeting


def require_district(user: Any) -> None:
    if not is_district_staff(user):
        raise PermissionDenied("只有区委组织部可以调整年度组织生活要求")


def may_record(user: Any, org: Organization) -> bool:
    return can(user, RECORD, org)


def may_edit(user: Any, meeting: Meeting) -> bool:
    return may_record(user, meeting.organization) and not record_rules.is_locked(
        meeting.entered_on, timezone.localdate()
    )


def may_adjust(user: Any) -> bool:
    return is_district_staff(user)
