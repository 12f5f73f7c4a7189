"""Objections to the district's result (D2): the district's objections board with its re-review, and the objection
form of those who may raise one (the organization's secretary, its township).

Thin: the campaign and the assessment come through ``grading.access`` (the board is the district's: 403 for anyone
else; the form answers 404 out of scope and 403 to whoever may not object), reads through the selectors, writes
through the workflow and ``grading.services.objections``; refusals come back as form errors with the typed input kept.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from core.edits import form_submit
from grading import access
from grading.forms.objections import ObjectionForm
from grading.forms.review import ResolveForm
from grading.models import AssessmentStatus
from grading.rules import grades as rules
from grading.selectors import review as sel_review
from grading.selectors import yearend as sel_yearend
from grading.services.objections import objection_raise
from grading.services.workflow import Action, transition
from organizations.roles import Perm


@login_required
def district_objections(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = access.campaign_for(request.user, campaign_pk, perm=Perm.REVIEW_GRADES)
    bound: dict[int, ResolveForm] = {}
    if request.method == "POST":
        a = access.assessment_under_review_for(request.user, campaign, request.POST.get("assessment"))
        form = ResolveForm(request.POST, prefix=f"r{a.pk}")
        done = form_submit(
            request,
            form,
            lambda data: transition(
                actor=request.user,
                assessment=a,
                action=Action.RESOLVE_OBJECTION,
                note=data["opinion"],
                upheld=data["outcome"] == "upheld",
                grade=data["grade"] if data["outcome"] == "upheld" else "",
                cap_reason=data["cap_reason"],
            ),
            success=lambda a: f"{a.organization.name}异议已复核,等次确定为“{rules.Grade(a.final_grade).label}”",
            then=lambda _: redirect("grading:district_objections", campaign_pk=campaign.pk),
        )
        if done:
            return done
        bound[a.pk] = form
    window, objected = sel_review.objections_board(request.user, campaign)
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
    a = sel_yearend.assessment_now(request.user, pk, perm=Perm.RAISE_OBJECTION)
    today = timezone.localdate()
    open_window = a.status == AssessmentStatus.APPROVED and a.objection_due is not None and today <= a.objection_due
    form = ObjectionForm(request.POST or None, request.FILES or None)
    done = form_submit(
        request,
        form,
        lambda data: objection_raise(
            actor=request.user,
            assessment=a,
            content=data["content"],
            raised_by_name=data["raised_by_name"],
            evidence=data["evidence"],
        ),
        success=f"已对{a.organization.name}的审定等次提出异议,区委组织部将复核",
        then=lambda _: redirect("grading:assessment_object", pk=a.pk),
    )
    objections = sel_yearend.district_objections_of(request.user, a)
    context = {"a": a, "form": form, "open_window": open_window, "objections": objections}
    return done or render(request, "grading/district/object.html", context)
