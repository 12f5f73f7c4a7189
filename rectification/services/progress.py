"""Progress notes and evidence files of a case (REPORT_PROGRESS: the branch secretary of the organization, its
liaison, the township, the district), reported against the ledger's measures.

Every write locks the case, checks the permission on its organization and that the case is still open, and leaves
an audit event on the case so its page can show one timeline. Files are checked (``core.uploads``) before
anything is written and stored under a random name.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from core import audit, uploads
from core.uploads import MEGABYTE, UploadPolicy, validate_upload
from organizations.roles import Perm
from rectification.models import Case, Evidence, Measure, ProgressNote
from rectification.rules import ledger as ledger_rules
from rectification.services.ledger import lock_open_case, mark_done

EVIDENCE_DIR = "rectification/evidence"

# Photos, minutes and files of the ledger (issue 4 §4), and the township's year-end written report: the formats
# offices exchange, 20 MB at most each.
EVIDENCE_UPLOADS = UploadPolicy(
    extensions=("jpg", "jpeg", "png", "pdf", "doc", "docx", "xls", "xlsx"), max_bytes=20 * MEGABYTE
)


def _measure_of(case: Case, measure: Measure | None) -> Measure | None:
    if measure is None:
        return None
    if not Measure.objects.filter(pk=measure.pk, problem__case=case).exists():
        raise ValidationError("该整改措施不属于本案件")
    return Measure.objects.get(pk=measure.pk)


@transaction.atomic
def progress_note_add(
    *, actor: Any, case: Case, text: str, measure: Measure | None = None, percent: int | None = None
) -> ProgressNote:
    """Report progress, optionally on one measure with its new percentage (100% marks it done)."""
    locked = lock_open_case(actor, case, Perm.REPORT_PROGRESS, "报告整改进展")
    if not text.strip():
        raise ValidationError("请填写进展情况")
    measure = _measure_of(locked, measure)
    if percent is not None:
        if measure is None:
            raise ValidationError("填写完成进度时请选择整改措施")
        if not 0 <= percent <= ledger_rules.PERCENT_DONE:
            raise ValidationError(f"完成进度须在0–100%之间(收到{percent}%)")
        measure.percent = percent
        measure.status = ledger_rules.status_for_percent(percent)
        mark_done(measure, None)
        measure.save(update_fields=["percent", "status", "done_on", "updated_at"])
    note = ProgressNote.objects.create(case=locked, measure=measure, text=text.strip(), author=actor, at=timezone.now())
    audit.record_on(
        locked,
        actor=actor,
        verb="rectification.progress_note",
        summary=f"报告进展:{note.text[:60]}",
        after={"measure": measure.pk if measure else None, "percent": percent},
    )
    return note


def evidence_upload(
    *, actor: Any, case: Case, upload: UploadedFile, measure: Measure | None = None, description: str = ""
) -> Evidence:
    """Store one evidence file under a random name. A refused file leaves nothing on disk and no row."""
    validate_upload(upload, EVIDENCE_UPLOADS)
    original = uploads.display_name(upload.name or "")
    path = f"{EVIDENCE_DIR}/{case.pk}/{uploads.stored_name(upload.name or '')}"
    saved = ""
    try:
        with transaction.atomic():
            locked = lock_open_case(actor, case, Perm.REPORT_PROGRESS, "上传佐证材料")
            measure = _measure_of(locked, measure)
            saved = default_storage.save(path, upload)
            evidence = Evidence.objects.create(
                case=locked,
                measure=measure,
                file=saved,
                original_name=original,
                content_type=uploads.content_type_for(upload.name or ""),
                size=upload.size,
                description=description.strip()[:200],
                uploaded_by=actor,
            )
            audit.record_on(
                locked,
                actor=actor,
                verb="rectification.evidence_upload",
                summary=f"上传佐证材料“{original}”",
                after={"file": evidence.pk, "size": upload.size},
            )
    except BaseException:
        # The row rolled back: the file must not stay behind.
        if saved:
            default_storage.delete(saved)
        raise
    return evidence


@transaction.atomic
def progress_report(
    *,
    actor: Any,
    case: Case,
    text: str,
    measure: Measure | None = None,
    percent: int | None = None,
    upload: UploadedFile | None = None,
    description: str = "",
) -> ProgressNote:
    """The secretary's report from a phone in one step: a note (a measure's new percent) and, optionally, an
    evidence file; both or neither are saved."""
    note = progress_note_add(actor=actor, case=case, text=text, measure=measure, percent=percent)
    if upload:
        evidence_upload(actor=actor, case=case, upload=upload, measure=measure, description=description)
    return note
