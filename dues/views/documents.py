"""Downloads of the ledger (xlsx, PDF): scoped like the page (out of scope → 404), ``export_roster`` needed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from core.documents import PDF_CONTENT_TYPE, XLSX_CONTENT_TYPE
from dues import access
from dues.documents import ledger as documents
from dues.forms.records import year_from


def download(result: tuple[str, bytes], content_type: str) -> HttpResponse:
    filename, content = result
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def ledger_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.organization_for(request.user, pk, perm=access.EXPORT)
    today = timezone.localdate()
    year = year_from(request.GET.get("year"), today)
    return download(documents.ledger_xlsx(actor=request.user, org=org, year=year, today=today), XLSX_CONTENT_TYPE)


@login_required
@require_GET
def ledger_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.organization_for(request.user, pk, perm=access.EXPORT)
    today = timezone.localdate()
    year = year_from(request.GET.get("year"), today)
    return download(documents.ledger_pdf(actor=request.user, org=org, year=year, today=today), PDF_CONTENT_TYPE)
