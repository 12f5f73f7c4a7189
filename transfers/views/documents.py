"""The 介绍信's PDF (存根, letter, 回执), for the sending and the receiving side's holders of personal data."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from core.documents import PDF_CONTENT_TYPE
from transfers import access
from transfers.documents.letters import transfer_letter_pdf


@login_required
@require_GET
def letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = access.transfer_to_print(request.user, pk)
    filename, content = transfer_letter_pdf(transfer)
    response = HttpResponse(content, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response
