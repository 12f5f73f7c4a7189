"""The township committee's written report on a rectification not accepted by the year-end (source part 1 §三(三)1:
"软弱涣散基层党组织整顿不力的需以党委或工委名义书面向区委报告").

When: a 软弱涣散 case still open on a campaign's ``regrade_request_due`` (10 Dec, the day the year-end requests are
due) owes the report for that year once that day has passed. Who: the township committee (REQUEST_REGRADE, the
township's own year-end work, "以党委或工委名义"; the district reads it). It is kept here, on the case, not in
grading's ``RegradeSupplement``: that one hangs on a re-grade request, and a failed rectification usually has none.
A report the township attached to a re-grade request of the same organization and year is counted as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from core import audit, uploads
from core.uploads import validate_upload
from grading.models import Campaign, RegradeSupplement
from grading.rules.grades import Category
from organizations.roles import Perm
from rectification.access import require_on
from rectification.models import Case, YearEndReport
from rectification.rules.yearend import YearEndDue, due_for
from rectification.services import progress as progress_services
from rectification.services.cases import lock_case

REPORT_DIR = "rectification/yearend-reports"


def campaign_dues() -> list[YearEndDue]:
    return [YearEndDue(y, d) for y, d in Campaign.objects.values_list("year", "regrade_request_due")]


@dataclass(frozen=True)
class YearEndStatus:
    required: bool
    year: int | None = None
    due: date | None = None
    report: YearEndReport | None = None
    supplement: RegradeSupplement | None = None

    @property
    def missing(self) -> bool:
        return self.required and self.report is None and self.supplement is None


def _supplements(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], RegradeSupplement]:
    """Written reports attached to re-grade requests, by (organization, year)."""
    if not pairs:
        return {}
    orgs = {o for o, _ in pairs}
    years = {y for _, y in pairs}
    found: dict[tuple[int, int], RegradeSupplement] = {}
    rows = (
        RegradeSupplement.objects.filter(
            request__assessment__organization_id__in=orgs, request__assessment__campaign__year__in=years
        )
        .exclude(written_report="")
        .select_related("request__assessment__campaign")
    )
    for s in rows:
        key = (s.request.assessment.organization_id, s.request.assessment.campaign.year)
        if key in pairs:
            found.setdefault(key, s)
    return found


def statuses(cases: list[Case], today: date | None = None) -> dict[int, YearEndStatus]:
    """The year-end report status of each case, in three queries whatever their number (for the boards)."""
    today = today or timezone.localdate()
    dues = campaign_dues()
    owed = {
        c.pk: d
        for c in cases
        if c.category == Category.WEAK and (d := due_for(c.opened_on, c.closed_on, dues, today)) is not None
    }
    if not owed:
        return {c.pk: YearEndStatus(required=False) for c in cases}
    reports = {
        (r.case_id, r.year): r for r in YearEndReport.objects.filter(case_id__in=owed).select_related("uploaded_by")
    }
    by_pk = {c.pk: c for c in cases}
    supplements = _supplements({(by_pk[pk].organization_id, d.year) for pk, d in owed.items()})
    result: dict[int, YearEndStatus] = {}
    for c in cases:
        d = owed.get(c.pk)
        if d is None:
            result[c.pk] = YearEndStatus(required=False)
            continue
        result[c.pk] = YearEndStatus(
            required=True,
            year=d.year,
            due=d.due,
            report=reports.get((c.pk, d.year)),
            supplement=supplements.get((c.organization_id, d.year)),
        )
    return result


def status_of(case: Case, today: date | None = None) -> YearEndStatus:
    return statuses([case], today)[case.pk]


def yearend_report_submit(
    *, actor: Any, case: Case, upload: UploadedFile, note: str = "", today: date | None = None
) -> YearEndReport:
    """Store the township's written report for the year-end the case owes it; uploading again replaces the file.
    A refused file leaves nothing on disk and no row."""
    today = today or timezone.localdate()
    validate_upload(upload, progress_services.EVIDENCE_UPLOADS)
    original = uploads.display_name(upload.name or "")
    path = f"{REPORT_DIR}/{case.pk}/{uploads.stored_name(upload.name or '')}"
    saved = ""
    old_file = ""
    try:
        with transaction.atomic():
            locked = lock_case(case)
            require_on(actor, Perm.REQUEST_REGRADE, locked.organization, "报送整顿不力书面报告")
            owed = status_of(locked, today)
            if not owed.required or owed.year is None:
                raise ValidationError(
                    f"{locked.organization.name}的整顿在年底复核申请截止日前未处于未验收状态,无需报送整顿不力书面报告"
                )
            saved = default_storage.save(path, upload)
            report = YearEndReport.objects.select_for_update().filter(case=locked, year=owed.year).first()
            replaced = report is not None
            if report is None:
                report = YearEndReport(case=locked, year=owed.year)
            else:
                old_file = report.file.name
            report.file = saved
            report.original_name = original
            report.content_type = uploads.content_type_for(upload.name or "")
            report.size = upload.size or 0
            report.note = note.strip()
            report.uploaded_by = actor
            report.at = timezone.now()
            report.save()
            audit.record(
                actor=actor,
                verb="rectification.yearend_report",
                summary=f"{locked.organization.name}:{'重新' if replaced else ''}报送{owed.year}年底整顿不力书面报告"
                f"“{original}”",
                target=locked,
                org_path=locked.organization.path,
                after={"year": owed.year, "file": original, "size": report.size},
            )
    except BaseException:
        if saved:
            default_storage.delete(saved)
        raise
    if old_file:
        transaction.on_commit(lambda: default_storage.delete(old_file))
    return report
