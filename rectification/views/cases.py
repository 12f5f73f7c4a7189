"""The case page (a timeline of everything that happened), opening a case by hand, its header and work group, and
the phase moves. Writes go through ``rectification.services``' topic modules; a refusal comes back as a message or
form error."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from grading.models import AssessmentStatus
from organizations.roles import Perm
from organizations.scope import can, require
from organizations.selectors import organization_get
from rectification import access
from rectification.forms import CaseHeaderForm, CaseOpenForm, MoveForm, WorkGroupMemberForm
from rectification.models import Case, RegradeStatus
from rectification.rules.cases import PHASE_MOVES, Phase
from rectification.selectors import cases as case_selectors
from rectification.selectors import management as management_selectors
from rectification.services import cases as case_services
from rectification.services import yearend as yearend_services
from rectification.services.acceptance import may_accept
from rectification.services.cases import HEADER_FIELDS, allowed_moves
from rectification.services.regrade import latest_assessment
from rectification.views.common import form_page, refuse, run_service


def _regrade_page(user: object, case: Case) -> str:
    """Grading's page for the re-grade: the district's queue for a filed request; for a request still pending because
    the accepting officer could not file it, the township's own request form once the grade is final."""
    req = case.regrade_request
    if req is not None:
        if not can(user, Perm.REVIEW_GRADES, case.organization):
            return ""
        return reverse("grading:district_regrade", kwargs={"campaign_pk": req.assessment.campaign_id})
    if case.regrade_status != RegradeStatus.PENDING or not can(user, Perm.REQUEST_REGRADE, case.organization):
        return ""
    latest = latest_assessment(case.organization)
    if latest is None or latest.status != AssessmentStatus.FINAL:
        return ""
    return reverse("grading:regrade_request", args=[latest.pk])


def case_url(case: Case) -> str:
    return reverse("rectification:case_detail", args=[case.pk])


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.case_get(request.user, pk)
    today = timezone.localdate()
    org = case.organization
    is_open = case.is_open
    rows = case_selectors.ledger_rows(case, today)
    measures = [r.measure for r in rows if r.measure is not None]
    moves = [(target, PHASE_MOVES[(Phase(case.phase), target)].label) for target in allowed_moves(request.user, case)]
    return render(
        request,
        "rectification/case.html",
        {
            "case": case,
            "org": org,
            "rows": rows,
            "progress": case_selectors.case_progress(case),
            "overdue": sum(r.overdue for r in rows),
            "budget": sum((m.budget or 0) for m in measures),
            "spent": sum(m.spent for m in measures),
            "days_open": ((case.closed_on or today) - case.opened_on).days,
            "projects": case.projects.all(),
            "targets": case.targets.all(),
            "development": case_selectors.development_check(case),
            "work_group": case.work_group.all(),
            # 挂点领导: the header's name and whoever follows the organization now (records and role holders)
            "liaison_leaders": list(
                dict.fromkeys(n for n in [case.liaison_leader, *management_selectors.liaison_names(org)] if n)
            ),
            "acceptances": case.acceptances.select_related("decided_by").prefetch_related("issues"),
            "visits": case.supervision_visits.select_related("by"),
            "timeline": case_selectors.timeline(case),
            "moves": moves,
            "phases": [p for p in Phase],
            "may_manage": is_open and can(request.user, Perm.MANAGE_CASES, org),
            "may_report": is_open and can(request.user, Perm.REPORT_PROGRESS, org),
            "may_accept": case.phase == Phase.ACCEPTING and may_accept(request.user, case),
            "may_supervise": is_open
            and (can(request.user, Perm.SUPERVISE, org) or can(request.user, Perm.MANAGE_CASES, org)),
            "may_export": can(request.user, Perm.VIEW_RECORDS, org),
            "regrade_request": case.regrade_request,
            "regrade_page": _regrade_page(request.user, case),
            "yearend": yearend_services.status_of(case, today),
            "may_report_yearend": yearend_services.may_report(request.user, case),
        },
    )


@login_required
def case_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a case by hand for a 后进支部 (or a 软弱涣散 one that has none)."""
    org = organization_get(request.user, pk)
    require(request.user, Perm.MANAGE_CASES, org)
    form = CaseOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        case = run_service(
            form,
            lambda: case_services.case_open_by_hand(
                actor=request.user, organization=org, year=d["year"], reason=d["reason"], opened_on=d["opened_on"]
            ),
        )
        if case is not None:
            messages.success(request, f"已为{org.name}整顿立案")
            return redirect(case_url(case))
    return form_page(
        request,
        title=f"{org.name}:整顿立案",
        form=form,
        org=org,
        back=reverse("rectification:org_page", args=[org.pk]),
        intro="后进支部经乡镇(街道)党(工)委研究可以立案整顿;软弱涣散支部在定级后自动立案。",
        submit="立案",
    )


@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.case_get(request.user, pk)
    require(request.user, Perm.MANAGE_CASES, case.organization)
    form = CaseHeaderForm(request.POST or None, instance=case, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in HEADER_FIELDS}
        saved = run_service(
            form,
            lambda: case_services.case_update(
                actor=request.user, case=case, expected_version=form.cleaned_data["version"], **values
            ),
        )
        if saved is not None:
            messages.success(request, "已保存工作组、人员和阶段计划")
            return redirect(case_url(saved))
    return form_page(
        request, title=f"{case.organization.name}:工作组与阶段计划", form=form, case=case, back=case_url(case)
    )


@login_required
def workgroup_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.case_get(request.user, pk)
    require(request.user, Perm.MANAGE_CASES, case.organization)
    form = WorkGroupMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = run_service(
            form, lambda: case_services.workgroup_member_add(actor=request.user, case=case, **form.cleaned_data)
        )
        if member is not None:
            messages.success(request, f"{member.person_name}已加入工作组")
            return redirect(case_url(case))
    return form_page(
        request, title=f"{case.organization.name}:添加工作组成员", form=form, case=case, back=case_url(case)
    )


@login_required
@require_POST
def workgroup_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.workgroup_member_get(request.user, pk)
    case = member.case
    require(request.user, Perm.MANAGE_CASES, case.organization)
    try:
        case_services.workgroup_member_remove(actor=request.user, member=member)
        messages.success(request, f"{member.person_name}已退出工作组")
    except ValidationError as exc:
        refuse(request, exc)
    return redirect(case_url(case))


@login_required
@require_POST
def case_move(request: HttpRequest, pk: int) -> HttpResponse:
    """A phase move by hand (查摆问题 → 整顿提高 → 检查验收); closing is the acceptance's alone."""
    case = access.case_get(request.user, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请求不完整,请刷新后重试")
        return redirect(case_url(case))
    d = form.cleaned_data
    try:
        moved = case_services.case_transition(
            actor=request.user, case=case, to=d["to"], note=d["note"], expected_version=d["version"]
        )
        messages.success(request, f"{case.organization.name}整顿已转入“{moved.get_phase_display()}”")
    except ValidationError as exc:
        refuse(request, exc)
    return redirect(case_url(case))
