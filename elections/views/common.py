"""What the election pages share: messages from a refusal, a download, reading ids and counts from a form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header

from elections.forms import MAX_COUNT


def show_errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def download(filename: str, content: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# Ids fit a 32-bit key; a longer number is no id (and would overflow the database's integer, a 500).
MAX_ID = 2**31 - 1


def form_id(value: Any, default: int = 0) -> int:
    """An id from a form: anything that is not a plausible id gives ``default`` (then "not found", never a 500)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if 0 <= number <= MAX_ID else default


def form_count(value: Any, label: str, default: int = 0) -> int:
    """A typed count: empty gives ``default``; text, a fraction, a negative or a huge number is refused by name."""
    text = str(value).strip() if value is not None else ""
    if not text:
        return default
    try:
        number = int(text)
    except ValueError:
        raise ValidationError(f"{label}应填写整数(收到“{text[:20]}”)") from None
    if not 0 <= number <= MAX_COUNT:
        raise ValidationError(f"{label}应在0至{MAX_COUNT}之间")
    return number
