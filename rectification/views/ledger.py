"""The ledger's forms (problems, measures, projects, development targets), the progress report with evidence from a
phone, and the scoped evidence download (out of scope → 404; files are never served from /media)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from organizations.roles import Perm
from organizations.scope import require
from rectification import access
from rectification.forms import (
    MeasureCreateForm,
    MeasureEditForm,
    ProblemForm,
    ProgressForm,
    ProjectForm,
    TargetForm,
)
from rectification.services import ledger as ledger_services
from rectification.services import progress as progress_services
from rectification.services.ledger import MEASURE_FIELDS, PROBLEM_FIELDS, PROJECT_FIELDS, TARGET_FIELDS
from rectification.views.cases import case_url
from rectification.views.common import form_page, refuse, run_service


def _values(form: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {k: form.cleaned_data[k] for k in names if k in form.cleaned_data}


# --- Problems -------------------------------------------------------------------------------------------------


@login_required
def problem_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.case_get(request.user, pk)
    require(request.user, Perm.MANAGE_CASES, case.organization)
    form = ProblemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        problem = run_service(
            form, lambda: ledger_services.problem_create(actor=request.user, case=case, **_values(form, PROBLEM_FIELDS))
        )
        if problem is not None:
            messages.success(request, "已登记问题;请为它制定整改措施")
            return redirect("rectification:measure_create", pk=problem.pk)
    return form_page(request, title=f"{case.organization.name}:登记查摆问题", form=form, case=case, back=case_url(case))


@login_required
def problem_edit(request: HttpRequest, pk: int) -> HttpResponse:
    problem = access.problem_get(request.user, pk)
    case = problem.case
    require(request.user, Perm.MANAGE_CASES, case.organization)
    form = ProblemForm(request.POST or None, instance=problem)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: ledger_services.problem_update(
                actor=request.user, problem=problem, **_values(form, PROBLEM_FIELDS)
            ),
        )
        if saved is not None:
            messages.success(request, "已修改问题")
            return redirect(case_url(case))
    return form_page(request, title=f"{case.organization.name}:修改问题", form=form, case=case, back=case_url(case))


@login_required
@require_POST
def problem_delete(request: HttpRequest, pk: int) -> HttpResponse:
    problem = access.problem_get(request.user, pk)
    require(request.user, Perm.MANAGE_CASES, problem.case.organization)
    try:
        ledger_services.problem_delete(actor=request.user, problem=problem)
        messages.success(request, "已删除问题及其整改措施")
    except ValidationError as exc:
        refuse(request, exc)
    return redirect(case_url(problem.case))


# --- Measures -------------------------------------------------------------------------------------------------


@login_required
def measure_create(request: HttpRequest, pk: int) -> HttpResponse:
    problem = access.problem_get(request.user, pk)
    case = problem.case
    require(request.user, Perm.MANAGE_CASES, case.organization)
    form = MeasureCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        measure = run_service(
            form,
            lambda: ledger_services.measure_create(
                actor=request.user,
                problem=problem,
                text=d["text"],
                responsible=d["responsible"],
                deadline=d["deadline"],
                budget=d["budget"],
            ),
        )
        if measure is not None:
            messages.success(request, f"已制定整改措施(责任人{measure.responsible},{measure.deadline}前完成)")
            return redirect(case_url(case))
    return form_page(
        request,
        title=f"{case.organization.name}:制定整改措施",
        intro=f"问题:{problem.description}",
        form=form,
        case=case,
        back=case_url(case),
    )


@login_required
def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measure = access.measure_get(request.user, pk)
    case = measure.problem.case
    require(request.user, Perm.MANAGE_CASES, case.organization)
    form = MeasureEditForm(request.POST or None, instance=measure)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: ledger_services.measure_update(
                actor=request.user, measure=measure, **_values(form, MEASURE_FIELDS)
            ),
        )
        if saved is not None:
            messages.success(request, "已修改整改措施")
            return redirect(case_url(case))
    return form_page(request, title=f"{case.organization.name}:修改整改措施", form=form, case=case, back=case_url(case))


@login_required
@require_POST
def measure_delete(request: HttpRequest, pk: int) -> HttpResponse:
    measure = access.measure_get(request.user, pk)
    case = measure.problem.case
    require(request.user, Perm.MANAGE_CASES, case.organization)
    try:
        ledger_services.measure_delete(actor=request.user, measure=measure)
        messages.success(request, "已删除整改措施")
    except ValidationError as exc:
        refuse(request, exc)
    return redirect(case_url(case))


# --- Projects -------------------------------------------------------------------------------------------------


@login_required
def project_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.case_get(request.user, pk)
    require(request.user, Perm.MANAGE_CASES, case.organization)
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def create() -> Any:
            project = ledger_services.project_create(
                actor=request.user,
                case=case,
                name=d["name"],
                investment=d["investment"],
                planned_completion=d["planned_completion"],
            )
            extra = {k: d[k] for k in ("percent", "completed", "completed_on") if d.get(k)}
            return ledger_services.project_update(actor=request.user, project=project, **extra) if extra else project

        if run_service(form, create) is not None:
            messages.success(request, "已登记整顿项目")
            return redirect(case_url(case))
    return form_page(request, title=f"{case.organization.name}:登记整顿项目", form=form, case=case, back=case_url(case))


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.project_get(request.user, pk)
    case = project.case
    require(request.user, Perm.MANAGE_CASES, case.organization)
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: ledger_services.project_update(
                actor=request.user, project=project, **_values(form, PROJECT_FIELDS)
            ),
        )
        if saved is not None:
            messages.success(request, "已修改整顿项目")
            return redirect(case_url(case))
    return form_page(request, title=f"{case.organization.name}:修改整顿项目", form=form, case=case, back=case_url(case))


@login_required
@require_POST
def project_delete(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.project_get(request.user, pk)
    require(request.user, Perm.MANAGE_CASES, project.case.organization)
    try:
        ledger_services.project_delete(actor=request.user, project=project)
        messages.success(request, "已删除整顿项目")
    except ValidationError as exc:
        refuse(request, exc)
    return redirect(case_url(project.case))


# --- Development targets ----------------------------------------------------------------------------------------


@login_required
def target_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.case_get(request.user, pk)
    require(request.user, Perm.MANAGE_CASES, case.organization)
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form, lambda: ledger_services.target_create(actor=request.user, case=case, **_values(form, TARGET_FIELDS))
        )
        if saved is not None:
            messages.success(request, f"已登记{saved}")
            return redirect(case_url(case))
    return form_page(
        request, title=f"{case.organization.name}:登记党员发展培养对象", form=form, case=case, back=case_url(case)
    )


@login_required
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = access.target_get(request.user, pk)
    case = target.case
    require(request.user, Perm.MANAGE_CASES, case.organization)
    form = TargetForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: ledger_services.target_update(actor=request.user, target=target, **_values(form, TARGET_FIELDS)),
        )
        if saved is not None:
            messages.success(request, "已修改培养对象")
            return redirect(case_url(case))
    return form_page(request, title=f"{case.organization.name}:修改培养对象", form=form, case=case, back=case_url(case))


@login_required
@require_POST
def target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    target = access.target_get(request.user, pk)
    require(request.user, Perm.MANAGE_CASES, target.case.organization)
    try:
        ledger_services.target_delete(actor=request.user, target=target)
        messages.success(request, "已删除培养对象")
    except ValidationError as exc:
        refuse(request, exc)
    return redirect(case_url(target.case))


# --- Progress and evidence -----------------------------------------------------------------------------------------


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The branch secretary's phone form: a note, a measure's new percent and a photo or PDF, in one step.

    The file is checked when the form validates, before anything is saved: a refused file stores nothing."""
    case = access.case_get(request.user, pk)
    require(request.user, Perm.REPORT_PROGRESS, case.organization)
    initial = {}
    if request.GET.get("measure", "").isdigit():
        initial["measure"] = int(request.GET["measure"])
    form = ProgressForm(request.POST or None, request.FILES or None, case=case, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data

            @transaction.atomic
            def save() -> Any:
                note = progress_services.progress_note_add(
                    actor=request.user, case=case, text=d["text"], measure=d["measure"], percent=d["percent"]
                )
                if d["file"]:
                    progress_services.evidence_upload(
                        actor=request.user,
                        case=case,
                        upload=d["file"],
                        measure=d["measure"],
                        description=d["description"],
                    )
                return note

            if run_service(form, save) is not None:
                messages.success(request, "已报告进展" + ("并上传佐证材料" if d["file"] else ""))
                return redirect(case_url(case))
        status = 400
    return render(
        request,
        "rectification/report.html",
        {"case": case, "org": case.organization, "form": form, "recent": case.notes.select_related("author")[:5]},
        status=status,
    )


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = access.evidence_get(request.user, pk)
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("文件不存在") from None
    inline = evidence.content_type.startswith("image/") or evidence.content_type == "application/pdf"
    response = FileResponse(
        handle, as_attachment=not inline, filename=evidence.original_name, content_type=evidence.content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
