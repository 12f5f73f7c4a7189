"""The district edits a year's 32-step template (issue 5 item 2). District only: anyone else gets 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.edits import add_version, form_submit
from elections import access
from elections.forms import StepTemplateForm
from elections.selectors.templates import step_templates_of
from elections.services import step_templates
from elections.services.steps import default_steps


@login_required
def year_templates(request: HttpRequest, year: int) -> HttpResponse:
    templates = step_templates_of(request.user, year)
    return render(
        request,
        "elections/step_templates.html",
        {
            "year": year,
            "templates": templates,
            "defaults": default_steps() if not templates else (),
            "in_use": step_templates.year_in_use(year),
            "this_year": timezone.localdate().year,
        },
    )


@login_required
@require_POST
def year_templates_create(request: HttpRequest, year: int) -> HttpResponse:
    step_templates_of(request.user, year)
    try:
        step_templates.step_templates_create(actor=request.user, year=year)
        messages.success(request, f"已生成{year}年换届环节模板")
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("elections:step_templates", year=year)


@login_required
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = access.step_template_for(request.user, pk)
    initial = {
        "phase": template.phase,
        "title": template.title,
        "owner": template.owner,
        "required_documents": template.required_documents,
        "due_offset_days": template.due_offset_days,
        "description": template.description,
    }
    # The page carries the template's version: a save from an older page is refused (issue 12 §4).
    form = add_version(StepTemplateForm(request.POST or None, initial=initial), template)
    saved = form_submit(
        request,
        form,
        lambda data: step_templates.step_template_update(actor=request.user, template=template, **data),
        success=f"已保存第{template.number}步",
        then=lambda _: redirect("elections:step_templates", year=template.year),
    )
    if saved is not None:
        return saved
    return render(
        request,
        "elections/step_template_edit.html",
        {"template": template, "form": form, "in_use": step_templates.year_in_use(template.year)},
    )
