"""Downloads of the grading documents: 附件1–5, the blank ballot, the 公示 and the district circular; the district
workbook runs as a background job with a progress page.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from core.documents import PDF_CONTENT_TYPE, XLSX_CONTENT_TYPE
from grading import access
from grading.documents import assessments as documents
from grading.documents import circular as summary_circular
from grading.documents import summary


def _download(filename: str, content: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def _pdf(result: tuple[str, bytes]) -> HttpResponse:
    return _download(*result, PDF_CONTENT_TYPE)


def _xlsx(result: tuple[str, bytes]) -> HttpResponse:
    return _download(*result, XLSX_CONTENT_TYPE)


def _per_page(request: HttpRequest) -> int:
    return 4 if request.GET.get("per_page") == "4" else 2


# --- One assessment: 附件1–4 -----------------------------------------------------------------------------------


@login_required
@require_GET
def annex1_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    a = access.assessment_for(request.user, pk)
    return _pdf(documents.annex1_pdf(actor=request.user, assessment=a))


@login_required
@require_GET
def annex2_blank_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access.campaign_for(request.user, pk)
    return _pdf(documents.annex2_blank_pdf(actor=request.user, campaign=campaign, per_page=_per_page(request)))


@login_required
@require_GET
def annex2_blank_pdf_org(request: HttpRequest, pk: int) -> HttpResponse:
    a = access.assessment_for(request.user, pk)
    return _pdf(
        documents.annex2_blank_pdf(actor=request.user, campaign=a.campaign, per_page=_per_page(request), assessment=a)
    )


@login_required
@require_GET
def annex2_tally_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    a = access.assessment_for(request.user, pk)
    return _pdf(documents.annex2_tally_pdf(actor=request.user, assessment=a))


@login_required
@require_GET
def annex2_tally_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    a = access.assessment_for(request.user, pk)
    return _xlsx(documents.annex2_tally_xlsx(actor=request.user, assessment=a))


@login_required
@require_GET
def annex3_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    a = access.assessment_for(request.user, pk)
    return _pdf(documents.annex3_pdf(actor=request.user, assessment=a))


@login_required
@require_GET
def annex4_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    a = access.assessment_for(request.user, pk)
    return _pdf(documents.annex4_pdf(actor=request.user, assessment=a))


@login_required
@require_GET
def annex4_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    a = access.assessment_for(request.user, pk)
    return _xlsx(documents.annex4_xlsx(actor=request.user, assessment=a))


# --- A township: 附件5 and the 公示 --------------------------------------------------------------------------------


def _annex5(request: HttpRequest, pk: int, township_pk: int, fmt: str) -> HttpResponse:
    campaign = access.campaign_for(request.user, pk)
    township = access.township_for(request.user, township_pk)
    if fmt == "pdf":
        content = summary.annex5_pdf_bytes(campaign, township)
    else:
        content = summary.annex5_xlsx_bytes(campaign, township)
    documents.record_export(
        actor=request.user,
        what="附件5分类定级汇总表",
        fmt=fmt,
        target=township,
        org_path=township.path,
        campaign=campaign.year,
    )
    filename = f"{summary.annex5_title(campaign, township)}(附件5).{fmt}"
    return _download(filename, content, PDF_CONTENT_TYPE if fmt == "pdf" else XLSX_CONTENT_TYPE)


@login_required
@require_GET
def annex5_xlsx(request: HttpRequest, pk: int, township_pk: int) -> HttpResponse:
    return _annex5(request, pk, township_pk, "xlsx")


@login_required
@require_GET
def annex5_pdf(request: HttpRequest, pk: int, township_pk: int) -> HttpResponse:
    return _annex5(request, pk, township_pk, "pdf")


@login_required
@require_GET
def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    notice = access.notice_for(request.user, pk)
    return _pdf(documents.notice_pdf(actor=request.user, notice=notice))


# --- The district: the workbook of every township (job) and the circular ---------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def annex5_district_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    root = access.district_root_for(request.user)
    campaign = access.campaign_for(request.user, pk)
    if request.method == "POST":
        job = summary.annex5_district_start(actor=request.user, campaign=campaign, root=root)
        return redirect("core:job_detail", pk=job.pk)
    context = {"campaign": campaign, "township_count": len(summary.townships())}
    return render(request, "grading/documents/annex5_district_confirm.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def circular_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """A small district's circular comes at once; a long one is made in the background: the page says so, the user
    presses 生成 and follows the job to the download (issue 15 §7)."""
    root = access.district_root_for(request.user)
    campaign = access.campaign_for(request.user, pk)
    if request.method == "POST":
        job = summary_circular.circular_start(actor=request.user, campaign=campaign, root=root)
        return redirect("core:job_detail", pk=job.pk)
    if summary_circular.circular_is_long(campaign):
        return render(request, "grading/district/circular_confirm.html", {"campaign": campaign})
    content = summary_circular.circular_pdf_bytes(campaign)
    documents.record_export(actor=request.user, what="分类定级情况通报", fmt="pdf", target=campaign, org_path=root.path)
    return _download(summary_circular.circular_filename(campaign), content, PDF_CONTENT_TYPE)
