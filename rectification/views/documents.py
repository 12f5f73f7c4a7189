"""Downloads: the ledger of a case and of the district (xlsx, PDF), the acceptance report and the district circular.
Scoped like the records (out of scope → 404); the district's documents need SUPERVISE at the district."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

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


@login_required
@require_GET
def district_ledger_pdf(request: HttpRequest) -> HttpResponse:
    root = access.district_root_for(request.user)
    return download(documents.district_ledger_pdf(actor=request.user, root=root), PDF_CONTENT_TYPE)


@login_required
@require_GET
def circular_pdf(request: HttpRequest) -> HttpResponse:
    root = access.district_root_for(request.user)
    return download(documents.circular_pdf(actor=request.user, root=root), PDF_CONTENT_TYPE)
