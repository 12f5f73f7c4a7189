"""Views of the shared infrastructure: the home redirect and the audit log."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from organizations.access import own_member
from organizations.panels import own_panels_for
from organizations.roles import Perm, Role
from organizations.scope import scope_paths
from organizations.selectors import event_search, home_grant


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on its own home: district overview, township list, or the secretary's organization."""
    grant = home_grant(request.user)
    if grant is None:
        member = own_member(request.user)
        if member is not None:  # a member's own account (我的): their record and the apps' parts, nothing of others
            return render(
                request,
                "partybuild/member_home.html",
                {"member": member, "panels": own_panels_for(request.user, member)},
            )
        return render(request, "partybuild/no_role.html", status=200)
    role, org = grant
    if role == Role.DISTRICT_STAFF:
        return redirect(reverse("organizations:district_overview"))
    if role in {Role.TOWNSHIP_STAFF, Role.VIEWER}:
        return redirect(reverse("organizations:township", args=[org.pk]))
    if role == Role.LIAISON_LEADER:
        return redirect(reverse("organizations:org_list"))
    return redirect(reverse("organizations:org_detail", args=[org.pk]))


@login_required
@require_GET  # the log is read-only: no method of this URL writes
def audit_log(request: HttpRequest) -> HttpResponse:
    if not scope_paths(request.user, Perm.READ_AUDIT):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("您没有查阅操作日志的权限")
    text = request.GET.get("q", "").strip()
    verb = request.GET.get("verb", "").strip()
    page = Paginator(event_search(request.user, text=text, verb=verb), 50).get_page(request.GET.get("page"))
    verbs = [
        ("auth.", "登录与退出"),
        ("organization.", "组织设置"),
        ("member.", "党员"),
        ("role.", "角色"),
        ("position.", "班子职务"),
        ("term.", "届次"),
        ("import.", "导入"),
        ("roster.", "导出"),
    ]
    return render(request, "partybuild/audit_log.html", {"page": page, "q": text, "verb": verb, "verbs": verbs})
