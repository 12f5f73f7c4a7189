"""District pages of the annual classification: overview, review queue, objections, consequences (C6), and the
objection form for those who may raise one.

Thin: reads through ``grading.selectors_district`` (403 for anyone but district staff on district pages; 404 outside
one's scope on organization pages), writes through ``grading.workflow.transition`` and ``grading.objections``, whose
refusals come back as messages or form errors with the typed input kept.
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
from grading import selectors_district as sel
from grading import selectors_yearend as sy
from grading.forms_district import ApproveForm, ObjectionForm, ResolveForm
from grading.models import AssessmentStatus, Campaign
from grading.objections import approve_batch, objection_raise
from grading.workflow import Action, transition
from organizations.roles import Perm
from partybuild.workdays import CalendarMissing, window_end


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _calendar_missing(request: HttpRequest, exc: CalendarMissing) -> None:
    messages.error(
        request,
        f"{exc}。请到“节假日与调休”录入{exc.year}年的安排后再审定;本页填写的内容已保留。",
    )


def _form_errors(form: Any, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


@login_required
def district_current(request: HttpRequest) -> HttpResponse:
    campaign = sel.current_campaign(request.user)
    if campaign is not None:
        return redirect("grading:district_overview", campaign_pk=campaign.pk)
    return render(request, "grading/district/no_campaign.html")


@login_required
def district_overview(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = sel.reviewer_campaign(request.user, campaign_pk)
    return render(request, "grading/district/overview.html", {"campaign": campaign, "o": sel.overview(campaign)})


def _objection_due_preview(campaign: Campaign) -> tuple[Any, str]:
    """The objection deadline an approval made today would set (D2), or the calendar's complaint."""
    try:
        return window_end(timezone.localdate(), campaign.objection_working_days, working_days=True), ""
    except CalendarMissing as exc:
        return None, str(exc)


@login_required
def district_review(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = sel.reviewer_campaign(request.user, campaign_pk)
    bound: dict[int, ApproveForm] = {}
    if request.method == "POST":
        if "township" in request.POST:
            done = _approve_township(request, campaign)
        else:
            done, bound = _approve_one(request, campaign)
        if done:
            return redirect("grading:district_review", campaign_pk=campaign.pk)
    groups = sel.review_queue(campaign)
    for group in groups:
        for a in group.assessments:
            a.form = bound.get(a.pk) or ApproveForm(prefix=f"a{a.pk}", initial={"grade": a.township_grade})
            a.c6 = rules.consequences(a.township_grade) if a.township_grade else None
    due, calendar_problem = _objection_due_preview(campaign)
    return render(
        request,
        "grading/district/review.html",
        {"campaign": campaign, "groups": groups, "due": due, "calendar_problem": calendar_problem},
    )


def _approve_one(request: HttpRequest, campaign: Campaign) -> tuple[bool, dict[int, ApproveForm]]:
    a = sel.review_assessment(campaign, request.POST.get("assessment"))
    form = ApproveForm(request.POST, prefix=f"a{a.pk}")
    if form.is_valid():
        try:
            a = transition(
                actor=request.user,
                assessment=a,
                action=Action.APPROVE,
                grade=form.cleaned_data["grade"],
                note=form.cleaned_data["note"],
            )
        except CalendarMissing as exc:
            _calendar_missing(request, exc)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                f"{a.organization.name}审定为“{rules.Grade(a.district_grade).label}”,"
                f"异议期至{a.objection_due:%Y-%m-%d}({campaign.objection_working_days}个工作日)",
            )
            return True, {}
    return False, {a.pk: form}


def _approve_township(request: HttpRequest, campaign: Campaign) -> bool:
    group = next((g for g in sel.review_queue(campaign) if str(g.township.pk) == request.POST["township"]), None)
    if group is None:
        messages.error(request, "该乡镇没有待审定的党组织")
        return True
    try:
        done = approve_batch(actor=request.user, assessments=group.assessments)
    except CalendarMissing as exc:
        _calendar_missing(request, exc)
        return False
    except ValidationError as exc:
        _errors(request, exc)
        return False
    messages.success(
        request,
        f"{group.township.name}{len(done)}个党组织按乡镇初定等次审定,异议期至{done[0].objection_due:%Y-%m-%d}(7个工作日)",
    )
    return True


@login_required
def district_objections(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = sel.reviewer_campaign(request.user, campaign_pk)
    bound: dict[int, ResolveForm] = {}
    if request.method == "POST":
        a = sel.review_assessment(campaign, request.POST.get("assessment"))
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
    window, objected = sel.objections_board(campaign)
    for a in objected:
        a.form = bound.get(a.pk) or ResolveForm(prefix=f"r{a.pk}")
    return render(
        request,
        "grading/district/objections.html",
        {"campaign": campaign, "window": window, "objected": objected},
    )


@login_required
def district_consequences(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = sel.reviewer_campaign(request.user, campaign_pk)
    poor, good = sel.consequences_lists(campaign)
    return render(request, "grading/district/consequences.html", {"campaign": campaign, "poor": poor, "good": good})


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
