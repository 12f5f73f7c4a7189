"""A generated paper stored as a step's required document, through the same door as an upload.

The PDF is wrapped as an uploaded file and handed to
``elections.services.workflow.document_upload``: the same permission
check (the step's owner level or the township), the same type/size checks, the same storage, row and event.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from elections.documents.papers import paper_for, render_paper
from elections.models import Step, StepDocument
from elections.services.workflow import document_upload


def step_document_generate(*, actor: Any, step: Step, kind: str) -> StepDocument:
    """Render the paper that fills ``kind`` for this step and attach it to the step."""
    paper = paper_for(step.template.number, kind)
    if paper is None:
        raise ValidationError(f"第{step.template.number}步没有可生成的该类材料")
    if kind not in step.template.required_documents:
        raise ValidationError(f"第{step.template.number}步不需要该类材料")
    filename, content = render_paper(step.project, paper)
    upload = SimpleUploadedFile(filename, content, content_type="application/pdf")
    return document_upload(actor=actor, step=step, kind=kind, upload=upload)
