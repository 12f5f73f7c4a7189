"""The district's record of how it checked a township's submission (第一篇 三(一)3(1): 实地了解, 召开座谈会, 个别访谈,
听取纪检部门意见): one service that checks the permission, the attachment (grading's upload policy) and writes the
audit event."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from core import audit
from core.uploads import display_name, stored_name
from grading.models import Assessment, Campaign, ReviewEvidence, ReviewMethod
from grading.services.objections import validate_upload
from organizations.access import is_district_staff
from organizations.models import Organization


@transaction.atomic
def review_evidence_add(
    *,
    actor: Any,
    campaign: Campaign,
    township: Organization,
    method: str,
    held_on: date,
    notes: str,
    upload: UploadedFile | None = None,
    assessment: Assessment | None = None,
) -> ReviewEvidence:
    if not is_district_staff(actor):
        raise PermissionDenied("综合考评由区委组织部记录")
    if township.depth != 2:
        raise ValidationError("请选择乡镇(街道)")
    if method not in ReviewMethod.values:
        raise ValidationError({"method": "请选择考评方式:实地了解、召开座谈会、个别访谈或听取纪检部门意见"})
    if not notes.strip():
        raise ValidationError({"notes": "请记录考评的情况"})
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "日期不能晚于今天"})
    if assessment is not None and (
        assessment.campaign_id != campaign.pk or not assessment.organization.path.startswith(township.path)
    ):
        raise ValidationError({"assessment": "该党组织不属于本乡镇(街道)本年度的分类定级"})
    if upload is not None:
        validate_upload(upload, what="附件")
    row = ReviewEvidence(
        campaign=campaign,
        township=township,
        assessment=assessment,
        method=method,
        held_on=held_on,
        notes=notes.strip(),
        recorded_by=actor,
    )
    if upload is not None:
        row.original_name = display_name(upload.name)
        row.file.save(stored_name(upload.name), upload, save=False)
    row.save()
    audit.record(
        actor=actor,
        verb="grading.review_evidence",
        summary=f"{township.name}:记录综合考评({row.get_method_display()},{held_on})",
        target=row,
        org_path=township.path,
        after={"method": method, "held_on": held_on.isoformat(), **({"file": row.original_name} if upload else {})},
    )
    return row
