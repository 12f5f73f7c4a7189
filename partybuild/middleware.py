"""Request-wide middleware: the client address for the audit trail and the content security policy."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from core import sessions
from core.audit import client_ip, current_ip

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


class SessionRefreshMiddleware:
    """The 8-hour idle timeout, with a session write at most every ``SESSION_REFRESH_SECONDS`` (``core.sessions``)
    instead of on every request: a page load in between writes nothing. Placed after the authentication middleware,
    so that it runs before the session middleware saves a modified session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or user is None or not user.is_authenticated or response.status_code >= 500:
            return response
        if session.modified or sessions.refresh_due(session):
            sessions.stamp(session)
        return response


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


# Pages that can show a member's full ID number (the detail page to readers of personal data, the edit form with the
# number filled in, the new-member form after a refused save). Downloads (rosters, exports) are caught by their
# Content-Disposition header instead.
NO_STORE_URL_NAMES = frozenset(
    {"organizations:member_detail", "organizations:member_edit", "organizations:member_create"}
)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on pages and files that may hold full ID numbers, so neither the browser's cache
    nor a proxy keeps a copy (a shared office PC, the back button after logging out)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        personal_page = match is not None and match.view_name in NO_STORE_URL_NAMES
        download = "attachment" in response.headers.get("Content-Disposition", "")
        if personal_page or download:
            from django.utils.cache import add_never_cache_headers, patch_cache_control

            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response
