"""Downloads of a circular: its PDF (whoever may open it) and its receipts as xlsx (the sender's side, who may send
for the sender). Scoped like the page: out of scope → 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from circulars import access
from circulars.documents import circular as documents
from circulars.selectors import circulars as selectors
from core.documents import PDF_CONTENT_TYPE, XLSX_CONTENT_TYPE


def _download(result: tuple[str, bytes], content_type: str) -> HttpResponse:
    filename, content = result
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def circular_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    circular = access.circular_for(request.user, pk)
    board = selectors.board_of(request.user, circular, timezone.localdate())
    attachments = list(selectors.attachments_of(request.user, circular))
    result = documents.circular_pdf(actor=request.user, circular=circular, board=board, attachments=attachments)
    return _download(result, PDF_CONTENT_TYPE)


@login_required
@require_GET
def receipts_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    circular = access.circular_for(request.user, pk, perm=access.SEND)
    board = selectors.board_of(request.user, circular, timezone.localdate())
    return _download(documents.receipts_xlsx(actor=request.user, circular=circular, board=board), XLSX_CONTENT_TYPE)
