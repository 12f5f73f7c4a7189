"""Incidents (重大事件、重要舆情、来信来访) and the sanctions for 贿选 (取消候选人资格, 宣布当选无效), 第五篇 六.

The district's list of incidents (open or closed), an incident's page with its follow-ups and closing, reporting one
from a project's page; each sanction on its own confirmation page that says what will happen before the decision is
recorded. Thin: reads through the selectors and ``elections.access`` (out of scope 404), writes through
``services.incidents`` and ``services.annulment`` (not allowed 403, a refusal as the form's errors)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from core.edits import form_submit
from elections import access
from elections.forms import AnnulForm, IncidentCloseForm, IncidentFollowUpForm, IncidentForm, SanctionForm
from elections.models import CandidatePost, IncidentState
from elections.selectors import incidents as sel
from elections.services import annulment, incidents
from elections.services.rounds import elected_for
from organizations.roles import Perm


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    rows = list(sel.incident_list(request.user, state))
    return render(
        request,
        "elections/incidents/list.html",
        {"rows": rows, "state": state if state in IncidentState.values else "", "states": IncidentState.choices},
    )


@login_required
def incident_report(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.project_for(request.user, pk, perm=Perm.ELECTION_MANAGE)
    form = IncidentForm(request.POST or None, initial={"occurred_on": timezone.localdate()})
    done = form_submit(
        request,
        form,
        lambda d: incidents.incident_report(actor=request.user, project=project, **d),
        success="已登记",
        then=lambda incident: redirect("elections:incident", pk=incident.pk),
    )
    return done or render(request, "elections/incidents/report.html", {"project": project, "form": form})


@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = access.incident_for(request.user, pk)
    project = incident.project
    may_manage = access.actions_for(request.user, project)["may_manage"]
    today = timezone.localdate()
    action = request.POST.get("action", "") if request.method == "POST" else ""
    follow_form = IncidentFollowUpForm(
        request.POST if action == "follow_up" else None, initial={"version": incident.version, "done_on": today}
    )
    close_form = IncidentCloseForm(
        request.POST if action == "close" else None, initial={"version": incident.version, "closed_on": today}
    )
    back = redirect("elections:incident", pk=incident.pk)
    done = None
    if action == "follow_up":
        done = form_submit(
            request,
            follow_form,
            lambda d: incidents.incident_follow_up(actor=request.user, incident=incident, **d),
            success="已添加跟进记录",
            then=lambda _: back,
        )
    elif action == "close":
        done = form_submit(
            request,
            close_form,
            lambda d: incidents.incident_close(actor=request.user, incident=incident, **d),
            success="已办结",
            then=lambda _: back,
        )
    return done or render(
        request,
        "elections/incidents/detail.html",
        {
            "incident": incident,
            "project": project,
            "follow_ups": sel.follow_ups_of(request.user, incident),
            "sanctions": sel.sanctions_of_incident(request.user, incident),
            "may_manage": may_manage,
            "follow_form": follow_form,
            "close_form": close_form,
        },
    )


def _decision(data: dict[str, Any], choices: list[Any]) -> annulment.Decision:
    incident = next((i for i in choices if i.pk == data.get("incident")), None)
    return annulment.Decision(
        ground=data["ground"],
        reason=data["reason"],
        body=data["body"],
        decided_by_name=data["decided_by_name"],
        document_number=data["document_number"],
        decided_on=data["decided_on"],
        upload=data.get("file"),
        incident=incident,
    )


@login_required
def candidate_disqualify(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation page of 取消候选人资格: what it does, then the decision."""
    candidate = access.candidate_for(request.user, pk, perm=Perm.ELECTION_MANAGE)
    project = candidate.project
    choices = sel.incidents_of(request.user, project)
    form = SanctionForm(
        request.POST or None,
        request.FILES or None,
        incidents=choices,
        initial={"decided_on": timezone.localdate()},
    )
    done = form_submit(
        request,
        form,
        lambda d: annulment.candidate_disqualify(
            actor=request.user, candidate=candidate, decision=_decision(d, choices)
        ),
        success=lambda s: f"已取消{s.name}的候选人资格",
        then=lambda _: redirect("elections:candidates", pk=project.pk),
    )
    return done or render(
        request, "elections/incidents/disqualify.html", {"project": project, "candidate": candidate, "form": form}
    )


@login_required
def result_annul(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation page of 宣布当选无效: whom, what follows (the post ends, the seat is elected again)."""
    project = access.project_for(request.user, pk, perm=Perm.ELECTION_MANAGE)
    elected = elected_for(project, CandidatePost.COMMITTEE)
    choices = sel.incidents_of(request.user, project)
    form = AnnulForm(
        request.POST or None,
        request.FILES or None,
        elected=elected,
        incidents=choices,
        initial={"decided_on": timezone.localdate(), "name": request.GET.get("name", "")},
    )
    done = form_submit(
        request,
        form,
        lambda d: annulment.result_annul(
            actor=request.user, project=project, name=d["name"], decision=_decision(d, choices)
        ),
        success=lambda s: f"已宣布{s.name}当选无效,空缺名额须另行选举",
        then=lambda _: redirect("elections:meeting", pk=project.pk),
    )
    return done or render(
        request, "elections/incidents/annul.html", {"project": project, "elected": elected, "form": form}
    )


@login_required
def sanction_file(request: HttpRequest, pk: int) -> FileResponse:
    sanction = access.sanction_for(request.user, pk)
    if not sanction.file:
        raise Http404("没有上传决定文件")
    return FileResponse(sanction.file.open("rb"), as_attachment=True, filename=sanction.original_name)
