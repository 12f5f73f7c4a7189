"""The district's review: the queue of organizations reported by the townships, approved one by one or a township's
batch at once (starting the objection window, D2), and the consequences (C6) of the final grades.

Thin: district staff only (``grading.access``: 403 for anyone else), reads through ``grading.selectors.review``,
writes through the workflow and ``grading.services.objections.approve_batch``. A calendar year nobody has entered
stops an approval with a message saying where to enter it, and what was typed stays.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from core.edits import form_submit
from core.workdays import CalendarMissing
from grading import access
from grading.forms.review import ApproveForm, ReadjustForm, ReviewEvidenceForm
from grading.models import Campaign
from grading.rules import grades as rules
from grading.selectors import evidence as sel_evidence
from grading.selectors import review as sel_review
from grading.services.objections import approve_batch
from grading.services.review_evidence import review_evidence_add
from grading.services.workflow import Action, allowed_actions, transition
from organizations.roles import Perm


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _calendar_missing(request: HttpRequest, exc: CalendarMissing) -> None:
    messages.error(
        request,
        f"{exc}。请到“节假日与调休”录入{exc.year}年的安排后再审定;本页填写的内容已保留。",
    )


def _tentative(a: Any) -> str:
    """D3: a deadline counted on plain Monday–Friday weeks until its year's holidays are entered."""
    return "暂定,录入节假日后重算;" if a.objection_due_provisional else ""


def _form_errors(form: Any, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


@login_required
def district_review(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = access.campaign_for(request.user, campaign_pk, perm=Perm.REVIEW_GRADES)
    bound: dict[int, ApproveForm] = {}
    if request.method == "POST":
        if "township" in request.POST:
            done = _approve_township(request, campaign)
        else:
            done, bound = _approve_one(request, campaign)
        if done:
            return redirect("grading:district_review", campaign_pk=campaign.pk)
    groups = sel_review.review_queue(request.user, campaign)
    ids = [a.organization_id for group in groups for a in group.assessments]
    evidence = sel_evidence.evidence_of(request.user, ids, campaign.year)  # the records (grading.evidence)
    checks = sel_review.review_evidence_by_township(request.user, campaign)  # how the district checked
    for group in groups:
        group.checks = checks.get(group.township.pk, [])
        for a in group.assessments:
            a.evidence = evidence.get(a.organization_id, [])
            a.evidence_short = any(e.shortfall for e in a.evidence)
            a.form = bound.get(a.pk) or ApproveForm(prefix=f"a{a.pk}", initial={"grade": a.township_grade})
            a.c6 = rules.consequences(a.township_grade) if a.township_grade else None
    return render(
        request,
        "grading/district/review.html",
        {
            "campaign": campaign,
            "groups": groups,
            "due": sel_review.objection_due_preview(request.user, campaign),
            "evidence_townships": sel_review.evidence_townships(request.user, checks),
        },
    )


def _approve_one(request: HttpRequest, campaign: Campaign) -> tuple[bool, dict[int, ApproveForm]]:
    a = access.assessment_under_review_for(request.user, campaign, request.POST.get("assessment"))
    form = ApproveForm(request.POST, prefix=f"a{a.pk}")
    if form.is_valid():
        try:
            a = transition(
                actor=request.user,
                assessment=a,
                action=Action.APPROVE,
                grade=form.cleaned_data["grade"],
                note=form.cleaned_data["note"],
                cap_reason=form.cleaned_data["cap_reason"],
            )
        except CalendarMissing as exc:
            _calendar_missing(request, exc)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                f"{a.organization.name}审定为“{rules.Grade(a.district_grade).label}”,"
                f"异议期至{a.objection_due:%Y-%m-%d}({_tentative(a)}{campaign.objection_working_days}个工作日)",
            )
            return True, {}
    return False, {a.pk: form}


def _approve_township(request: HttpRequest, campaign: Campaign) -> bool:
    group = next(
        (g for g in sel_review.review_queue(request.user, campaign) if str(g.township.pk) == request.POST["township"]),
        None,
    )
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
        f"{group.township.name}{len(done)}个党组织按乡镇初定等次审定,"
        f"异议期至{done[0].objection_due:%Y-%m-%d}({_tentative(done[0])}{campaign.objection_working_days}个工作日)",
    )
    return True


# Rows per page of each list (at 5,000 organizations about 750 are 好).
CONSEQUENCES_PER_PAGE = 100


@login_required
def district_consequences(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = access.campaign_for(request.user, campaign_pk, perm=Perm.REVIEW_GRADES)
    poor, good = sel_review.consequences_lists(request.user, campaign)
    poor_page = Paginator(poor, CONSEQUENCES_PER_PAGE).get_page(request.GET.get("poor_page"))
    good_page = Paginator(good, CONSEQUENCES_PER_PAGE).get_page(request.GET.get("good_page"))
    return render(
        request,
        "grading/district/consequences.html",
        {
            "campaign": campaign,
            "poor_page": poor_page,
            "poor": sel_review.consequences_page(request.user, poor_page),
            "good_page": good_page,
            "good": sel_review.consequences_page(request.user, good_page),
        },
    )


@login_required
def review_evidence(request: HttpRequest, campaign_pk: int, org_pk: int) -> HttpResponse:
    """The district's checks of one township's submission: the list and the form for one more (第一篇 三(一)3(1))."""
    township = access.township_for(request.user, org_pk, perm=Perm.REVIEW_GRADES)  # out of scope: 404 first
    campaign = access.campaign_for(request.user, campaign_pk, perm=Perm.REVIEW_GRADES)
    assessments = sel_review.township_assessments(request.user, campaign, township)
    form = ReviewEvidenceForm(
        request.POST or None, request.FILES or None, assessments=assessments, initial={"held_on": timezone.localdate()}
    )
    done = form_submit(
        request,
        form,
        lambda d: review_evidence_add(
            actor=request.user,
            campaign=campaign,
            township=township,
            method=d["method"],
            held_on=d["held_on"],
            notes=d["notes"],
            upload=d.get("upload"),
            assessment=d.get("assessment"),
        ),
        success="考评情况已记录",
        then=lambda _: redirect("grading:review_evidence", campaign_pk=campaign.pk, org_pk=township.pk),
    )
    return done or render(
        request,
        "grading/district/review_evidence.html",
        {
            "campaign": campaign,
            "township": township,
            "rows": sel_review.review_evidence_of(request.user, campaign, township),
            "form": form,
        },
    )


@login_required
def grade_readjust(request: HttpRequest, pk: int) -> HttpResponse:
    """Re-adjust a final grade outside an objection (第一篇 三(一)3(2)): district only, a reason, a confirmation."""
    a = access.assessment_for(request.user, pk, perm=Perm.REVIEW_GRADES)
    if Action.READJUST not in allowed_actions(request.user, a):
        raise PermissionDenied("等次确定后,区委组织部才能重新调整")
    form = ReadjustForm(request.POST or None, initial={"grade": a.final_grade})
    done = form_submit(
        request,
        form,
        lambda d: transition(
            actor=request.user,
            assessment=a,
            action=Action.READJUST,
            grade=d["grade"],
            ground=d["ground"],
            note=d["note"],
            cap_reason=d["cap_reason"],
        ),
        success=lambda done: f"{done.organization.name}的等次已重新调整为“{done.get_final_grade_display()}”",
        then=lambda done: redirect("grading:assessment_detail", pk=done.pk),
    )
    return done or render(request, "grading/district/readjust.html", {"a": a, "form": form})
