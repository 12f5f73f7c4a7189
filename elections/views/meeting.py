"""The members' congress: opening it, attendance, scrutineers, ballot rounds; the result, its approval and report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.documents import PDF_CONTENT_TYPE, XLSX_CONTENT_TYPE
from core.edits import form_submit
from elections import access
from elections.documents import report as documents
from elections.forms import SeatReductionForm
from elections.models import (
    RoundPurpose,
)
from elections.rules.incidents import ANNULLABLE_PHASES
from elections.selectors import meeting as meetings
from elections.services.annulment import annulments_of, approved_since_annulment
from elections.services.approval import result_approve
from elections.services.meeting import attendance_save, meeting_open, scrutineers_save
from elections.services.rounds import annulled_names, round_open
from elections.services.seat_reduction import seats_filled_problems, seats_left, seats_reduce
from elections.services.voters import roll_counts
from elections.views.common import download, form_id, show_errors
from organizations.roles import Perm


@login_required
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.project_for(request.user, pk)
    current = meetings.meeting_of(request.user, project)
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
                follows = access.round_of_meeting(request.user, current, form_id(request.POST.get("follows")))
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
            "voters": meetings.attending_voters(request.user, project),
            "roll": roll_counts(project),
            "rounds": meetings.rounds_of(request.user, current),
            "purposes": RoundPurpose.choices,
            "secretary_electorate": meetings.secretary_electorate_words(request.user, project),
            "seats_left": seats_left(project) if current else 0,
            "seat_reduction": meetings.seat_reduction_of(request.user, project),
            "seat_reduction_problems": seats_filled_problems(project, after_a_round=True),
            "seat_reduction_form": SeatReductionForm(),
            "annulled": annulled_names(project) if current else [],
            **access.actions_for(request.user, project),
        },
    )


@login_required
@require_POST
def seats_reduce_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A5: the congress's vote to reduce the seats, entered on the meeting page."""
    project = access.project_for(request.user, pk, perm=Perm.ELECTION_VILLAGE_STEPS)
    form = SeatReductionForm(request.POST)
    back = redirect("elections:meeting", pk=project.pk)
    done = form_submit(
        request,
        form,
        lambda d: seats_reduce(
            actor=request.user,
            project=project,
            votes_for=d["votes_for"],
            votes_against=d["votes_against"] or 0,
            abstained=d["abstained"] or 0,
        ),
        success=lambda r: f"已记录党员大会表决:{'通过' if r.passed else '未通过'}",
        then=lambda _: back,
    )
    if done is None:
        show_errors(request, ValidationError([e for errs in form.errors.values() for e in errs]))
    return done or back


@login_required
def result(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.project_for(request.user, pk)
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
    context["may_approve"] = access.actions_for(request.user, project)["may_manage"]
    context["approvals"] = meetings.approvals_of(request.user, project)
    context["annulments"] = annulments_of(project)
    context["approved_now"] = approved_since_annulment(project)
    context["seats_open"] = seats_left(project)
    context["may_annul"] = context["may_approve"] and project.status in ANNULLABLE_PHASES
    return render(request, "elections/result.html", context)


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    name, content = documents.report_pdf(access.project_for(request.user, pk))
    return download(name, content, PDF_CONTENT_TYPE)


@login_required
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    name, content = documents.report_xlsx(access.project_for(request.user, pk))
    return download(name, content, XLSX_CONTENT_TYPE)
