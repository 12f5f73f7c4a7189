"""The members' congress: opening it, attendance, scrutineers, ballot rounds; the result, its approval and report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from elections.documents import report as documents
from elections.models import (
    Meeting,
    RoundPurpose,
)
from elections.selectors import projects as sel
from elections.services.approval import result_approve
from elections.services.meeting import attendance_save, meeting_open, scrutineers_save
from elections.services.rounds import round_open
from elections.services.voters import roll_counts
from elections.views.common import download, form_id, page_controls, show_errors
from organizations.roles import Perm
from organizations.scope import can
from partybuild.documents import PDF_CONTENT_TYPE, XLSX_CONTENT_TYPE


@login_required
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    project = sel.project_get(request.user, pk)
    current = Meeting.objects.filter(project=project).first()
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "open":
                meeting_open(actor=request.user, project=project, held_on=timezone.localdate())
            elif current is None:
                raise ValidationError("请先召开党员大会")
            elif action == "attendance":
                ids = [form_id(i) for i in request.POST.getlist("present")]
                attendance_save(actor=request.user, meeting=current, present_member_ids=ids)
            elif action == "scrutineers":
                scrutineers_save(
                    actor=request.user,
                    meeting=current,
                    scrutineers=request.POST.get("scrutineers", "").replace(",", "、").split("、"),
                    counters=request.POST.get("counters", "").replace(",", "、").split("、"),
                )
            elif action == "round":
                follows = current.rounds.filter(pk=form_id(request.POST.get("follows"))).first()
                r = round_open(
                    actor=request.user, meeting=current, purpose=request.POST.get("purpose", ""), follows=follows
                )
                return redirect("elections:round", pk=r.pk)
        except ValidationError as exc:
            show_errors(request, exc)
        return redirect("elections:meeting", pk=project.pk)
    return render(
        request,
        "elections/meeting.html",
        {
            "project": project,
            "meeting": current,
            "voters": project.voters.exclude(status="ineligible").select_related("member"),
            "roll": roll_counts(project),
            "rounds": current.rounds.select_related("result") if current else [],
            "purposes": RoundPurpose.choices,
            **page_controls(request.user, project),
        },
    )


@login_required
def result(request: HttpRequest, pk: int) -> HttpResponse:
    project = sel.project_get(request.user, pk)
    if request.method == "POST":
        try:
            result_approve(
                actor=request.user,
                project=project,
                approved=request.POST.get("approved", "1") == "1",
                note=request.POST.get("note", ""),
            )
            messages.success(request, "已批复")
        except ValidationError as exc:
            show_errors(request, exc)
        return redirect("elections:result", pk=project.pk)
    context = documents.report_context(project)
    context["may_approve"] = can(request.user, Perm.ELECTION_MANAGE, project.organization)
    context["approvals"] = project.approvals.all()
    return render(request, "elections/result.html", context)


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    name, content = documents.report_pdf(sel.project_get(request.user, pk))
    return download(name, content, PDF_CONTENT_TYPE)


@login_required
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    name, content = documents.report_xlsx(sel.project_get(request.user, pk))
    return download(name, content, XLSX_CONTENT_TYPE)
