"""Progress boards: the township's board and its 附件5 summary page, the district's overview, and the deadlines page
(who has not submitted, scored or been approved yet, with overdue marks; scoped to the viewer).

Thin: the township and the campaign come through ``grading.access`` (404 out of scope; the district's overview 403
for anyone but the district), the boards are built by the selectors.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from grading import access
from grading.selectors import board as sel_board
from grading.selectors import overview as sel_overview
from grading.selectors import summary as sel_summary
from grading.selectors.overdue import overdue_report
from organizations.roles import Perm


@login_required
@require_GET
def overdue(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = access.campaign_for(request.user, campaign_pk)
    pk = request.GET.get("township", "")
    township = access.township_for(request.user, int(pk)) if pk.isdigit() else None
    report = overdue_report(request.user, campaign, township=township)
    sections = [
        ("未提交自查自评的党组织", report.not_submitted, report.totals[0]),
        ("乡镇(街道)初审未完成的党组织", report.with_township, report.totals[1]),
        ("待区委组织部审定的党组织", report.with_district, report.totals[2]),
    ]
    context = {"report": report, "campaign": report.campaign, "sections": sections}
    return render(request, "grading/overdue.html", context)


@login_required
def township_current(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The township's way in: the open campaign's board (or the latest closed one's), or a page saying none is open."""
    township = access.township_for(request.user, org_pk)
    campaign = sel_board.current_campaign(request.user)
    if campaign is None:
        return render(request, "grading/township/none.html", {"township": township})
    return redirect("grading:township_board", campaign_pk=campaign.pk, org_pk=township.pk)


@login_required
def township_board(request: HttpRequest, campaign_pk: int, org_pk: int) -> HttpResponse:
    township = access.township_for(request.user, org_pk)
    campaign = access.campaign_for(request.user, campaign_pk, opened=True)
    # The filter is validated by the selector: an unknown value shows the whole list (never an error).
    data = sel_board.board(request.user, campaign, township, status=request.GET.get("status", ""))
    return render(
        request,
        "grading/township/board.html",
        {
            "township": township,
            "campaign": campaign,
            "board": data,
            "status": data.status,
            "may_score": access.may_score(request.user, township),
            "may_request_regrade": access.may_request_regrade(request.user, township),
        },
    )


@login_required
def township_summary(request: HttpRequest, campaign_pk: int, org_pk: int) -> HttpResponse:
    township = access.township_for(request.user, org_pk)
    campaign = access.campaign_for(request.user, campaign_pk, opened=True)
    return render(
        request,
        "grading/township/summary.html",
        {"township": township, "campaign": campaign, "summary": sel_summary.summary(request.user, campaign, township)},
    )


@login_required
def district_current(request: HttpRequest) -> HttpResponse:
    campaign = sel_overview.current_campaign(request.user)
    if campaign is not None:
        return redirect("grading:district_overview", campaign_pk=campaign.pk)
    return render(request, "grading/district/no_campaign.html")


@login_required
def district_overview(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = access.campaign_for(request.user, campaign_pk, perm=Perm.REVIEW_GRADES)
    return render(
        request,
        "grading/district/overview.html",
        {"campaign": campaign, "o": sel_overview.overview(request.user, campaign)},
    )
