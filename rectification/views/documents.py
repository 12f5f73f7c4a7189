"""Downloads: the ledger of a case and of the district (xlsx, PDF), the acceptance report and the district circular.
Scoped like the records (out of scope → 404); the district's documents need SUPERVISE at the district."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.documents import PDF_CONTENT_TYPE, XLSX_CONTENT_TYPE
from rectification import access, documents
from rectification.views.common import download


@login_required
@require_GET
def case_ledger_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.case_for(request.user, pk)
    return download(documents.case_ledger_xlsx(actor=request.user, case=case), XLSX_CONTENT_TYPE)


@login_required
@require_GET
def case_ledger_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.case_for(request.user, pk)
    return download(documents.case_ledger_pdf(actor=request.user, case=case), PDF_CONTENT_TYPE)


@login_required
@require_GET
def acceptance_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    acceptance = access.acceptance_for(request.user, pk)
    return download(documents.acceptance_pdf(actor=request.user, acceptance=acceptance), PDF_CONTENT_TYPE)


@login_required
@require_GET
def district_ledger_xlsx(request: HttpRequest) -> HttpResponse:
    root = access.district_root_for(request.user)
    return download(documents.district_ledger_xlsx(actor=request.user, root=root), XLSX_CONTENT_TYPE)


def _district_pdf(request: HttpRequest, kind: str, url_name: str) -> HttpResponse:
    """A few pages come at once; a long document is made in the background: the page says so, the user presses 生成
    and follows the job to the download (issue 15 §7)."""
    root = access.district_root_for(request.user)
    open_cases = documents.open_case_count(request.user)
    if request.method == "POST":
        job = documents.district_pdf_start(actor=request.user, root=root, kind=kind)
        return redirect("core:job_detail", pk=job.pk)
    if open_cases > documents.DISTRICT_PDF_DIRECT_MAX:
        context = {"title": documents.DISTRICT_PDFS[kind][0], "open_cases": open_cases, "url_name": url_name}
        return render(request, "rectification/pdf_confirm.html", context)
    title, make = documents.DISTRICT_PDFS[kind]
    return download(make(actor=request.user, root=root), PDF_CONTENT_TYPE)


@login_required
@require_http_methods(["GET", "POST"])
def district_ledger_pdf(request: HttpRequest) -> HttpResponse:
    return _district_pdf(request, "rectification_district_ledger_pdf", "rectification:district_ledger_pdf")


@login_required
@require_http_methods(["GET", "POST"])
def circular_pdf(request: HttpRequest) -> HttpResponse:
    return _district_pdf(request, "rectification_circular_pdf", "rectification:circular_pdf")
