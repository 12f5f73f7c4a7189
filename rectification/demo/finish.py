"""The end of the rectification demo's flow, through the services themselves, as the district and township
officers would: one case passes its acceptance, which files the re-grade with grading, and the district re-grades it
one grade up (re-scored item by item, ``regrade_scoring``); one that was open at a year-end has the township's
written report filed and then fails its acceptance, back to 整顿提高 with the unsatisfied items.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.documents import render_pdf
from core.models import Event
from grading.models import Assessment, AssessmentStatus, Item, ItemScore, ScoreLevel
from grading.rules import grades as grading_rules
from grading.rules.grades import Category
from grading.services import regrade as yearend
from organizations.models import Organization, RoleAssignment
from organizations.roles import Role
from rectification.models import (
    Case,
    YearEndReport,
)
from rectification.rules.acceptance import InspectionItem
from rectification.rules.cases import Phase
from rectification.rules.yearend import due_for
from rectification.services import acceptance as acceptance_services
from rectification.services import cases as case_services
from rectification.services.regrade import latest_assessment
from rectification.services.subscriber import handle_grade_finalized
from rectification.services.yearend import campaign_dues, yearend_report_submit

PASSED_FINDINGS = {
    InspectionItem.REPORT: "听取工作组和支部书记汇报,整改任务逐项销号",
    InspectionItem.RECORDS: "整改台账、会议记录、佐证材料齐全",
    InspectionItem.SITE: "活动场所已投入使用,公开栏按季度更新",
    InspectionItem.MASSES: "走访群众12户,对班子评价明显好转",
}
FAILED_FINDINGS = {
    InspectionItem.REPORT: "汇报材料齐全",
    InspectionItem.RECORDS: "台账基本完整,部分会议记录为补记",
    InspectionItem.SITE: "便民服务代办点未按计划运转",
    InspectionItem.MASSES: "走访群众10户,对办事效率仍有意见",
}
FAILED_ITEMS = (
    ("便民服务代办点落实村干部轮流坐班,公布值班表", 30),
    ("对群众反映的办事难问题逐件回访,建立回访台账", 45),
)


def _holder(org: Organization, role: Role) -> Any:
    grant = (
        RoleAssignment.objects.filter(organization=org, role=role, revoked_at__isnull=True, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return grant.user if grant is not None else None


def cases_to_finish(cases: list[Case], today: date) -> tuple[Case | None, Case | None]:
    """Which case to close and re-grade, and which to fail after its year-end report: never the first (kept in
    检查验收) nor the last (kept stalled), so at least four open cases are needed.

    To close: one whose organization's latest grade is final and can rise, preferably a 较差 one that owes no
    year-end report (opened after the last year-end). To fail: a 软弱涣散 case that was open at a past year-end."""
    middle = cases[1:-1] if len(cases) >= 4 else []
    dues = campaign_dues()
    owes = {c.pk: c.category == Category.WEAK and due_for(c.opened_on, None, dues, today) is not None for c in middle}
    grades: dict[int, str] = {}
    for c in middle:
        a = latest_assessment(c.organization)
        if a is not None and a.status == AssessmentStatus.FINAL and a.final_grade not in ("", grading_rules.Grade.GOOD):
            grades[c.pk] = a.final_grade
    closing = min(
        (c for c in middle if c.pk in grades),
        key=lambda c: (owes[c.pk], grades[c.pk] != grading_rules.Grade.POOR),
        default=None,
    )
    failing = next((c for c in middle if owes[c.pk] and c is not closing), None)
    return closing, failing


def finish_cases(root: Organization, closing: Case | None, failing: Case | None, today: date) -> tuple[str, str]:
    officer = _holder(root, Role.DISTRICT_STAFF)
    if officer is None:
        return "", ""
    regraded = _close_and_regrade(closing, officer, today) if closing is not None else ""
    reported = _report_and_fail(failing, officer, today) if failing is not None else ""
    return regraded, reported


def _to_acceptance(case: Case, officer: Any, today: date) -> None:
    case_services.case_transition(actor=officer, case=case, to=Phase.ACCEPTING, today=today - timedelta(days=4))


def _close_and_regrade(case: Case, officer: Any, today: date) -> str:
    """A passed acceptance closes the case and files the re-grade (REQUEST_REGRADE); the district decides one grade
    up on grading's service, item by item when the township scored every item (``regrade_scoring``), and the
    finalization is applied here (the subscriber's own call, which the on-commit event repeats as a no-op) so the
    category follows even inside an enclosing transaction."""
    _to_acceptance(case, officer, today)
    acceptance_services.acceptance_record(
        actor=officer,
        case=case,
        held_on=today - timedelta(days=2),
        self_check="对照整顿方案逐项自查:查摆出的问题均已制定措施并整改完成,整改台账和佐证材料归档齐全。",
        representatives_total=36,
        satisfied=26,
        basically_satisfied=8,
        unsatisfied=2,
        inspections={k: acceptance_services.Inspection(True, text) for k, text in PASSED_FINDINGS.items()},
        opinion="整顿转化目标基本实现,同意验收通过,工作组撤离,转入常态化管理。",
    )
    case = Case.objects.select_related("regrade_request__assessment", "organization").get(pk=case.pk)
    request = case.regrade_request
    if request is None:  # pending or not needed: the case page says why
        return case.organization.name
    current = request.assessment.final_grade
    grade = grading_rules.GRADE_ORDER[grading_rules.grade_order(current) - 1]
    scoring = regrade_scoring(request.assessment, grade)
    assessment = yearend.regrade_decide(
        actor=officer,
        request=request,
        grade=grade,
        opinion=f"经重新量化考核,整顿转化成效明显,同意由“{grading_rules.Grade(current).label}”调整为“{grade.label}”。",
        today=today,
        scoring=scoring,
    )
    handle_grade_finalized(assessment.pk)
    return case.organization.name


BAND_MIN = {
    grading_rules.Grade.GOOD: grading_rules.GOOD_MIN,
    grading_rules.Grade.FAIRLY_GOOD: grading_rules.FAIRLY_GOOD_MIN,
    grading_rules.Grade.AVERAGE: grading_rules.AVERAGE_MIN,
    grading_rules.Grade.POOR: Decimal("0"),
}
RAISED_NOTE = "整顿后已整改到位,复核加分"


def regrade_scoring(assessment: Assessment, grade: grading_rules.Grade) -> yearend.RegradeScoring | None:
    """The district's year-end re-scoring on the township's template (附件4): the township's item scores with a few
    raised (most room first) until the total reaches ``grade``'s band, no veto item triggered (the rectification
    dealt with it). ``None`` (re-grade by grade only) when the township left an item unscored or its total already
    lies above that band."""
    items = list(
        Item.objects.filter(dimension__template_id=assessment.template_id).order_by("dimension__order", "order", "pk")
    )
    township = {s.item_id: s for s in ItemScore.objects.filter(assessment=assessment, level=ScoreLevel.TOWNSHIP)}
    scored = [i for i in items if not i.is_veto]
    if not scored or any(township.get(i.pk) is None or township[i.pk].points is None for i in scored):
        return None
    points = {i.pk: township[i.pk].points for i in scored}
    notes = {i.pk: township[i.pk].note for i in scored}
    low = BAND_MIN[grade]
    above = [
        BAND_MIN[g]
        for g in grading_rules.GRADE_ORDER
        if grading_rules.grade_order(g) < grading_rules.grade_order(grade)
    ]
    high = min(above) if above else Decimal("100.1")
    total = sum(points.values(), Decimal("0"))
    if total >= high:
        return None
    # a little into the band, not on its edge (still below the next band up)
    need = min(low + 2, high - Decimal("0.1")) - total
    for item in sorted(scored, key=lambda i: (points[i.pk] - i.max_points, i.pk)):
        if need <= 0:
            break
        step = min(item.max_points - points[item.pk], need)
        if step <= 0:
            continue
        points[item.pk] += step
        notes[item.pk] = RAISED_NOTE
        need -= step
    return yearend.RegradeScoring(item_scores={pk: (grading_rules.fmt(v), notes[pk]) for pk, v in points.items()})


def _report_and_fail(case: Case, officer: Any, today: date) -> str:
    """The township files the written report the year-end asked for (dated a few days after its cut-off), then the
    district's acceptance fails: the unsatisfied items go back into the ledger with deadlines."""
    township = Organization.objects.get(path=case.organization.township_path())
    clerk = _holder(township, Role.TOWNSHIP_STAFF)
    if clerk is None:
        return ""
    title = f"关于{case.organization.name}整顿不力情况的报告"
    pdf = render_pdf(
        "documents/plain.html",
        {
            "title": title,
            "meta": f"{township.name}(演示数据)",
            "paragraphs": [
                "区委:",
                f"{case.organization.name}于{case.opened_on:%Y年%-m月%-d日}被确定为软弱涣散基层党组织并立案整顿。"
                "截至年底申请复核截止日,该支部班子调整尚未到位,便民服务代办点未正常运转,整顿工作未能通过验收。",
                "下一步,党委将继续派驻工作组,落实第一书记抓班子带队伍,限期完成整改任务后再申请检查验收。",
                "特此报告。",
            ],
        },
    )
    report = yearend_report_submit(
        actor=clerk,
        case=case,
        upload=SimpleUploadedFile(f"{title}.pdf", pdf, content_type="application/pdf"),
        note="班子调整未到位,整顿工作未通过验收(演示数据)",
        today=today,
    )
    cutoff = next((d.due for d in campaign_dues() if d.year == report.year), None)
    if cutoff is not None:
        filed = timezone.make_aware(datetime.combine(cutoff + timedelta(days=6), time(10, 0)))
        if filed < report.at:  # filed after the cut-off, not today (as grading's demo dates its own steps)
            YearEndReport.objects.filter(pk=report.pk).update(at=filed)
            Event.objects.filter(
                verb="rectification.yearend_report", target_type="rectification.case", target_id=str(case.pk)
            ).update(at=filed)
    _to_acceptance(case, officer, today)
    acceptance_services.acceptance_record(
        actor=officer,
        case=case,
        held_on=today - timedelta(days=2),
        self_check="对照整顿方案自查:大部分措施已完成,便民服务和群众工作仍有差距。",
        representatives_total=30,
        satisfied=12,
        basically_satisfied=6,
        unsatisfied=12,
        inspections={
            k: acceptance_services.Inspection(k != InspectionItem.SITE, text) for k, text in FAILED_FINDINGS.items()
        },
        items=[
            acceptance_services.UnsatisfiedItem(text, today + timedelta(days=days), case.work_group_leader)
            for text, days in FAILED_ITEMS
        ],
        opinion="整顿工作未达到验收要求,工作组不收队,限期整改后重新申请检查验收。",
    )
    return case.organization.name
