"""The ledger's forms (problems, measures, projects, development targets), the progress report with evidence from a
phone, and the scoped evidence download (out of scope → 404; files are never served from /media).

Thin: objects through ``rectification.access`` (MANAGE_CASES for the ledger, REPORT_PROGRESS for the report), writes
through the services with ``core.edits.form_submit``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.edits import form_submit
from organizations.roles import Perm
from rectification import access
from rectification.forms import MeasureCreateForm, MeasureEditForm, ProblemForm, ProgressForm, ProjectForm, TargetForm
from rectification.models import Case
from rectification.selectors import cases as case_selectors
from rectification.services import ledger as ledger_services
from rectification.services import progress as progress_services
from rectification.services.ledger import MEASURE_FIELDS, PROBLEM_FIELDS, PROJECT_FIELDS, TARGET_FIELDS
from rectification.views.common import act, case_url, form_page, stored_file

MANAGE = Perm.MANAGE_CASES


def _values(d: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {k: d[k] for k in names if k in d}


def _ledger_form(
    request: HttpRequest,
    case: Case,
    form: Any,
    action: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    success: str | Callable[[Any], str],
    then: Callable[[Any], HttpResponse] | None = None,
    intro: str = "",
) -> HttpResponse:
    """A ledger form page of ``case``: the service on a valid POST, back to the case (or ``then``)."""
    done = form_submit(request, form, action, success=success, then=then or (lambda _: redirect(case_url(case))))
    return done or form_page(
        request, title=f"{case.organization.name}:{title}", intro=intro, form=form, case=case, back=case_url(case)
    )


# --- Problems -------------------------------------------------------------------------------------------------


@login_required
def problem_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.case_for(request.user, pk, perm=MANAGE)
    return _ledger_form(
        request,
        case,
        ProblemForm(request.POST or None),
        lambda d: ledger_services.problem_create(actor=request.user, case=case, **_values(d, PROBLEM_FIELDS)),
        title="登记查摆问题",
        success="已登记问题;请为它制定整改措施",
        then=lambda problem: redirect("rectification:measure_create", pk=problem.pk),
    )


@login_required
def problem_edit(request: HttpRequest, pk: int) -> HttpResponse:
    problem = access.problem_for(request.user, pk, perm=MANAGE)
    return _ledger_form(
        request,
        problem.case,
        ProblemForm(request.POST or None, instance=problem),
        lambda d: ledger_services.problem_update(actor=request.user, problem=problem, **_values(d, PROBLEM_FIELDS)),
        title="修改问题",
        success="已修改问题",
    )


@login_required
@require_POST
def problem_delete(request: HttpRequest, pk: int) -> HttpResponse:
    problem = access.problem_for(request.user, pk, perm=MANAGE)
    act(request, lambda: ledger_services.problem_delete(actor=request.user, problem=problem), "已删除问题及其整改措施")
    return redirect(case_url(problem.case))


# --- Measures -------------------------------------------------------------------------------------------------


@login_required
def measure_create(request: HttpRequest, pk: int) -> HttpResponse:
    problem = access.problem_for(request.user, pk, perm=MANAGE)
    return _ledger_form(
        request,
        problem.case,
        MeasureCreateForm(request.POST or None),
        lambda d: ledger_services.measure_create(
            actor=request.user,
            problem=problem,
            text=d["text"],
            responsible=d["responsible"],
            deadline=d["deadline"],
            budget=d["budget"],
            tracks=d.get("tracks") or "",
        ),
        title="制定整改措施",
        intro=f"问题:{problem.description}",
        success=lambda measure: f"已制定整改措施(责任人{measure.responsible},{measure.deadline}前完成)",
    )


@login_required
def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measure = access.measure_for(request.user, pk, perm=MANAGE)
    return _ledger_form(
        request,
        measure.problem.case,
        MeasureEditForm(request.POST or None, instance=measure),
        lambda d: ledger_services.measure_update(actor=request.user, measure=measure, **_values(d, MEASURE_FIELDS)),
        title="修改整改措施",
        success="已修改整改措施",
    )


@login_required
@require_POST
def measure_delete(request: HttpRequest, pk: int) -> HttpResponse:
    measure = access.measure_for(request.user, pk, perm=MANAGE)
    act(request, lambda: ledger_services.measure_delete(actor=request.user, measure=measure), "已删除整改措施")
    return redirect(case_url(measure.problem.case))


# --- Projects -------------------------------------------------------------------------------------------------


@login_required
def project_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.case_for(request.user, pk, perm=MANAGE)

    def create(d: dict[str, Any]) -> Any:
        project = ledger_services.project_create(
            actor=request.user,
            case=case,
            name=d["name"],
            investment=d["investment"],
            planned_completion=d["planned_completion"],
        )
        extra = {k: d[k] for k in ("percent", "completed", "completed_on") if d.get(k)}
        return ledger_services.project_update(actor=request.user, project=project, **extra) if extra else project

    return _ledger_form(
        request, case, ProjectForm(request.POST or None), create, title="登记整顿项目", success="已登记整顿项目"
    )


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.project_for(request.user, pk, perm=MANAGE)
    return _ledger_form(
        request,
        project.case,
        ProjectForm(request.POST or None, instance=project),
        lambda d: ledger_services.project_update(actor=request.user, project=project, **_values(d, PROJECT_FIELDS)),
        title="修改整顿项目",
        success="已修改整顿项目",
    )


@login_required
@require_POST
def project_delete(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.project_for(request.user, pk, perm=MANAGE)
    act(request, lambda: ledger_services.project_delete(actor=request.user, project=project), "已删除整顿项目")
    return redirect(case_url(project.case))


# --- Development targets ----------------------------------------------------------------------------------------


@login_required
def target_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.case_for(request.user, pk, perm=MANAGE)
    return _ledger_form(
        request,
        case,
        TargetForm(request.POST or None),
        lambda d: ledger_services.target_create(actor=request.user, case=case, **_values(d, TARGET_FIELDS)),
        title="登记党员发展培养对象",
        success=lambda saved: f"已登记{saved}",
    )


@login_required
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = access.target_for(request.user, pk, perm=MANAGE)
    return _ledger_form(
        request,
        target.case,
        TargetForm(request.POST or None, instance=target),
        lambda d: ledger_services.target_update(actor=request.user, target=target, **_values(d, TARGET_FIELDS)),
        title="修改培养对象",
        success="已修改培养对象",
    )


@login_required
@require_POST
def target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    target = access.target_for(request.user, pk, perm=MANAGE)
    act(request, lambda: ledger_services.target_delete(actor=request.user, target=target), "已删除培养对象")
    return redirect(case_url(target.case))


# --- Progress and evidence -----------------------------------------------------------------------------------------


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The branch secretary's phone form: a note, a measure's new percent and a photo or PDF, in one step.

    The file is checked when the form validates, before anything is saved: a refused file stores nothing."""
    case = access.case_for(request.user, pk, perm=Perm.REPORT_PROGRESS)
    initial = {"measure": int(request.GET["measure"])} if request.GET.get("measure", "").isdigit() else {}
    form = ProgressForm(request.POST or None, request.FILES or None, case=case, initial=initial)

    done = form_submit(
        request,
        form,
        lambda d: progress_services.progress_report(
            actor=request.user,
            case=case,
            text=d["text"],
            measure=d["measure"],
            percent=d["percent"],
            upload=d["file"],
            description=d["description"],
        ),
        success=lambda _: "已报告进展" + ("并上传佐证材料" if form.cleaned_data["file"] else ""),
        then=lambda _: redirect(case_url(case)),
    )
    return done or render(
        request,
        "rectification/report.html",
        {
            "case": case,
            "org": case.organization,
            "form": form,
            "recent": case_selectors.recent_notes(request.user, case),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = access.evidence_for(request.user, pk)
    return stored_file(evidence.file, evidence.original_name, evidence.content_type)
