"""The township's public notices (公示): publishing a batch (with the 好 cap check, C5, and the window, D1), the notice
page with the objections recorded during it, and submitting the batch to the district once it has closed.

Whether a notice is open is derived from its dates and today's date; nothing here waits for a worker.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from grading import rules
from grading.forms.notices import ObjectionAnswerForm, ObjectionRecordForm, PublishForm
from grading.models import Assessment, AssessmentStatus, Notice
from grading.selectors import board as sel_board
from grading.selectors import notices as sel_notices
from grading.services.notices import (
    cap_check,
    default_title,
    notice_objection_answer,
    notice_objection_record,
    notice_publish,
    notice_window,
)
from grading.services.workflow import Action, transition

OBJECTION_OPEN = frozenset({AssessmentStatus.IN_NOTICE, AssessmentStatus.NOTICE_CLOSED})


def _default_body(township: Any, campaign: Any) -> str:
    return (
        f"根据区委{campaign.year}年度基层党组织分类管理工作安排,经基层党组织自查自评、{township.name}初审初评,"
        "现将以下基层党组织分类定级初评等次予以公示。公示期间,如有异议,请向下列联系方式实名反映。"
    )


@login_required
@require_POST
def notice_publish_view(request: HttpRequest, campaign_pk: int, org_pk: int) -> HttpResponse:
    """From the board: the selected scored organizations → a confirm page (window, cap) → publish."""
    township = sel_board.township_get(request.user, org_pk)
    campaign = sel_board.campaign_get(campaign_pk)
    if not sel_board.may_score(request.user, township):
        raise PermissionDenied("只有乡镇(街道)党(工)委可以发布公示")
    ids = [int(x) for x in request.POST.getlist("ids") if x.isdigit()]
    chosen = sel_board.publish_candidates(campaign, township, ids)
    if not chosen:
        messages.error(request, "请勾选已完成评分的党组织后再发布公示")
        return redirect("grading:township_board", campaign_pk=campaign.pk, org_pk=township.pk)
    cap = cap_check(campaign, township, adding_good=sum(1 for a in chosen if a.township_grade == rules.Grade.GOOD))
    today = timezone.localdate()
    starts, ends = notice_window(today, campaign.notice_days)
    if request.POST.get("confirm"):
        form = PublishForm(request.POST, cap=cap)
        if form.is_valid():
            try:
                notice = notice_publish(
                    actor=request.user,
                    campaign=campaign,
                    township=township,
                    assessments=chosen,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    contact=form.cleaned_data["contact"],
                    cap_reason=form.cleaned_data.get("cap_reason", ""),
                    published_on=today,
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, f"已发布公示,{notice.starts_on}至{notice.ends_on},共{len(chosen)}个党组织")
                return redirect("grading:notice_detail", pk=notice.pk)
    else:
        form = PublishForm(
            cap=cap,
            initial={
                "title": default_title(campaign, township, today),
                "body": _default_body(township, campaign),
            },
        )
    return render(
        request,
        "grading/township/publish.html",
        {
            "township": township,
            "campaign": campaign,
            "chosen": chosen,
            "cap": cap,
            "form": form,
            "published_on": today,
            "starts_on": starts,
            "ends_on": ends,
        },
    )


def _notice_page(
    request: HttpRequest,
    notice: Notice,
    *,
    record_form: ObjectionRecordForm | None = None,
    answer_form: ObjectionAnswerForm | None = None,
    answer_for: int | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    rows = sel_notices.notice_rows(notice)
    may_score = sel_board.may_score(request.user, notice.township)
    recording = may_score and notice.starts_on <= today and any(r.assessment.status in OBJECTION_OPEN for r in rows)
    if recording and record_form is None:
        record_form = ObjectionRecordForm(assessments=_batch(notice), today=today)
    for row in rows:
        for objection in row.objections:
            objection.answer_form = None
            if may_score and objection.is_pending:
                bound = answer_form if answer_for == objection.pk else None
                objection.answer_form = bound or ObjectionAnswerForm(auto_id=f"id_ans{objection.pk}_%s")
    state = sel_notices.notice_state(notice, today)
    return render(
        request,
        "grading/township/notice.html",
        {
            "notice": notice,
            "campaign": notice.campaign,
            "township": notice.township,
            "rows": rows,
            "state": state,
            "is_open": state == "公示中",
            "today": today,
            "may_score": may_score,
            "record_form": record_form if recording else None,
            "closed_count": sum(1 for r in rows if r.assessment.status == AssessmentStatus.NOTICE_CLOSED),
            "pending": sum(r.pending for r in rows),
            "objection_count": sum(len(r.objections) for r in rows),
        },
        status=status,
    )


def _batch(notice: Notice) -> Any:
    return Assessment.objects.filter(notice=notice, status__in=OBJECTION_OPEN).select_related("organization")


@login_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _notice_page(request, sel_notices.notice_get(request.user, pk))


def _require_scorer(request: HttpRequest, notice: Notice) -> None:
    if not sel_board.may_score(request.user, notice.township):
        raise PermissionDenied("只有乡镇(街道)党(工)委可以办理公示")


@login_required
@require_POST
def objection_record(request: HttpRequest, pk: int) -> HttpResponse:
    notice = sel_notices.notice_get(request.user, pk)
    _require_scorer(request, notice)
    form = ObjectionRecordForm(request.POST, assessments=_batch(notice), today=timezone.localdate())
    if form.is_valid():
        try:
            notice_objection_record(
                actor=request.user,
                assessment=form.cleaned_data["assessment"],
                raised_by_name=form.cleaned_data["raised_by_name"],
                content=form.cleaned_data["content"],
                raised_on=form.cleaned_data["raised_on"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"已登记对{form.cleaned_data['assessment'].organization.name}的异议,请及时答复")
            return redirect("grading:notice_detail", pk=notice.pk)
    return _notice_page(request, notice, record_form=form)


@login_required
@require_POST
def objection_answer(request: HttpRequest, pk: int, objection_pk: int) -> HttpResponse:
    notice = sel_notices.notice_get(request.user, pk)
    _require_scorer(request, notice)
    objection = sel_notices.objection_get(request.user, notice, objection_pk)
    form = ObjectionAnswerForm(request.POST, auto_id=f"id_ans{objection.pk}_%s")
    if form.is_valid():
        try:
            notice_objection_answer(
                actor=request.user,
                objection=objection,
                upheld=form.cleaned_data["upheld"],
                answer=form.cleaned_data["answer"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "已答复异议")
            return redirect("grading:notice_detail", pk=notice.pk)
    return _notice_page(request, notice, answer_form=form, answer_for=objection.pk)


@login_required
@require_POST
def notice_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """报区委组织部审批: every closed assessment of the batch. One with an unanswered objection is refused with the
    workflow's message and stays; the others go (each organization's objection concerns only itself)."""
    notice = sel_notices.notice_get(request.user, pk)
    _require_scorer(request, notice)
    done: list[str] = []
    candidates = sel_notices.submittable(notice)
    for assessment in candidates:
        try:
            transition(actor=request.user, assessment=assessment, action=Action.SUBMIT_TO_DISTRICT)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, f"{assessment.organization.name}:{message}")
        else:
            done.append(assessment.organization.name)
    if done:
        messages.success(request, f"已报区委组织部审批{len(done)}个党组织:{'、'.join(done)}")
    if not candidates:
        messages.info(request, "没有公示期满待报送的党组织")
    return redirect("grading:notice_detail", pk=notice.pk)
