"""What the rectification views share: the generic form page, the one-click actions (a POST, a service, a message)
and the file responses. Form pages write through ``core.edits.form_submit``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header


def case_url(case: Any) -> str:
    return reverse("rectification:case_detail", args=[case.pk])


def org_url(org_pk: int) -> str:
    return reverse("rectification:org_page", args=[org_pk])


def act(request: HttpRequest, call: Callable[[], Any], success: str | Callable[[Any], str]) -> None:
    """A one-click action (a POST without a form): run the service, then a success message (``success`` may read
    the service's result); its refusal becomes an error message instead."""
    try:
        result = call()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success(result) if callable(success) else success)


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


def stored_file(file: Any, name: str, content_type: str) -> FileResponse:
    """A stored upload (evidence, a written report), never from /media: photos and PDFs shown, the rest downloaded."""
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("文件不存在") from None
    inline = content_type.startswith("image/") or content_type == "application/pdf"
    response = FileResponse(handle, as_attachment=not inline, filename=name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def download(result: tuple[str, bytes], content_type: str) -> HttpResponse:
    """A generated document (filename, content) as an attachment."""
    filename, content = result
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response
