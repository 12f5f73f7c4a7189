"""The district edits a year's 32-step template (issue 5 item 2). District only: anyone else gets 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from elections.forms import StepTemplateForm
from elections.selectors.templates import step_template_get, step_templates_of
from elections.services import step_templates
from elections.services.steps import default_steps
from partybuild.edits import add_version, run_edit


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
    template = step_template_get(request.user, pk)
    initial = {
        "phase": template.phase,
        "title": template.title,
        "owner": template.owner,
        "required_documents": template.required_documents,
        "due_offset_days": template.due_offset_days,
        "description": template.description,
    }
    # The page carries the template's version: a save from an older page is refused by run_edit (issue 12 §4).
    form = add_version(StepTemplateForm(request.POST or None, initial=initial), template)
    if request.method == "POST" and form.is_valid():
        update = step_templates.step_template_update
        saved = run_edit(form, lambda: (update(actor=request.user, template=template, **form.cleaned_data),))
        if saved is not None:
            messages.success(request, f"已保存第{template.number}步")
            return redirect("elections:step_templates", year=template.year)
    return render(
        request,
        "elections/step_template_edit.html",
        {"template": template, "form": form, "in_use": step_templates.year_in_use(template.year)},
    )
