"""Downloads: the ledger of a case and of the district (xlsx, PDF), the acceptance report and the district circular.
Scoped like the records (out of scope → 404); the district's documents need SUPERVISE at the district."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from organizations.models import Organization
from organizations.roles import Perm
from organizations.scope import can
from partybuild.documents import PDF_CONTENT_TYPE, XLSX_CONTENT_TYPE
from rectification import access, documents


def _download(result: tuple[str, bytes], content_type: str) -> HttpResponse:
    filename, content = result
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def _district_root(user: Any) -> Organization:
    root = Organization.objects.filter(depth=1).order_by("path").first()
    if root is None or not can(user, Perm.SUPERVISE, root):
        raise PermissionDenied("全区文书仅供区委组织部导出")
    return root


@login_required
@require_GET
def case_ledger_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.case_get(request.user, pk)
    return _download(documents.case_ledger_xlsx(actor=request.user, case=case), XLSX_CONTENT_TYPE)


@login_required
@require_GET
def case_ledger_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.case_get(request.user, pk)
    return _download(documents.case_ledger_pdf(actor=request.user, case=case), PDF_CONTENT_TYPE)


@login_required
@require_GET
def acceptance_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    acceptance = access.acceptance_get(request.user, pk)
    return _download(documents.acceptance_pdf(actor=request.user, acceptance=acceptance), PDF_CONTENT_TYPE)


@login_required
@require_GET
def district_ledger_xlsx(request: HttpRequest) -> HttpResponse:
    root = _district_root(request.user)
    return _download(documents.district_ledger_xlsx(actor=request.user, root=root), XLSX_CONTENT_TYPE)


@login_required
@require_GET
def district_ledger_pdf(request: HttpRequest) -> HttpResponse:
    root = _district_root(request.user)
    return _download(documents.district_ledger_pdf(actor=request.user, root=root), PDF_CONTENT_TYPE)


@login_required
@require_GET
def circular_pdf(request: HttpRequest) -> HttpResponse:
    root = _district_root(request.user)
    return _download(documents.circular_pdf(actor=request.user, root=root), PDF_CONTENT_TYPE)
