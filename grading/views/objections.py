"""Objections to the district's result (D2): the district's objections board with its re-review, and the objection
form of those who may raise one (the organization's secretary, its township).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from grading import rules
from grading.forms.objections import ObjectionForm
from grading.forms.review import ResolveForm
from grading.models import AssessmentStatus
from grading.selectors import overview as sel_overview
from grading.selectors import review as sel_review
from grading.selectors import yearend as sy
from grading.services.objections import objection_raise
from grading.services.workflow import Action, transition
from organizations.roles import Perm


@login_required
def district_objections(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = sel_overview.reviewer_campaign(request.user, campaign_pk)
    bound: dict[int, ResolveForm] = {}
    if request.method == "POST":
        a = sel_review.review_assessment(campaign, request.POST.get("assessment"))
        form = ResolveForm(request.POST, prefix=f"r{a.pk}")
        if form.is_valid():
            upheld = form.cleaned_data["outcome"] == "upheld"
            try:
                a = transition(
                    actor=request.user,
                    assessment=a,
                    action=Action.RESOLVE_OBJECTION,
                    note=form.cleaned_data["opinion"],
                    upheld=upheld,
                    grade=form.cleaned_data["grade"] if upheld else "",
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(
                    request, f"{a.organization.name}异议已复核,等次确定为“{rules.Grade(a.final_grade).label}”"
                )
                return redirect("grading:district_objections", campaign_pk=campaign.pk)
        bound[a.pk] = form
    window, objected = sel_review.objections_board(campaign)
    for a in objected:
        a.form = bound.get(a.pk) or ResolveForm(prefix=f"r{a.pk}")
    return render(
        request,
        "grading/district/objections.html",
        {"campaign": campaign, "window": window, "objected": objected},
    )


@login_required
def assessment_object(request: HttpRequest, pk: int) -> HttpResponse:
    """An objection to the district's result (D2), by the organization's secretary or its township."""
    a = sy.assessment_for(request.user, pk, Perm.RAISE_OBJECTION)
    today = timezone.localdate()
    open_window = a.status == AssessmentStatus.APPROVED and a.objection_due is not None and today <= a.objection_due
    form = ObjectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            objection_raise(
                actor=request.user,
                assessment=a,
                content=form.cleaned_data["content"],
                raised_by_name=form.cleaned_data["raised_by_name"],
                evidence=form.cleaned_data["evidence"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"已对{a.organization.name}的审定等次提出异议,区委组织部将复核")
            return redirect("grading:assessment_object", pk=a.pk)
    return render(
        request,
        "grading/district/object.html",
        {"a": a, "form": form, "open_window": open_window, "objections": sy.district_objections_of(a)},
    )


def _form_errors(form: Any, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)
