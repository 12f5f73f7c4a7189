"""Roster downloads: a small roster's PDF directly, a big one's and every xlsx through a background job."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from core.documents import PDF_CONTENT_TYPE
from organizations import documents
from organizations.access import may_see_personal_data, organization_for
from organizations.roles import Perm


@login_required
@require_http_methods(["GET", "POST"])
def roster_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """A branch's roster comes at once; a township's or the district's is made in the background: the page says how
    many members, the user presses 生成 and follows the job's progress to the download (issue 15 §7)."""
    organization = organization_for(request.user, pk, perm=Perm.EXPORT_ROSTER)
    mode, count = documents.roster_pdf_mode(request.user, organization)
    if request.method == "POST" and mode != "too_big":
        job = documents.roster_pdf_start(actor=request.user, organization=organization)
        return redirect("core:job_detail", pk=job.pk)
    if mode != "direct":
        context = {
            "organization": organization,
            "member_count": count,
            "too_big": mode == "too_big",
            "limit": documents.ROSTER_PDF_MAX,
            "personal_data": may_see_personal_data(request.user, organization),
        }
        return render(request, "organizations/documents/roster_pdf_confirm.html", context)
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
