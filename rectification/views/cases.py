"""The case page (a timeline of everything that happened), opening a case by hand, its header and work group, and
the phase moves. Thin: objects through ``rectification.access``, reads through the selectors, writes through the
services (form pages with ``core.edits.form_submit``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.edits import form_submit
from organizations.roles import Perm
from rectification import access
from rectification.forms import CaseHeaderForm, CaseOpenForm, MoveForm, WorkGroupMemberForm
from rectification.selectors import cases as case_selectors
from rectification.services import cases as case_services
from rectification.views.common import act, case_url, form_page


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.case_for(request.user, pk)
    context = case_selectors.case_page(request.user, case, timezone.localdate())
    return render(request, "rectification/case.html", {**context, **access.case_actions(request.user, case)})


@login_required
def case_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a case by hand for a 后进支部 (or a 软弱涣散 one that has none)."""
    org = access.organization_for(request.user, pk, perm=Perm.MANAGE_CASES)
    form = CaseOpenForm(request.POST or None)
    done = form_submit(
        request,
        form,
        lambda d: case_services.case_open_by_hand(
            actor=request.user, organization=org, year=d["year"], reason=d["reason"], opened_on=d["opened_on"]
        ),
        success=f"已为{org.name}整顿立案",
        then=lambda case: redirect(case_url(case)),
    )
    return done or form_page(
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
    case = access.case_for(request.user, pk, perm=Perm.MANAGE_CASES)
    form = CaseHeaderForm(request.POST or None, instance=case, initial={"version": case.version})
    done = form_submit(
        request,
        form,
        lambda d: case_services.case_update(
            actor=request.user,
            case=case,
            expected_version=d["version"],
            **{k: d[k] for k in case_services.HEADER_FIELDS},
        ),
        success="已保存工作组、人员和阶段计划",
        then=lambda saved: redirect(case_url(saved)),
    )
    return done or form_page(
        request, title=f"{case.organization.name}:工作组与阶段计划", form=form, case=case, back=case_url(case)
    )


@login_required
def workgroup_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.case_for(request.user, pk, perm=Perm.MANAGE_CASES)
    form = WorkGroupMemberForm(request.POST or None)
    done = form_submit(
        request,
        form,
        lambda d: case_services.workgroup_member_add(actor=request.user, case=case, **d),
        success=lambda member: f"{member.person_name}已加入工作组",
        then=lambda _: redirect(case_url(case)),
    )
    return done or form_page(
        request, title=f"{case.organization.name}:添加工作组成员", form=form, case=case, back=case_url(case)
    )


@login_required
@require_POST
def workgroup_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.workgroup_member_for(request.user, pk, perm=Perm.MANAGE_CASES)
    act(
        request,
        lambda: case_services.workgroup_member_remove(actor=request.user, member=member),
        f"{member.person_name}已退出工作组",
    )
    return redirect(case_url(member.case))


@login_required
@require_POST
def case_move(request: HttpRequest, pk: int) -> HttpResponse:
    """A phase move by hand (查摆问题 → 整顿提高 → 检查验收); closing is the acceptance's alone."""
    case = access.case_for(request.user, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请求不完整,请刷新后重试")
        return redirect(case_url(case))
    d = form.cleaned_data
    act(
        request,
        lambda: case_services.case_transition(
            actor=request.user, case=case, to=d["to"], note=d["note"], expected_version=d["version"]
        ),
        lambda moved: f"{case.organization.name}整顿已转入“{moved.get_phase_display()}”",
    )
    return redirect(case_url(case))
