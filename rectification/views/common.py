"""What the rectification views share: the generic form page and turning a service's refusal into form errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from partybuild.edits import run_edit


def run_service(form: forms.BaseForm, call: Callable[[], Any]) -> Any:
    """Call the service through ``partybuild.edits.run_edit``: a save from an older page, the service's
    ValidationError and a unique value taken meanwhile become the form's errors (the typed input stays). None on
    refusal."""
    return run_edit(form, call)


def refuse(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def form_page(
    request: HttpRequest,
    *,
    title: str,
    form: forms.BaseForm,
    back: str,
    case: Any = None,
    org: Any = None,
    intro: str = "",
    submit: str = "保存",
    multipart: bool = False,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "rectification/form.html",
        {
            "title": title,
            "form": form,
            "back": back,
            "case": case,
            "org": org or (case.organization if case is not None else None),
            "intro": intro,
            "submit": submit,
            "multipart": multipart,
        },
        status=status,
    )
