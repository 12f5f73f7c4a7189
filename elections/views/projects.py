"""A township's board of projects and a project's page with its 32 steps: marking a step done, uploading and
downloading its documents. Thin: reads through the selectors (out of scope 404), writes through the services (not
allowed 403, a refused rule comes back as a message naming it).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.edits import form_submit
from elections import access
from elections.forms import DateChangeDecisionForm
from elections.models import (
    DocumentKind,
    Phase,
)
from elections.rules.incidents import ANNULLABLE_PHASES
from elections.selectors import incidents as incident_reads
from elections.selectors import projects as sel
from elections.services import date_change as date_change_service
from elections.services import workflow
from elections.services.voters import roll_counts
from elections.views.common import show_errors
from organizations.roles import Perm


@login_required
def township_board(request: HttpRequest, org_pk: int) -> HttpResponse:
    township = access.organization_for(request.user, org_pk)
    today = timezone.localdate()
    rows = sel.board(request.user, township, today)
    # Filters the elections board links to: one phase, or the projects with overdue steps.
    phase = request.GET.get("phase", "")
    phase_label = dict(Phase.choices).get(phase, "")
    if phase_label:
        rows = [r for r in rows if r["project"].status == phase]
    overdue_only = request.GET.get("overdue") == "1"
    if overdue_only:  # running projects with an overdue step (the to-do's line)
        rows = [r for r in rows if r["overdue_steps"] and r["project"].status != Phase.CLOSED]
    return render(
        request,
        "elections/board.html",
        {
            "township": township,
            "rows": rows,
            "phase_label": phase_label,
            "overdue_only": overdue_only,
            "today": today,
            "may_manage": access.may_open_for(request.user, township),
        },
    )


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.project_for(request.user, pk)
    today = timezone.localdate()
    steps = list(sel.steps_of(request.user, project))
    for step in steps:
        step.may_do = access.may_do_step(request.user, step)
        step.overdue = step.is_overdue(today)
        step.missing = workflow.missing_documents(step)
        # the upload form starts on the first kind still missing, so a file is not filed as 请示 by default
        step.next_kind = next(iter(workflow.missing_kinds(step)), "")
    done = sum(1 for s in steps if s.done_on)
    overdue_only = request.GET.get("overdue") == "1"  # the secretary's to-do line: only the overdue steps
    # The step to do now: the first open one of the current phase, else the first open one at all.
    open_steps = [s for s in steps if not s.done_on]
    current = next((s for s in open_steps if s.template.phase == project.status), open_steps[0] if open_steps else None)
    phase_values = [v for v, _ in Phase.choices[:-1]]
    here = phase_values.index(project.status) if project.status in phase_values else len(phase_values)
    return render(
        request,
        "elections/project.html",
        {
            "project": project,
            "steps": steps,
            "current": current,
            "done": done,
            "percent": round(100 * done / len(steps)) if steps else 0,
            "phase_track": [(label, i < here, i == here) for i, (_, label) in enumerate(Phase.choices[:-1])],
            "overdue_count": sum(1 for s in steps if s.overdue),
            "phases": Phase.choices[:-1],
            "phase_groups": _phase_groups(steps, current, overdue_only=overdue_only),
            "overdue_only": overdue_only,
            "document_kinds": DocumentKind.choices,
            "roll": roll_counts(project),
            "date_change": sel.date_change_of(request.user, project),
            "incidents": incident_reads.incidents_of(request.user, project),
            "sanctions": incident_reads.sanctions_of(request.user, project),
            "may_annul": project.status in ANNULLABLE_PHASES,
            "date_change_form": DateChangeDecisionForm(initial={"decided_on": today}),
            **access.actions_for(request.user, project),
        },
    )


@login_required
@require_POST
def date_change_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """A13: the higher body approves or refuses the postponement (advancement) shown on the project page."""
    project = access.project_for(request.user, pk, perm=Perm.ELECTION_MANAGE)
    form = DateChangeDecisionForm(request.POST)
    back = redirect("elections:project", pk=project.pk)
    done = form_submit(
        request,
        form,
        lambda data: date_change_service.date_change_decide(
            actor=request.user,
            project=project,
            approved=data["decision"] == "approve",
            document=data["document"],
            decided_on=data["decided_on"],
            note=data["note"],
        ),
        success=lambda change: f"换届{change.kind}申请{change.get_status_display()}",
        then=lambda change: back,
    )
    if done is None:
        show_errors(request, ValidationError([e for errs in form.errors.values() for e in errs]))
    return done or back


def _phase_groups(steps: list[Any], current: Any, *, overdue_only: bool = False) -> list[dict[str, Any]]:
    """The steps folded by phase for the page (32 rows are ~13,000 px on a phone): each phase with its counts, the
    phase of the step to do now open, the others one tap away. ``overdue_only``: the overdue steps only, all open."""
    groups: list[dict[str, Any]] = []
    for value, label in Phase.choices[:-1]:
        mine = [s for s in steps if s.template.phase == value]
        shown = [s for s in mine if s.overdue] if overdue_only else mine
        if not shown:
            continue
        groups.append(
            {
                "label": label,
                "steps": shown,
                "total": len(mine),
                "done": sum(1 for s in mine if s.done_on),
                "overdue": sum(1 for s in mine if s.overdue),
                "open": overdue_only or (current is not None and current.template.phase == value),
            }
        )
    return groups


@login_required
@require_POST
def step_done(request: HttpRequest, pk: int) -> HttpResponse:
    step = access.step_for(request.user, pk)
    try:
        workflow.step_done(actor=request.user, step=step, note=request.POST.get("note", ""))
        messages.success(request, f"第{step.template.number}步已完成")
    except ValidationError as exc:
        show_errors(request, exc)
    return redirect("elections:project", pk=step.project_id)


@login_required
@require_POST
def step_upload(request: HttpRequest, pk: int) -> HttpResponse:
    step = access.step_for(request.user, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择文件")
    else:
        try:
            workflow.document_upload(actor=request.user, step=step, kind=request.POST.get("kind", ""), upload=upload)
            messages.success(request, "材料已上传")
        except ValidationError as exc:
            show_errors(request, exc)
    return redirect("elections:project", pk=step.project_id)


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = access.document_for(request.user, pk)
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_name)
