"""The deadlines page: who has not submitted, scored or been approved yet, with overdue marks; scoped to the viewer."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from grading.reminders import overdue_report


@login_required
@require_GET
def overdue(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    report = overdue_report(request.user, campaign_pk)
    sections = [
        ("未提交自查自评的党组织", report.not_submitted),
        ("乡镇(街道)初审未完成的党组织", report.with_township),
        ("待区委组织部审定的党组织", report.with_district),
    ]
    context = {"report": report, "campaign": report.campaign, "sections": sections}
    return render(request, "grading/overdue.html", context)
