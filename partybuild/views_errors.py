"""Our own Chinese error pages (400, 403, 404, 500, and a refused CSRF check), each with a way back.

The 400, 404 and 500 pages render without the request: no context processor, no database, no session, so they
still work when the database or a middleware is what failed, and a 404 is byte-identical for a missing and an
out-of-scope record. The 403 page keeps the site's menu.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme

_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def back_url(request: HttpRequest | None) -> str:
    """The page the user came from, when it is one of ours and not this very page; "" otherwise."""
    if request is None:
        return ""
    try:
        referer = request.META.get("HTTP_REFERER", "")
        host = request.get_host()
    except Exception:  # noqa: BLE001 - a refused Host header (the 400 page's own cause) leaves no safe way back
        return ""
    if not referer or not url_has_allowed_host_and_scheme(referer, allowed_hosts={host}):
        return ""
    if referer.rstrip("/").endswith(request.path.rstrip("/")) and request.path != "/":
        return ""
    return referer


def reason_for(exception: Any) -> str:
    """The exception's own message only when it was written for the user (in Chinese): Django's are English."""
    text = str(exception or "")
    if isinstance(exception, Exception) and exception.args:
        first = exception.args[0]
        if isinstance(first, dict):  # Http404 raised by Django's resolver carries a dict
            return ""
        text = str(first)
    return text if _CHINESE.search(text) else ""


def _standalone(template: str, request: HttpRequest | None, status: int, **extra: Any) -> HttpResponse:
    body = loader.get_template(template).render(
        {"back_url": back_url(request), "static_url": settings.STATIC_URL, **extra}
    )
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _standalone("400.html", request, 400)


def server_error(request: HttpRequest | None = None) -> HttpResponse:
    return _standalone("500.html", None, 500)


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    body = loader.get_template("403.html").render(
        {"back_url": back_url(request), "reason": reason_for(exception)}, request
    )
    return HttpResponse(body, status=403)


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    # Byte for byte the same whether the record is missing or out of scope (no existence oracle): never the
    # exception's message, and rendered without the request, so no per-response CSRF token differs.
    return _standalone("404.html", request, 404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: usually a page left open past its session, or cookies turned off."""
    body = loader.get_template("403.html").render(
        {
            "back_url": back_url(request),
            "reason": "页面已过期或浏览器未启用 Cookie,无法确认这次提交来自本系统。请返回上一页,刷新后再提交。",
            "csrf": True,
        },
        request,
    )
    return HttpResponse(body, status=403)
