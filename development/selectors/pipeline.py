"""Reads of one organization's pipeline: its people by stage with their dates and contact persons, its probationary
members (from the roster) with the day their probation ends, one person's record with its trail, and the members who
may be chosen as contact persons. The organization comes through ``development.access``, which checked the scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet

from core.audit import events_for
from development.models import Applicant
from development.rules import pipeline as rules
from development.rules.pipeline import Stage
from organizations.models import Member, MemberStatus, Organization
from organizations.scope import path_q, scope_paths

# The stages listed on an organization's page (正式党员 are the roster's; probationary members come from the roster).
LISTED = (Stage.APPLICANT, Stage.ACTIVIST, Stage.TARGET)


@dataclass(frozen=True)
class Probation:
    member: Member
    ends_on: date
    days_left: int
    record_id: int | None

    @property
    def due(self) -> bool:
        return self.days_left <= rules.REMIND_DAYS

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


@dataclass
class StageList:
    stage: Stage
    people: list[Applicant] = field(default_factory=list)


def _contacts() -> Prefetch:
    return Prefetch("contacts", queryset=Member.objects.only("pk", "name").order_by("name", "pk"))


def pipeline_of(user: Any, org: Organization) -> list[StageList]:
    """The people of ``org`` (and the organizations under it) still before admission, by stage (two queries)."""
    lists = {s: StageList(s) for s in LISTED}
    people = (
        Applicant.objects.filter(
            path_q(scope_paths(user), "organization__path"),
            organization__path__startswith=org.path,
            stage__in=LISTED,
        )
        .select_related("organization")
        .prefetch_related(_contacts())
        .order_by("organization__path", "applied_on", "pk")
    )
    for person in people:
        lists[Stage(person.stage)].people.append(person)
    return list(lists.values())


def probations_of(user: Any, org: Organization, today: date) -> list[Probation]:
    """The roster's current probationary members under ``org`` with the day each probation ends (F4), soonest first;
    a member admitted through the pipeline links to their record (one query)."""
    members = (
        Member.objects.filter(
            path_q(scope_paths(user), "organization__path"),
            organization__path__startswith=org.path,
            status=MemberStatus.PROBATIONARY,
            left_on__isnull=True,
        )
        .select_related("organization", "development_record")
        .order_by("joined_on", "name", "pk")
    )
    return [
        Probation(
            m,
            rules.probation_ends_on(m.joined_on),
            rules.probation_days_left(m.joined_on, today),
            getattr(getattr(m, "development_record", None), "pk", None),
        )
        for m in members
    ]


def admitted_of(user: Any, org: Organization, year: int) -> list[Applicant]:
    """The people of ``org`` admitted (接收为预备党员) in ``year``, with their roster record (one query)."""
    return list(
        Applicant.objects.filter(
            path_q(scope_paths(user), "organization__path"),
            organization__path__startswith=org.path,
            admitted_on__year=year,
        )
        .select_related("organization", "member")
        .order_by("admitted_on", "pk")
    )


def record_of(user: Any, record: Applicant) -> dict[str, Any]:
    """One person's page: the stages with their dates, the contacts, the next move and the trail."""
    stages = [
        (Stage.APPLICANT, record.applied_on),
        (Stage.ACTIVIST, record.activist_on),
        (Stage.TARGET, record.target_on),
        (Stage.PROBATIONARY, record.admitted_on),
        (Stage.FULL, record.full_on),
    ]
    to = rules.next_stage(record.stage)
    return {
        "earliest_next": earliest_next(user, record),
        "stages": stages,
        "contacts": list(record.contacts.order_by("name", "pk")),
        "next": (to, rules.MOVES[(Stage(record.stage), to)]) if to else None,
        "probation_ends_on": record.probation_ends_on,
        "events": events_for(record).order_by("-at", "-pk")[:50],
    }


def earliest_next(user: Any, record: Applicant) -> date | None:
    """The first day the next move is allowed when a standard interval governs it: an activist's year (F3), the
    probation (F4)."""
    if record.stage == Stage.ACTIVIST and record.activist_on:
        return rules.earliest_target_on(record.activist_on)
    if record.stage == Stage.PROBATIONARY and record.admitted_on:
        return rules.probation_ends_on(record.admitted_on)
    return None


def contact_choices(user: Any, org: Organization) -> QuerySet[Member]:
    """Who may be a contact person (F5): the organization's current full members."""
    return Member.objects.filter(organization=org, status=MemberStatus.FULL, left_on__isnull=True).order_by(
        "name", "pk"
    )
