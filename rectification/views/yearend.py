"""The year-end written report of a rectification not accepted in time (source part 1 §三(三)1): the township's
upload page and the scoped download. The district board lists the cases that owe it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from core.edits import form_submit
from rectification import access
from rectification.forms import YearEndReportForm
from rectification.selectors import cases as case_selectors
from rectification.services import yearend as yearend_services
from rectification.views.common import case_url, form_page, stored_file


@login_required
def yearend_report(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.case_to_report_yearend(request.user, pk)
    owed = yearend_services.status_of(case)
    form = YearEndReportForm(request.POST or None, request.FILES or None)
    done = form_submit(
        request,
        form,
        lambda d: yearend_services.yearend_report_submit(
            actor=request.user, case=case, upload=d["file"], note=d["note"]
        ),
        success=lambda report: f"已报送{report.year}年底整顿不力书面报告",
        then=lambda _: redirect(case_url(case)),
    )
    if done:
        return done
    if owed.required:
        intro = (
            f"{case.organization.name}的整顿在{owed.due:%Y年%-m月%-d日}(申请复核截止日)仍未验收通过。"
            "软弱涣散基层党组织整顿不力的,需以党委或工委名义书面向区委报告(第一篇三(三)1)。"
        )
    else:
        intro = "该整顿目前无需报送整顿不力书面报告:只有年底复核申请截止日仍未验收通过的软弱涣散支部需要报送。"
    return form_page(
        request,
        title=f"{case.organization.name}:整顿不力书面报告",
        form=form,
        case=case,
        back=case_url(case),
        intro=intro,
        submit="报送",
        multipart=True,
        status=400 if request.method == "POST" else 200,
    )


@login_required
def yearend_report_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's report (``?year=`` for an earlier year-end; default the latest); none yet: back to the case."""
    case = access.case_for(request.user, pk)
    year = request.GET.get("year", "")
    report = case_selectors.yearend_report_of(request.user, case, int(year) if year.isdigit() else None)
    if report is None:
        messages.info(request, "尚未报送整顿不力书面报告")
        return redirect(case_url(case))
    return stored_file(report.file, report.original_name, report.content_type)
