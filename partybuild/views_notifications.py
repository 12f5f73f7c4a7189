"""Everyone's notifications: the list, mark one read (and follow its link), mark all read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from core import notifications
from organizations.access import is_viewer_only

PER_PAGE = 30


@login_required
@require_http_methods(["GET", "POST"])
def notification_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        notifications.notifications_mark_all_read(user=request.user)
        return redirect("core:notifications")
    page = Paginator(notifications.notification_list(request.user), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "unread": notifications.unread_count(request.user),
        "read_only": is_viewer_only(request.user),
    }
    return render(request, "partybuild/notifications.html", context)


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = notifications.notification_get(request.user, pk)
    notifications.notification_mark_read(user=request.user, notification=notification)
    target = notification.url
    if (
        request.POST.get("open")
        and target
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return redirect(target)
    return redirect("core:notifications")
