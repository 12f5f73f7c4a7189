"""Reads of meeting records: an organization's meetings of a year with their attendance counts, one meeting's
attendance, files and trail, the roster a new record takes attendance of."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from core.audit import events_for
from core.models import Event
from meetings.models import Attendance, Meeting, MeetingFile
from meetings.rules.records import Mark
from meetings.services.meetings import roster
from organizations.models import Member, Organization


def meetings_of(user: Any, org: Organization, year: int) -> QuerySet[Meeting]:
    """The organization's meetings of ``year`` (reached through ``meetings.access``), newest first, with counts: one
    query whatever their number."""
    return (
        Meeting.objects.filter(organization=org, held_on__year=year)
        .annotate(
            n_listed=Count("attendance"),
            n_present=Count("attendance", filter=Q(attendance__mark=Mark.PRESENT)),
            n_files=Count("files", distinct=True),
        )
        .order_by("-held_on", "-pk")
    )


def years_of(user: Any, org: Organization, this_year: int) -> list[int]:
    first = Meeting.objects.filter(organization=org).order_by("held_on").values_list("held_on", flat=True).first()
    start = min(first.year, this_year) if first else this_year
    return list(range(this_year, start - 1, -1))


def attendance_of(user: Any, meeting: Meeting) -> QuerySet[Attendance]:
    return meeting.attendance.select_related("member").order_by("member__name", "member_id")


def files_of(user: Any, meeting: Meeting) -> QuerySet[MeetingFile]:
    return meeting.files.all()


def trail_of(user: Any, meeting: Meeting) -> QuerySet[Event]:
    return events_for(meeting).order_by("-at", "-pk")


def roster_of(user: Any, org: Organization) -> list[Member]:
    return list(roster(org))
