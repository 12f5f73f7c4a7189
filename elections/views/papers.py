"""The election papers (请示, 报告 and 批复 of steps 8, 18 and 27): a page listing them per step, the PDF download
(audited) and "generate and attach to the step". Thin: in through ``elections.access`` (out of scope 404),
writes through ``elections.services.step_documents`` (not allowed 403, a refusal comes back as a message)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from core.documents import PDF_CONTENT_TYPE
from elections import access
from elections.documents import papers
from elections.selectors import projects as sel
from elections.services.step_documents import step_document_generate


@login_required
@require_GET
def papers_page(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.project_for(request.user, pk)
    steps = {s.template.number: s for s in sel.steps_of(request.user, project, papers.papers_by_step())}
    rows = []
    for number, items in papers.papers_by_step().items():
        step = steps.get(number)
        if step is None:
            continue
        attached = {d.kind: d for d in step.documents.all()}
        may_attach = step.done_on is None and access.may_attach(request.user, step)
        rows.append(
            {
                "step": step,
                "papers": [
                    {
                        "paper": p,
                        "title": papers.title_of(project, p),
                        "attached": attached.get(p.kind),
                        "may_attach": may_attach and p.kind in step.template.required_documents,
                    }
                    for p in items
                ],
            }
        )
    return render(request, "elections/documents/papers.html", {"project": project, "rows": rows})


@login_required
@require_GET
def paper_pdf(request: HttpRequest, pk: int, paper: str) -> HttpResponse:
    project = access.project_for(request.user, pk)
    found = papers.BY_SLUG.get(paper)
    if found is None:
        raise Http404("没有该文书")
    filename, content = papers.paper_pdf(actor=request.user, project=project, paper=found)
    response = HttpResponse(content, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def step_generate(request: HttpRequest, pk: int) -> HttpResponse:
    step = access.step_for(request.user, pk)
    try:
        document = step_document_generate(actor=request.user, step=step, kind=request.POST.get("kind", ""))
        messages.success(request, f"已生成并作为第{step.template.number}步的{document.get_kind_display()}材料")
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("elections:papers", pk=step.project_id)
