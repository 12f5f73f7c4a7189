"""Year-end pages (总结验收, source part 1 §三(三)): the township's page with its final grades and the summary upload,
the district's list of summaries with the excellence award, and scoped downloads of the uploaded files. The
re-grading pages are in ``grading.views.regrade``.

Thin: the campaign, township and files come through ``grading.access`` (404 out of scope, 403 for whoever may not
act), reads through ``grading.selectors.yearend``, writes through ``grading.services.yearend_summaries``.
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

from core.edits import form_submit
from grading import access
from grading.forms.yearend import AwardForm, AwardShareForm, SummaryForm
from grading.selectors import overview as sel_overview
from grading.selectors import yearend as sy
from grading.services import yearend_summaries
from organizations.roles import Perm


@login_required
def district_yearend(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    """Who has sent the summary and papers, and the excellence award by the district's share."""
    campaign = access.campaign_for(request.user, campaign_pk, perm=Perm.REVIEW_GRADES)
    share = yearend_summaries.award_share(sel_overview.year_end_review(request.user, campaign))
    posted = request.POST if request.POST.get("do") == "share" else None
    share_form = AwardShareForm(posted, initial={"share_percent": share})
    done = form_submit(
        request,
        share_form,
        lambda data: yearend_summaries.award_share_set(actor=request.user, campaign=campaign, **data),
        success="评选比例已保存",
        then=lambda _: redirect("grading:district_yearend", campaign_pk=campaign.pk),
    )
    if done:
        return done
    rows = sy.summaries_board(request.user, campaign)
    context = {
        "campaign": campaign,
        "rows": rows,
        "share": share,
        "share_form": share_form,
        "allowed": yearend_summaries.award_allowed(len(rows), share),
        "chosen": sum(1 for r in rows if r.award),
        "submitted": sum(1 for r in rows if r.summary),
        "late": {r.township.pk for r in rows if r.summary and yearend_summaries.is_late(r.summary)},
    }
    return render(request, "grading/district/yearend.html", context)


@login_required
@require_POST
def district_award(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = access.campaign_for(request.user, campaign_pk, perm=Perm.REVIEW_GRADES)
    form = AwardForm(request.POST)
    if form.is_valid():
        rows = sy.summaries_board(request.user, campaign)
        row = next((r for r in rows if r.township.pk == form.cleaned_data["township"]), None)
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
    township = access.township_for(request.user, township_pk, perm=Perm.REQUEST_REGRADE)
    campaign = access.campaign_for(request.user, campaign_pk)
    form = SummaryForm(request.POST or None, request.FILES or None)
    done = form_submit(
        request,
        form,
        lambda data: yearend_summaries.summary_submit(
            actor=request.user, campaign=campaign, township=township, report=data["report"], papers=form.papers()
        ),
        success="总结材料和经验材料已报送区委组织部",
        then=lambda _: redirect("grading:township_yearend", campaign_pk=campaign.pk, township_pk=township.pk),
    )
    if done:
        return done
    summary = sy.township_summary(request.user, campaign, township)
    context = {
        "campaign": campaign,
        "township": township,
        "assessments": sy.township_final_assessments(request.user, campaign, township),
        "summary": summary,
        "summary_late": summary is not None and yearend_summaries.is_late(summary),
        "form": form,
        "request_open": timezone.localdate() <= campaign.regrade_request_due,
    }
    return render(request, "grading/district/township_yearend.html", context)


@login_required
def file_download(request: HttpRequest, kind: str, pk: int) -> FileResponse:
    stored = access.file_for(request.user, kind, pk)
    return FileResponse(stored.open("rb"), as_attachment=True, filename=PurePath(stored.name).name)
