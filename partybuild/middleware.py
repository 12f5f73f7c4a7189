"""Request-wide middleware: the client address for the audit trail and the content security policy."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from partybuild.audit import client_ip, current_ip

# Everything from our own origin, no inline scripts, no third-party hosts (intranet deployments).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'"
)


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # The admin too: Django 5.2's admin templates carry no inline script or style (checked in a browser by
        # tests/browser/test_admin_csp.py), so it needs no exception.
        response.headers.setdefault("Content-Security-Policy", CSP)
        return response


class ErrorPageMiddleware:
    """With DEBUG on, Django answers an ``Http404`` with its English technical page. A view of ours that raises one
    (missing or out of scope) shows our Chinese page instead, as in production; an address no URL matches still gets
    Django's page, which lists the routes for developers. ``PermissionDenied`` already uses handler403 in both modes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.conf import settings
        from django.http import Http404

        if settings.DEBUG and isinstance(exception, Http404):
            from partybuild.views_errors import page_not_found

            return page_not_found(request, exception)
        return None
