"""The year-end written report of a rectification not accepted in time (source part 1 §三(三)1): the township's
upload page and the scoped download. The district board lists the cases that owe it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from rectification import access
from rectification.forms import YearEndReportForm
from rectification.selectors import cases as case_selectors
from rectification.services.yearend import may_report, status_of, yearend_report_submit
from rectification.views.cases import case_url
from rectification.views.common import form_page, run_service


@login_required
def yearend_report(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.case_get(request.user, pk)
    if not may_report(request.user, case):
        raise PermissionDenied("整顿不力书面报告由乡镇(街道)党(工)委报送")
    owed = status_of(case)
    form = YearEndReportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            report = run_service(
                form, lambda: yearend_report_submit(actor=request.user, case=case, upload=d["file"], note=d["note"])
            )
            if report is not None:
                messages.success(request, f"已报送{report.year}年底整顿不力书面报告")
                return redirect(case_url(case))
        status = 400
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
        status=status,
    )


@login_required
def yearend_report_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's report (``?year=`` for an earlier year-end; default the latest); none yet: back to the case."""
    case = access.case_get(request.user, pk)
    year = request.GET.get("year", "")
    report = case_selectors.yearend_report_of(case, int(year) if year.isdigit() else None)
    if report is None:
        messages.info(request, "尚未报送整顿不力书面报告")
        return redirect(case_url(case))
    try:
        handle = report.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("文件不存在") from None
    inline = report.content_type.startswith("image/") or report.content_type == "application/pdf"
    response = FileResponse(
        handle, as_attachment=not inline, filename=report.original_name, content_type=report.content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
