"""Roster downloads: the PDF directly, the xlsx through a background job."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from core.documents import PDF_CONTENT_TYPE
from organizations import documents
from organizations.access import may_see_personal_data, organization_for
from organizations.roles import Perm


@login_required
@require_GET
def roster_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    organization = organization_for(request.user, pk, perm=Perm.EXPORT_ROSTER)
    filename, content = documents.roster_pdf(actor=request.user, organization=organization)
    response = HttpResponse(content, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def roster_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    organization = organization_for(request.user, pk, perm=Perm.EXPORT_ROSTER)
    if request.method == "POST":
        job = documents.roster_xlsx_start(actor=request.user, organization=organization)
        return redirect("core:job_detail", pk=job.pk)
    context = {
        "organization": organization,
        "member_count": documents.roster_members(request.user, organization).count(),
        "personal_data": may_see_personal_data(request.user, organization),
    }
    return render(request, "organizations/documents/roster_xlsx_confirm.html", context)
