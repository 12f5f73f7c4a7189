"""Year-end pages (总结验收, source part 1 §三(三)): the township's re-grading request and its summary upload, the
district's re-grading with the widened 好 cap and its item-by-item re-scoring of one organization (附件4's template,
beside the township's scores), the summaries list and the excellence award; scoped file downloads.
"""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from grading import rules
from grading.forms.yearend import (
    AwardForm,
    AwardShareForm,
    RegradeDecisionForm,
    RegradeRequestForm,
    RegradeScoringForm,
    SummaryForm,
    YearEndCapForm,
)
from grading.models import Assessment, AssessmentStatus
from grading.selectors import overview as sel
from grading.selectors import yearend as sy
from grading.services import regrade as yearend_regrade
from grading.services import yearend, yearend_summaries
from grading.services.assessments import scoring_sheet
from organizations.roles import Perm
from organizations.scope import can, require


def _form_errors(form: object, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)  # type: ignore[attr-defined]


@login_required
def regrade_request(request: HttpRequest, pk: int) -> HttpResponse:
    a = sy.assessment_for(request.user, pk, Perm.REQUEST_REGRADE)
    due = a.campaign.regrade_request_due
    late = timezone.localdate() > due
    weak = a.final_grade == rules.Grade.POOR
    form = RegradeRequestForm(request.POST or None, request.FILES or None, weak=weak)
    if request.method == "POST" and form.is_valid():
        data = yearend.RegradeInput(
            direction=form.cleaned_data["direction"],
            reason=form.cleaned_data["reason"],
            proposed_score=form.cleaned_data["proposed_score"],
            evidence=form.cleaned_data["evidence"],
            written_report=form.cleaned_data.get("written_report"),
        )
        try:
            yearend.regrade_request_create(actor=request.user, assessment=a, data=data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"已提交{a.organization.name}的复核申请,等待区委组织部复核定级")
            return redirect("grading:township_yearend", campaign_pk=a.campaign_id, township_pk=_township_pk(a))
    return render(
        request,
        "grading/district/regrade_request.html",
        {
            "a": a,
            "form": form,
            "due": due,
            "late": late,
            "weak": weak,
            "can_request": a.status == AssessmentStatus.FINAL and not late,
            "township_pk": _township_pk(a),
        },
    )


def _township_pk(a: Assessment) -> int:
    return sy.township_of(a.organization).pk


@login_required
def district_regrade(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = sel.reviewer_campaign(request.user, campaign_pk)
    review = sel.year_end_review(campaign)
    cap_form = YearEndCapForm(
        initial={
            "widened_cap_percent": yearend.effective_cap(campaign, review),
            "reason": review.reason if review else "",
        }
    )
    bound: dict[int, RegradeDecisionForm] = {}
    if request.method == "POST" and request.POST.get("do") == "cap":
        cap_form = YearEndCapForm(request.POST)
        if cap_form.is_valid():
            try:
                yearend.year_end_cap_set(actor=request.user, campaign=campaign, **cap_form.cleaned_data)
            except ValidationError as exc:
                _form_errors(cap_form, exc)
            else:
                messages.success(request, "年底复核“好”等次比例上限已保存")
                return redirect("grading:district_regrade", campaign_pk=campaign.pk)
    elif request.method == "POST":
        req = sy.regrade_request_get(campaign, request.POST.get("request"))
        form = RegradeDecisionForm(request.POST, prefix=f"g{req.pk}")
        if form.is_valid():
            try:
                a = yearend_regrade.regrade_decide(actor=request.user, request=req, **form.cleaned_data)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(
                    request, f"{a.organization.name}复核定级为“{rules.Grade(a.final_grade).label}”,原等次记入历史"
                )
                return redirect("grading:district_regrade", campaign_pk=campaign.pk)
        bound[req.pk] = form
    pending, decided = sy.regrade_requests(campaign)
    for req in pending:
        initial = {"grade": rules.grade_for_score(req.proposed_score).value} if req.proposed_score is not None else {}
        req.form = bound.get(req.pk) or RegradeDecisionForm(prefix=f"g{req.pk}", initial=initial)
        req.report_missing = yearend.written_report_missing(req)
    return render(
        request,
        "grading/district/regrade.html",
        {
            "campaign": campaign,
            "review": review,
            "cap_percent": yearend.effective_cap(campaign, review),
            "share": sy.final_good_share(campaign, yearend.effective_cap(campaign, review)),
            "cap_form": cap_form,
            "pending": pending,
            "decided": decided,
            "overdue": timezone.localdate() > campaign.regrade_due,
        },
    )


@login_required
def regrade_score(request: HttpRequest, pk: int) -> HttpResponse:
    """年底复核评分 of one organization: the district re-scores it item by item on the township's template (附件4),
    each item pre-filled from and shown beside the township's score; afterwards (and for everyone in scope) the
    re-scoring beside the township's scores, read-only."""
    a = sy.assessment_for(request.user, pk, Perm.VIEW_RECORDS)
    reqs = sy.requests_of(a)
    reviewer = can(request.user, Perm.REVIEW_GRADES, a.organization)
    may_decide = reviewer and reqs.pending is not None and a.status == AssessmentStatus.REGRADE_REQUESTED
    sheet = scoring_sheet(a)
    totals = sy.sheet_totals(sheet)
    township_band = (
        rules.grade_for_score(totals.township, vetoed=totals.township_vetoed).value
        if a.township_score is not None
        else ""
    )
    form: RegradeScoringForm | None = None
    if request.method == "POST":
        require(request.user, Perm.REVIEW_GRADES, a.organization)
        if not may_decide:
            messages.error(request, f"{a.organization.name}没有待复核的申请(可能已由他人处理),本次未保存")
            return redirect("grading:regrade_score", pk=a.pk)
        form = RegradeScoringForm(request.POST, sheet=sheet, band=township_band)
        if form.is_valid():
            try:
                saved = yearend_regrade.regrade_decide(
                    actor=request.user, request=reqs.pending, scoring=form.scoring(), **form.decision()
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"{saved.organization.name}复核评分{rules.fmt(saved.final_score)}分,"
                    f"复核定级为“{rules.Grade(saved.final_grade).label}”,原等次记入历史",
                )
                return redirect("grading:district_regrade", campaign_pk=a.campaign_id)
    elif may_decide:
        form = RegradeScoringForm(sheet=sheet, band=township_band)
    cap = yearend.effective_cap(a.campaign) if may_decide else None
    return render(
        request,
        "grading/district/regrade_score.html",
        {
            "a": a,
            "campaign": a.campaign,
            "pending": reqs.pending,
            "decided": reqs.last_decided,
            "reviewer": reviewer,
            "may_decide": may_decide,
            "form": form,
            "sections": form.sections() if form is not None else None,
            "sheet": sheet,
            "totals": totals,
            "township_band": rules.Grade(township_band).label if township_band else "",
            "cap_percent": cap,
            "share": sy.final_good_share(a.campaign, cap) if cap is not None else None,
            "thresholds": {
                "good": rules.fmt(rules.GOOD_MIN),
                "fairly_good": rules.fmt(rules.FAIRLY_GOOD_MIN),
                "average": rules.fmt(rules.AVERAGE_MIN),
            },
        },
    )


@login_required
def district_yearend(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    """Who has sent the summary and papers, and the excellence award by the district's share."""
    campaign = sel.reviewer_campaign(request.user, campaign_pk)
    review = sel.year_end_review(campaign)
    share = yearend_summaries.award_share(review)
    posted = request.POST if request.POST.get("do") == "share" else None
    share_form = AwardShareForm(posted, initial={"share_percent": share})
    if share_form.is_bound and share_form.is_valid():
        try:
            yearend_summaries.award_share_set(actor=request.user, campaign=campaign, **share_form.cleaned_data)
        except ValidationError as exc:
            _form_errors(share_form, exc)
        else:
            messages.success(request, "评选比例已保存")
            return redirect("grading:district_yearend", campaign_pk=campaign.pk)
    rows = sy.summaries_board(campaign)
    allowed = yearend_summaries.award_allowed(len(rows), share)
    return render(
        request,
        "grading/district/yearend.html",
        {
            "campaign": campaign,
            "rows": rows,
            "share": share,
            "share_form": share_form,
            "allowed": allowed,
            "chosen": sum(1 for r in rows if r.award),
            "submitted": sum(1 for r in rows if r.summary),
            "late": {r.township.pk for r in rows if r.summary and yearend_summaries.is_late(r.summary)},
        },
    )


@login_required
@require_POST
def district_award(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = sel.reviewer_campaign(request.user, campaign_pk)
    form = AwardForm(request.POST)
    if form.is_valid():
        row = next((r for r in sy.summaries_board(campaign) if r.township.pk == form.cleaned_data["township"]), None)
        try:
            if row is None:
                raise ValidationError("乡镇(街道)不存在")
            if request.POST.get("do") == "withdraw" and row.award:
                yearend_summaries.award_withdraw(actor=request.user, award=row.award)
                messages.success(request, f"已撤销{row.township.name}的优秀组织奖")
            else:
                yearend_summaries.award_choose(
                    actor=request.user, campaign=campaign, township=row.township, note=form.cleaned_data["note"]
                )
                messages.success(request, f"{row.township.name}获评优秀组织奖")
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
    return redirect("grading:district_yearend", campaign_pk=campaign.pk)


@login_required
def township_yearend(request: HttpRequest, campaign_pk: int, township_pk: int) -> HttpResponse:
    """The township's year-end page: its final grades with a re-grading link each, and the summary upload."""
    township = sy.township_for(request.user, township_pk, Perm.REQUEST_REGRADE)
    campaign = sy.campaign_get(campaign_pk)
    form = SummaryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            yearend_summaries.summary_submit(
                actor=request.user,
                campaign=campaign,
                township=township,
                report=form.cleaned_data["report"],
                papers=form.papers(),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "总结材料和经验材料已报送区委组织部")
            return redirect("grading:township_yearend", campaign_pk=campaign.pk, township_pk=township.pk)
    summary = sy.township_summary(campaign, township)
    return render(
        request,
        "grading/district/township_yearend.html",
        {
            "campaign": campaign,
            "township": township,
            "assessments": sy.township_final_assessments(campaign, township),
            "summary": summary,
            "summary_late": summary is not None and yearend_summaries.is_late(summary),
            "form": form,
            "request_open": timezone.localdate() <= campaign.regrade_request_due,
        },
    )


@login_required
def file_download(request: HttpRequest, kind: str, pk: int) -> FileResponse:
    stored = sy.file_get(request.user, kind, pk)
    return FileResponse(stored.open("rb"), as_attachment=True, filename=PurePath(stored.name).name)
