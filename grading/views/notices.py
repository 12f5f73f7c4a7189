"""The township's public notices (公示): publishing a batch (with the 好 cap check, C5, and the window, D1), the notice
page with the objections recorded during it, and submitting the batch to the district once it has closed.

Thin: the township, campaign, notice and objection come through ``grading.access`` (404 out of scope, 403 for anyone
but the township on the writes), reads through ``grading.selectors.notices``, writes through
``grading.services.notices`` and the workflow. Whether a notice is open is derived from its dates and today's date;
nothing here waits for a worker.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.edits import form_submit
from grading import access
from grading.forms.notices import ObjectionAnswerForm, ObjectionRecordForm, PublishForm
from grading.models import Notice
from grading.rules import grades as rules
from grading.selectors import board as sel_board
from grading.selectors import notices as sel
from grading.services.notices import (
    cap_check,
    default_title,
    notice_objection_answer,
    notice_objection_record,
    notice_publish,
    notice_window,
)
from grading.services.workflow import Action, transition
from organizations.roles import Perm


def _default_body(township: Any, campaign: Any) -> str:
    return (
        f"根据区委{campaign.year}年度基层党组织分类管理工作安排,经基层党组织自查自评、{township.name}初审初评,"
        "现将以下基层党组织分类定级初评等次予以公示。公示期间,如有异议,请向下列联系方式实名反映。"
    )


@login_required
@require_POST
def notice_publish_view(request: HttpRequest, campaign_pk: int, org_pk: int) -> HttpResponse:
    """From the board: the selected scored organizations → a confirm page (window, cap) → publish."""
    township = access.township_for(request.user, org_pk, perm=Perm.SCORE_GRADES)
    campaign = access.campaign_for(request.user, campaign_pk, opened=True)
    ids = [int(x) for x in request.POST.getlist("ids") if x.isdigit()]
    chosen = sel_board.publish_candidates(request.user, campaign, township, ids)
    if not chosen:
        messages.error(request, "请勾选已完成评分的党组织后再发布公示")
        return redirect("grading:township_board", campaign_pk=campaign.pk, org_pk=township.pk)
    cap = cap_check(campaign, township, adding_good=sum(1 for a in chosen if a.township_grade == rules.Grade.GOOD))
    today = timezone.localdate()
    starts, ends = notice_window(today, campaign.notice_days)
    if request.POST.get("confirm"):
        form = PublishForm(request.POST, cap=cap)
    else:
        initial = {"title": default_title(campaign, township, today), "body": _default_body(township, campaign)}
        form = PublishForm(cap=cap, initial=initial)
    done = form_submit(
        request,
        form,
        lambda data: notice_publish(
            actor=request.user,
            campaign=campaign,
            township=township,
            assessments=chosen,
            title=data["title"],
            body=data["body"],
            contact=data["contact"],
            cap_reason=data.get("cap_reason", ""),
            published_on=today,
        ),
        success=lambda notice: f"已发布公示,{notice.starts_on}至{notice.ends_on},共{len(chosen)}个党组织",
        then=lambda notice: redirect("grading:notice_detail", pk=notice.pk),
    )
    context = {
        "township": township,
        "campaign": campaign,
        "chosen": chosen,
        "cap": cap,
        "form": form,
        "published_on": today,
        "starts_on": starts,
        "ends_on": ends,
    }
    return done or render(request, "grading/township/publish.html", context)


def _notice_page(
    request: HttpRequest,
    notice: Notice,
    *,
    record_form: ObjectionRecordForm | None = None,
    answer_form: ObjectionAnswerForm | None = None,
    answer_for: int | None = None,
) -> HttpResponse:
    page = sel.notice_page(request.user, notice)
    if page.recording and record_form is None:
        batch = sel.objection_batch(request.user, notice)
        record_form = ObjectionRecordForm(assessments=batch, today=page.today)
    for row in page.rows:
        for objection in row.objections:
            objection.answer_form = None
            if page.may_score and objection.is_pending:
                bound = answer_form if answer_for == objection.pk else None
                objection.answer_form = bound or ObjectionAnswerForm(auto_id=f"id_ans{objection.pk}_%s")
    return render(
        request,
        "grading/township/notice.html",
        {
            "notice": notice,
            "campaign": notice.campaign,
            "township": notice.township,
            "rows": page.rows,
            "state": page.state,
            "is_open": page.is_open,
            "today": page.today,
            "may_score": page.may_score,
            "record_form": record_form if page.recording else None,
            "closed_count": page.closed_count,
            "pending": page.pending,
            "objection_count": page.objection_count,
        },
    )


@login_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _notice_page(request, access.notice_for(request.user, pk))


@login_required
@require_POST
def objection_record(request: HttpRequest, pk: int) -> HttpResponse:
    notice = access.notice_for(request.user, pk, perm=Perm.SCORE_GRADES)
    batch = sel.objection_batch(request.user, notice)
    form = ObjectionRecordForm(request.POST, assessments=batch, today=timezone.localdate())
    done = form_submit(
        request,
        form,
        lambda data: notice_objection_record(
            actor=request.user,
            assessment=data["assessment"],
            raised_by_name=data["raised_by_name"],
            content=data["content"],
            raised_on=data["raised_on"],
        ),
        success=lambda objection: f"已登记对{objection.assessment.organization.name}的异议,请及时答复",
        then=lambda _: redirect("grading:notice_detail", pk=notice.pk),
    )
    return done or _notice_page(request, notice, record_form=form)


@login_required
@require_POST
def objection_answer(request: HttpRequest, pk: int, objection_pk: int) -> HttpResponse:
    notice = access.notice_for(request.user, pk, perm=Perm.SCORE_GRADES)
    objection = access.notice_objection_for(request.user, notice, objection_pk)
    form = ObjectionAnswerForm(request.POST, auto_id=f"id_ans{objection.pk}_%s")
    done = form_submit(
        request,
        form,
        lambda data: notice_objection_answer(
            actor=request.user, objection=objection, upheld=data["upheld"], answer=data["answer"]
        ),
        success="已答复异议",
        then=lambda _: redirect("grading:notice_detail", pk=notice.pk),
    )
    return done or _notice_page(request, notice, answer_form=form, answer_for=objection.pk)


@login_required
@require_POST
def notice_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """报区委组织部审批: every closed assessment of the batch. One with an unanswered objection is refused with the
    workflow's message and stays; the others go (each organization's objection concerns only itself)."""
    notice = access.notice_for(request.user, pk, perm=Perm.SCORE_GRADES)
    done: list[str] = []
    candidates = sel.submittable(request.user, notice)
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
