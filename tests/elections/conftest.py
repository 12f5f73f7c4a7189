"""An election project of village A1 (8 full members in the shared tree, plus the helpers that walk its steps)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from elections.models import ElectionProject, Phase
from elections.services import workflow
from elections.services.projects import project_create
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


__all__ = ["finish_steps", "pdf", "Phase"]
