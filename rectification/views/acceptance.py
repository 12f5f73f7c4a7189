"""Acceptance (检查验收) and supervision visits (督查) of one case.

Only a passed acceptance closes the case ("不达标不收队"): the page records the acceptance and the service decides.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from organizations.roles import Perm
from organizations.scope import can
from rectification import access
from rectification.forms import AcceptanceForm, SupervisionForm, UnsatisfiedItemFormSet
from rectification.rules.acceptance import InspectionItem
from rectification.services import acceptance as acceptance_services
from rectification.services.acceptance import may_accept
from rectification.views.cases import case_url
from rectification.views.common import form_page, run_service


@login_required
def acceptance(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.case_get(request.user, pk)
    if not may_accept(request.user, case):
        raise PermissionDenied(f"您没有权限对{case.organization.name}的整顿进行检查验收")
    form = AcceptanceForm(request.POST or None)
    items = UnsatisfiedItemFormSet(request.POST or None, prefix="items")
    status = 200
    if request.method == "POST":
        if form.is_valid() and items.is_valid():
            d = form.cleaned_data
            record = run_service(
                form,
                lambda: acceptance_services.acceptance_record(
                    actor=request.user,
                    case=case,
                    held_on=d["held_on"],
                    self_check=d["self_check"],
                    representatives_total=d["representatives_total"],
                    satisfied=d["satisfied"],
                    basically_satisfied=d["basically_satisfied"],
                    unsatisfied=d["unsatisfied"],
                    inspections={
                        k: acceptance_services.Inspection(passed=d[f"{k}_passed"], findings=d[f"{k}_findings"])
                        for k in InspectionItem.values
                    },
                    items=[
                        acceptance_services.UnsatisfiedItem(
                            text=i["text"], deadline=i["deadline"], responsible=i.get("responsible", "")
                        )
                        for i in items.cleaned_data
                        if i and i.get("text")
                    ],
                    opinion=d["opinion"],
                ),
            )
            if record is not None:
                if record.passed:
                    messages.success(request, f"{case.organization.name}整顿验收通过,已结案并申请重新评定等次")
                else:
                    messages.warning(request, f"验收未通过:{record.reasons}。已退回整顿提高,不满意事项已列入整改台账")
                return redirect(case_url(case))
        status = 400
    return render(
        request,
        "rectification/acceptance.html",
        {"case": case, "org": case.organization, "form": form, "items": items, "ready": case.phase == "accepting"},
        status=status,
    )


@login_required
def supervision(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.case_get(request.user, pk)
    org = case.organization
    if not (can(request.user, Perm.SUPERVISE, org) or can(request.user, Perm.MANAGE_CASES, org)):
        raise PermissionDenied(f"您没有权限对{org.name}进行督查")
    form = SupervisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        visit = run_service(
            form,
            lambda: acceptance_services.supervision_visit_record(
                actor=request.user, organization=org, case=case, **form.cleaned_data
            ),
        )
        if visit is not None:
            messages.success(request, f"已记录{visit.get_level_display()}")
            return redirect(case_url(case))
    return form_page(request, title=f"{org.name}:督查记录", form=form, case=case, back=case_url(case), submit="记录")
