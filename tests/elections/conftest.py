"""An election project of village A1 (8 full members in the shared tree, plus the helpers that walk its steps)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from elections.models import ElectionProject, ListStage, Phase
from elections.services import workflow
from elections.services.candidates import (
    candidate_add,
    candidates_approve,
    candidates_promote,
    eligibility_record,
    recommendations_save,
)
from elections.services.meeting import attendance_save, meeting_open
from elections.services.notices import notice_publish
from elections.services.projects import project_create
from elections.services.voters import voters_register
from tests.calendar_support import seed_test_calendar

PDF = b"%PDF-1.4 test document"


def pdf(name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def finish_steps(actor, project: ElectionProject, *, until: str) -> ElectionProject:
    """Upload each required document and mark the steps done, phase by phase, until the project reaches ``until``."""
    project.refresh_from_db()
    while project.status != until:
        for step in project.steps.filter(template__phase=project.status, done_on__isnull=True).select_related(
            "template"
        ):
            for kind in step.template.required_documents:
                workflow.document_upload(actor=actor, step=step, kind=kind, upload=pdf())
            workflow.step_done(actor=actor, step=step)
        project.refresh_from_db()
    return project


def joint_review_clear(users, project: ElectionProject) -> None:
    """Q1/Q2 for every candidate still in the running: all departments of the joint review agree (the township's
    clerk records them), then the county's group agrees (the district records it)."""
    from elections.models import CandidateStatus
    from elections.rules.joint_review import DEPARTMENTS
    from elections.services.review import joint_opinions_record, joint_rereview_record

    ids = list(
        project.candidates.exclude(status__in=[CandidateStatus.WITHDRAWN, CandidateStatus.APPROVED]).values_list(
            "pk", flat=True
        )
    )
    today = timezone.localdate()
    joint_opinions_record(
        actor=users.ts_a, project=project, candidate_ids=ids, departments=list(DEPARTMENTS), agreed=True,
        given_on=today, reviewer="王审核",
    )  # fmt: skip
    joint_rereview_record(actor=users.ds, project=project, candidate_ids=ids, agreed=True, reviewed_on=today)


@pytest.fixture
def nominated(project, users, members):
    """Village A1 in 确定人选 with four candidates through the eligibility checklist, on the final list."""
    from elections.models import ListStage
    from elections.services.candidates import candidate_add, candidates_promote, eligibility_record

    project = finish_steps(users.ds, project, until=Phase.NOMINATING)
    cands = [candidate_add(actor=users.sec_a1, project=project, member=m) for m in members["a1"][:4]]
    for c in cands:
        eligibility_record(
            actor=users.ts_a, candidate=c, department="县纪委监委", results={f"barring:{i}": True for i in range(1, 12)}
        )
    ids = [c.pk for c in cands]
    candidates_promote(actor=users.sec_a1, project=project, stage=ListStage.INSPECTION, candidate_ids=ids)
    candidates_promote(actor=users.sec_a1, project=project, stage=ListStage.FINAL, candidate_ids=ids)
    return project, cands


@pytest.fixture
def calendar_2026(db):
    seed_test_calendar(2025, 2026)


@pytest.fixture
def election_date() -> date:
    return timezone.localdate() + timedelta(days=60)


@pytest.fixture
def project(tree, users, members, settings, tmp_path, calendar_2026, election_date) -> ElectionProject:
    settings.MEDIA_ROOT = tmp_path / "media"
    return project_create(actor=users.ts_a, organization=tree.village_a1, election_date=election_date, seats=3)


@pytest.fixture
def electing(project, users):
    return finish_steps(users.ds, project, until=Phase.NOMINATING)


__all__ = ["finish_steps", "joint_review_clear", "pdf", "Phase"]


def village_a1_at_congress(users, tree, members, election_date, *, seats: int):
    """Village A1 (8 full members) with ``seats`` seats, 5 approved committee candidates and a secretary nominee,
    through the joint review and the notice; the congress is open, everyone present, no round yet.
    Returns (project, meeting)."""
    village = members["a1"]
    project = project_create(actor=users.ts_a, organization=tree.village_a1, election_date=election_date, seats=seats)
    project = finish_steps(users.ds, project, until=Phase.NOMINATING)
    voters_register(actor=users.sec_a1, project=project)
    recommendations_save(
        actor=users.sec_a1, project=project, round="members", counts={m.pk: 8 - i for i, m in enumerate(village[:5])}
    )
    cands = [candidate_add(actor=users.sec_a1, project=project, member=m) for m in village[:5]]
    for c in cands:
        eligibility_record(
            actor=users.ts_a, candidate=c, department="县纪委监委", results={f"barring:{i}": True for i in range(1, 12)}
        )
    sec = candidate_add(actor=users.sec_a1, project=project, member=village[0], post="secretary")
    eligibility_record(
        actor=users.ts_a, candidate=sec, department="县委组织部", results={f"secretary:{i}": True for i in range(1, 10)}
    )
    ids = [c.pk for c in [*cands, sec]]
    candidates_promote(actor=users.sec_a1, project=project, stage=ListStage.INSPECTION, candidate_ids=ids)
    candidates_promote(actor=users.sec_a1, project=project, stage=ListStage.FINAL, candidate_ids=ids)
    joint_review_clear(users, project)
    candidates_approve(actor=users.ts_a, project=project)
    notice_publish(actor=users.sec_a1, project=project, starts_on=timezone.localdate())
    project = finish_steps(users.ds, project, until=Phase.ELECTING)
    meeting = meeting_open(actor=users.sec_a1, project=project, held_on=timezone.localdate())
    attendance_save(actor=users.sec_a1, meeting=meeting, present_member_ids=[m.pk for m in village])
    return project, meeting
