"""Pages of one organization's organizational life: the year's matrix and records, recording a meeting on a phone,
one record with its attendance, files and trail, correcting it within its window, attaching a file.

Thin: objects through ``meetings.access``, reads through the selectors, writes through the services with
``core.edits.form_submit``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from core.edits import form_submit, run_edit
from meetings import access
from meetings.forms.meetings import FileForm, MeetingForm
from meetings.rules import records as record_rules
from meetings.selectors import compliance, records
from meetings.services import meetings as services


def year_of(request: HttpRequest) -> int:
    """The ``?year=`` asked for (this year when absent or not a plausible year)."""
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        return this_year
    return year if 2000 <= year <= this_year + 1 else this_year


@login_required
@require_GET
def org_meetings(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.organization_for(request.user, pk)
    year = year_of(request)
    this_year = timezone.localdate().year
    return render(
        request,
        "meetings/org.html",
        {
            "org": org,
            "year": year,
            "years": records.years_of(request.user, org, this_year),
            "matrix": compliance.compliance_of(request.user, org, year),
            "meetings": records.meetings_of(request.user, org, year),
            "may_record": access.may_record(request.user, org),
            "months": range(1, 13),
        },
    )


def _meeting_page(request: HttpRequest, org: Any, form: MeetingForm, title: str, back: str) -> HttpResponse:
    return render(request, "meetings/form.html", {"org": org, "form": form, "title": title, "back": back})


@login_required
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.organization_for(request.user, pk, perm=services.RECORD)
    form = MeetingForm(request.POST or None, request.FILES or None, roster=records.roster_of(request.user, org))
    done = form_submit(
        request,
        form,
        lambda d: services.meeting_record(
            actor=request.user, organization=org, values=form.values(), marks=form.marks(), upload=d.get("upload")
        ),
        success=lambda m: f"已登记{m.get_kind_display()}({m.held_on:%Y-%m-%d})",
        then=lambda m: redirect("meetings:meeting_detail", pk=m.pk),
    )
    return done or _meeting_page(request, org, form, f"{org.name}:登记组织生活", _org_url(org.pk))


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.meeting_to_edit(request.user, pk)
    org = meeting.organization
    form = MeetingForm(
        request.POST or None, request.FILES or None, instance=meeting, roster=records.roster_of(request.user, org)
    )
    done = form_submit(
        request,
        form,
        lambda d: services.meeting_update(
            actor=request.user, meeting=meeting, values=form.values(), marks=form.marks(), upload=d.get("upload")
        ),
        success="已保存修改",
        then=lambda m: redirect("meetings:meeting_detail", pk=m.pk),
    )
    title = f"{org.name}:修改{meeting.get_kind_display()}记录"
    return done or _meeting_page(request, org, form, title, _detail_url(meeting.pk))


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.meeting_for(request.user, pk)
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "org": meeting.organization,
            "attendance": records.attendance_of(request.user, meeting),
            "files": records.files_of(request.user, meeting),
            "trail": records.trail_of(request.user, meeting),
            "may_edit": access.may_edit(request.user, meeting),
            "may_attach": access.may_record(request.user, meeting.organization),
            "editable_until": record_rules.editable_until(meeting.entered_on),
            "file_form": FileForm(),
        },
    )


@login_required
@require_POST
def file_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The detail page's upload form posts here; a refused file is said on the detail page (nothing stored)."""
    meeting = access.meeting_for(request.user, pk, perm=services.RECORD)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        done = run_edit(
            form, lambda: services.file_add(actor=request.user, meeting=meeting, upload=form.cleaned_data["upload"])
        )
        if done is not None:
            messages.success(request, f"已上传“{done.original_name}”")
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, f"附件未上传:{error}")
    return redirect("meetings:meeting_detail", pk=meeting.pk)


@login_required
@require_GET
def file_download(request: HttpRequest, pk: int) -> FileResponse:
    row = access.meeting_file_for(request.user, pk)
    try:
        handle = row.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("文件不存在") from None
    inline = row.content_type.startswith("image/") or row.content_type == "application/pdf"
    response = FileResponse(handle, as_attachment=not inline, filename=row.original_name, content_type=row.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _org_url(pk: int) -> str:
    return reverse("meetings:org_meetings", args=[pk])


def _detail_url(pk: int) -> str:
    return reverse("meetings:meeting_detail", args=[pk])
