"""A few people in the pipeline of every village branch of the demo district, written in bulk: an applicant, an
activist with a contact person, a development target trained for over a year, and a record for each of the roster's
probationary members (admitted on their 入党日期). Idempotent: a district that has records is left as it is."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from development.models import Applicant
from development.rules.pipeline import Stage, add_years
from organizations.demo.people import PersonFactory
from organizations.models import Member, MemberStatus, Organization, OrgField
from organizations.models.kinds import OrgKind

SEED = 20261203


@dataclass(frozen=True)
class DemoSummary:
    created: bool
    organizations: int
    people: int
    seconds: float = 0.0


def _villages(root: Organization) -> list[Organization]:
    return list(
        Organization.objects.filter(
            path__startswith=root.path, depth=3, field=OrgField.RURAL, kind=OrgKind.BRANCH, dissolved_on__isnull=True
        ).order_by("path")
    )


def _person(people: PersonFactory, org: Organization, stage: Stage, today: date) -> Applicant:
    rng = people.rng
    base = people.member(org, OrgField.RURAL, probationary=True)  # a young person's name, birth and ID number
    applied = today - timedelta(days={Stage.APPLICANT: 40, Stage.ACTIVIST: 430, Stage.TARGET: 900}[stage])
    applied -= timedelta(days=rng.randrange(30))
    activist = applied + timedelta(days=35) if stage != Stage.APPLICANT else None
    target = add_years(activist, 1) + timedelta(days=rng.randrange(20, 60)) if stage == Stage.TARGET else None
    return Applicant(
        organization=org,
        name=base.name,
        gender=base.gender,
        birth_date=base.birth_date,
        education=base.education,
        occupation=base.occupation,
        id_number=base.id_number,
        phone=base.phone,
        stage=stage,
        applied_on=applied,
        activist_on=activist,
        target_on=target,
    )


def _admitted(member: Member) -> Applicant:
    """The pipeline record behind a probationary member of the roster (dates back from the admission)."""
    target = member.joined_on - timedelta(days=120)
    activist = add_years(target, -1) - timedelta(days=10)
    return Applicant(
        organization_id=member.organization_id,
        name=member.name,
        gender=member.gender,
        birth_date=member.birth_date,
        education=member.education,
        occupation=member.occupation,
        id_number=member.id_number,
        phone=member.phone,
        stage=Stage.PROBATIONARY,
        applied_on=activist - timedelta(days=60),
        activist_on=activist,
        target_on=target,
        admitted_on=member.joined_on,
        member=member,
    )


@transaction.atomic
def build_development_demo(root: Organization) -> DemoSummary:
    started = time.perf_counter()
    if Applicant.objects.filter(organization__path__startswith=root.path).exists():
        return DemoSummary(False, 0, Applicant.objects.filter(organization__path__startswith=root.path).count())
    today = timezone.localdate()
    villages = _villages(root)
    people = PersonFactory(random.Random(SEED), today)
    people.id_numbers = set(Member.objects.values_list("id_number", flat=True))
    roster = Member.objects.filter(organization__in=villages, left_on__isnull=True).order_by("organization", "pk")
    full: dict[int, Member] = {}
    probationary: list[Member] = []
    for m in roster.only(
        "pk",
        "organization_id",
        "status",
        "name",
        "gender",
        "birth_date",
        "education",
        "occupation",
        "id_number",
        "phone",
        "joined_on",
    ):
        if m.status == MemberStatus.PROBATIONARY:
            probationary.append(m)
        else:
            full.setdefault(m.organization_id, m)
    rows = [
        _person(people, org, stage, today)
        for org in villages
        for stage in (Stage.APPLICANT, Stage.ACTIVIST, Stage.TARGET)
    ]
    rows += [_admitted(m) for m in probationary]
    created = Applicant.objects.bulk_create(rows)
    through = Applicant.contacts.through
    through.objects.bulk_create(
        [
            through(applicant_id=a.pk, member_id=full[a.organization_id].pk)
            for a in created
            if a.activist_on is not None and a.organization_id in full
        ]
    )
    return DemoSummary(True, len(villages), len(created), time.perf_counter() - started)
