"""Opening election projects: one organization (B3/B5 size against the previous term, A13 date) or a township's
villages in a batch, each with the year's 32 steps and their due dates. Each service checks the actor's permission,
runs in a transaction and writes an event; the phase is changed only by ``elections.services.workflow.transition``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from elections.models import (
    ElectionMethod,
    ElectionProject,
    Phase,
    Step,
)
from elections.rules.failures import Failure, errors
from elections.rules.terms import check_committee_size, check_postponement
from elections.services.date_change import date_change_request
from elections.services.steps import ensure_step_templates
from elections.services.workflow import event
from organizations.models import CommitteeTerm, Member, MemberStatus, Organization, OrgLevel
from organizations.roles import Perm
from organizations.scope import require


def township_of(org: Organization) -> Organization:
    township = Organization.objects.filter(path=org.township_path()).first()
    if township is None or township.level != OrgLevel.TOWNSHIP:
        raise ValidationError("该党组织不在任何乡镇(街道)之下")
    return township


def full_members(org: Organization) -> int:
    return Member.objects.filter(organization=org, left_on__isnull=True, status=MemberStatus.FULL).count()


def size_failures(organization: Organization, *, seats: int, previous_seats: int | None) -> list[Failure]:
    """B3/B5: the one answer ``organizations.rules`` gives for these seats (the organization page gives it too)."""
    return errors(
        check_committee_size(
            kind=organization.kind,
            field=organization.field or "",
            seats=seats,
            previous_seats=previous_seats,
            full_members=full_members(organization),
        )
    )


@transaction.atomic
def project_create(
    *,
    actor: Any,
    organization: Organization,
    election_date: date,
    seats: int,
    method: str = ElectionMethod.INDIRECT,
    previous_seats: int | None = None,
    date_reason: str = "",
) -> ElectionProject:
    """The township opens a project (B3/B5 size against the previous term) and the year's 32 steps with due dates;
    an election away from the term's end is requested with ``date_reason`` and waits for approval (A13)."""
    require(actor, Perm.ELECTION_MANAGE, organization)
    if method not in ElectionMethod.values:
        raise ValidationError("请选择选举方式")
    term = CommitteeTerm.objects.filter(organization=organization).order_by("-elected_on").first()
    if previous_seats is None and term is not None:
        previous_seats = term.seats
    failures = size_failures(organization, seats=seats, previous_seats=previous_seats)
    if term is not None:
        # A13: the one-year limit refuses here; the approval itself is recorded by date_change_decide.
        failures += errors(check_postponement(term.ends_on, election_date, approved=True))
    if failures:
        raise ValidationError([f.message for f in failures])
    if ElectionProject.objects.filter(organization=organization).exclude(status=Phase.CLOSED).exists():
        raise ValidationError(f"{organization.name}已有进行中的换届选举项目")
    project = ElectionProject.objects.create(
        organization=organization,
        township=township_of(organization),
        year=election_date.year,
        method=method,
        seats=seats,
        previous_seats=previous_seats,
        election_date=election_date,
        term=term,
        created_by=actor,
    )
    if term is not None:
        date_change_request(actor=actor, project=project, term_ends=term.ends_on, reason=date_reason)
    _create_steps(project)
    event(
        actor,
        project,
        "create",
        f"启动{project.year}年换届选举,应选委员{seats}名,选举日期{election_date}",
        after={"seats": seats, "method": method, "election_date": election_date.isoformat()},
    )
    return project


def _create_steps(project: ElectionProject) -> None:
    """The year's 32 steps, each due a fixed number of days from the election day."""
    day = project.election_date
    Step.objects.bulk_create(
        [
            Step(project=project, template=t, due_on=day + timedelta(days=t.due_offset_days))
            for t in ensure_step_templates(day.year)
        ]
    )


def projects_create_batch(
    *,
    actor: Any,
    organizations: list[Organization],
    election_date: date,
    seats: int,
    method: str,
    date_reason: str = "",
) -> tuple[list[ElectionProject], dict[str, list[str]]]:
    """A township opens projects for several villages at once; each one that fails says why, the rest are made."""
    made: list[ElectionProject] = []
    refused: dict[str, list[str]] = {}
    for org in organizations:
        try:
            made.append(
                project_create(
                    actor=actor,
                    organization=org,
                    election_date=election_date,
                    seats=seats,
                    method=method,
                    date_reason=date_reason,
                )
            )
        except ValidationError as exc:
            refused[org.name] = exc.messages
    return made, refused
