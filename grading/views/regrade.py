"""Year-end re-grading (年底复核, source part 1 §三(三)): the township's request for one organization, the
district's list of requests with the widened 好 cap, and its item-by-item re-scoring of one organization (附件4's
template, beside the township's scores).

Thin: the campaign, assessment and request come through ``grading.access`` (404 out of scope, 403 for whoever may
not act), reads through ``grading.selectors.yearend``, writes through ``grading.services.yearend`` and
``grading.services.regrade``; refusals come back as form errors with the typed input kept.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from core.edits import form_submit
from grading import access
from grading.forms.yearend import RegradeDecisionForm, RegradeRequestForm, RegradeScoringForm, YearEndCapForm
from grading.models import Assessment, AssessmentStatus, Campaign
from grading.rules import grades as rules
from grading.selectors import overview as sel_overview
from grading.selectors import yearend as sy
from grading.services import regrade, yearend
from organizations.roles import Perm

THRESHOLDS = {
    "good": rules.fmt(rules.GOOD_MIN),
    "fairly_good": rules.fmt(rules.FAIRLY_GOOD_MIN),
    "average": rules.fmt(rules.AVERAGE_MIN),
}


def _request_input(data: dict[str, Any]) -> yearend.RegradeInput:
    return yearend.RegradeInput(
        direction=data["direction"],
        reason=data["reason"],
        proposed_score=data["proposed_score"],
        evidence=data["evidence"],
        written_report=data.get("written_report"),
    )


@login_required
def regrade_request(request: HttpRequest, pk: int) -> HttpResponse:
    a = sy.assessment_now(request.user, pk, perm=Perm.REQUEST_REGRADE)
    township_pk = sy.township_of(request.user, a.organization).pk
    due = a.campaign.regrade_request_due
    late = timezone.localdate() > due
    weak = a.final_grade == rules.Grade.POOR
    form = RegradeRequestForm(request.POST or None, request.FILES or None, weak=weak)
    done = form_submit(
        request,
        form,
        lambda data: yearend.regrade_request_create(actor=request.user, assessment=a, data=_request_input(data)),
        success=f"已提交{a.organization.name}的复核申请,等待区委组织部复核定级",
        then=lambda _: redirect("grading:township_yearend", campaign_pk=a.campaign_id, township_pk=township_pk),
    )
    context = {
        "a": a,
        "form": form,
        "due": due,
        "late": late,
        "weak": weak,
        "can_request": a.status == AssessmentStatus.FINAL and not late,
        "township_pk": township_pk,
    }
    return done or render(request, "grading/district/regrade_request.html", context)


def _regrades_page(request: HttpRequest, campaign: Campaign) -> HttpResponse:
    return redirect("grading:district_regrade", campaign_pk=campaign.pk)


@login_required
def district_regrade(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = access.campaign_for(request.user, campaign_pk, perm=Perm.REVIEW_GRADES)
    review = sel_overview.year_end_review(request.user, campaign)
    cap_percent = yearend.effective_cap(campaign, review)
    cap_form = YearEndCapForm(initial={"widened_cap_percent": cap_percent, "reason": review.reason if review else ""})
    bound: dict[int, RegradeDecisionForm] = {}
    if request.method == "POST" and request.POST.get("do") == "cap":
        cap_form = YearEndCapForm(request.POST)
        done = form_submit(
            request,
            cap_form,
            lambda data: yearend.year_end_cap_set(actor=request.user, campaign=campaign, **data),
            success="年底复核“好”等次比例上限已保存",
            then=lambda _: _regrades_page(request, campaign),
        )
    elif request.method == "POST":
        req = access.regrade_request_for(request.user, campaign, request.POST.get("request"))
        form = bound[req.pk] = RegradeDecisionForm(request.POST, prefix=f"g{req.pk}")
        done = form_submit(
            request,
            form,
            lambda data: regrade.regrade_decide(actor=request.user, request=req, **data),
            success=lambda a: f"{a.organization.name}复核定级为“{rules.Grade(a.final_grade).label}”,原等次记入历史",
            then=lambda _: _regrades_page(request, campaign),
        )
    else:
        done = None
    if done:
        return done
    pending, decided = sy.regrade_requests(request.user, campaign)
    for req in pending:
        initial = {"grade": rules.grade_for_score(req.proposed_score).value} if req.proposed_score is not None else {}
        req.form = bound.get(req.pk) or RegradeDecisionForm(prefix=f"g{req.pk}", initial=initial)
        req.report_missing = yearend.written_report_missing(req)
    context = {
        "campaign": campaign,
        "review": review,
        "cap_percent": cap_percent,
        "share": sy.final_good_share(request.user, campaign, cap_percent),
        "cap_form": cap_form,
        "pending": pending,
        "decided": decided,
        "overdue": timezone.localdate() > campaign.regrade_due,
    }
    return render(request, "grading/district/regrade.html", context)


def _decided(a: Assessment) -> str:
    return (
        f"{a.organization.name}复核评分{rules.fmt(a.final_score)}分,"
        f"复核定级为“{rules.Grade(a.final_grade).label}”,原等次记入历史"
    )


@login_required
def regrade_score(request: HttpRequest, pk: int) -> HttpResponse:
    """年底复核评分 of one organization: the district re-scores it item by item on the township's template (附件4),
    each item pre-filled from and shown beside the township's score; afterwards (and for everyone in scope) the
    re-scoring beside the township's scores, read-only."""
    posting = request.method == "POST"
    a = sy.assessment_now(request.user, pk, perm=Perm.REVIEW_GRADES if posting else Perm.VIEW_RECORDS)
    page = sy.regrade_scoring(request.user, a)
    form: RegradeScoringForm | None = None
    if posting and not page.may_decide:
        messages.error(request, f"{a.organization.name}没有待复核的申请(可能已由他人处理),本次未保存")
        return redirect("grading:regrade_score", pk=a.pk)
    if page.may_decide:
        form = RegradeScoringForm(request.POST or None, sheet=page.sheet, band=page.township_band)
        done = form_submit(
            request,
            form,
            lambda _: regrade.regrade_decide(
                actor=request.user, request=page.requests.pending, scoring=form.scoring(), **form.decision()
            ),
            success=_decided,
            then=lambda _: redirect("grading:district_regrade", campaign_pk=a.campaign_id),
        )
        if done:
            return done
    cap = yearend.effective_cap(a.campaign) if page.may_decide else None
    context = {
        "a": a,
        "campaign": a.campaign,
        "pending": page.requests.pending,
        "decided": page.requests.last_decided,
        "reviewer": page.reviewer,
        "may_decide": page.may_decide,
        "form": form,
        "sections": form.sections() if form is not None else None,
        "sheet": page.sheet,
        "totals": page.totals,
        "township_band": rules.Grade(page.township_band).label if page.township_band else "",
        "cap_percent": cap,
        "share": sy.final_good_share(request.user, a.campaign, cap) if cap is not None else None,
        "thresholds": THRESHOLDS,
    }
    return render(request, "grading/district/regrade_score.html", context)
