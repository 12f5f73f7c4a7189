"""Acceptance (检查验收) and supervision visits (督查) of one case.

Only a passed acceptance closes the case ("不达标不收队"): the page records the acceptance and the service decides.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from core.edits import form_submit, run_edit
from rectification import access
from rectification.forms import AcceptanceForm, SupervisionForm, UnsatisfiedItemFormSet
from rectification.rules.acceptance import InspectionItem
from rectification.services import acceptance as acceptance_services
from rectification.views.common import case_url, form_page


def _record(request: HttpRequest, case: Any, d: dict[str, Any], items: Any) -> Any:
    return acceptance_services.acceptance_record(
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
    )


@login_required
def acceptance(request: HttpRequest, pk: int) -> HttpResponse:
    """The acceptance form (a form and the formset of unsatisfied items, so ``run_edit`` rather than form_submit)."""
    case = access.case_to_accept(request.user, pk)
    form = AcceptanceForm(request.POST or None)
    items = UnsatisfiedItemFormSet(request.POST or None, prefix="items")
    if request.method == "POST" and form.is_valid() and items.is_valid():
        record = run_edit(form, lambda: _record(request, case, form.cleaned_data, items))
        if record is not None:
            if record.passed:
                messages.success(request, f"{case.organization.name}整顿验收通过,已结案并申请重新评定等次")
            else:
                messages.warning(request, f"验收未通过:{record.reasons}。已退回整顿提高,不满意事项已列入整改台账")
            return redirect(case_url(case))
    return render(
        request,
        "rectification/acceptance.html",
        {"case": case, "org": case.organization, "form": form, "items": items, "ready": case.phase == "accepting"},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def supervision(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.case_to_supervise(request.user, pk)
    org = case.organization
    form = SupervisionForm(request.POST or None)
    done = form_submit(
        request,
        form,
        lambda d: acceptance_services.supervision_visit_record(actor=request.user, organization=org, case=case, **d),
        success=lambda visit: f"已记录{visit.get_level_display()}",
        then=lambda _: redirect(case_url(case)),
    )
    return done or form_page(
        request, title=f"{org.name}:督查记录", form=form, case=case, back=case_url(case), submit="记录"
    )
