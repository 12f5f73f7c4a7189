"""Roles: granting and revoking them at an organization."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.edits import form_submit
from core.names import account_label
from organizations import access
from organizations.forms import (
    GrantRoleForm,
)
from organizations.roles import Perm
from organizations.selectors import accounts as account_selectors
from organizations.services import grants as grants_services

# --- Roles -----------------------------------------------------------------------------------------------


# Grants listed per page: the district's root holds one per account of the district (5,000 at 5,000 organizations).
ROLES_PER_PAGE = 100


@login_required
def roles(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.organization_for(request.user, pk, perm=Perm.GRANT_ROLES)
    query = request.GET.get("q", "").strip()[:50]
    form = GrantRoleForm(request.POST or None, roles=access.grantable_roles(request.user, org))
    done = form_submit(
        request,
        form,
        lambda d: grants_services.role_grant_by_username(
            actor=request.user,
            organization=org,
            username=d["username"],
            role=d["role"],
            full_name=d["full_name"],
            password=d["password"],
        ),
        success=lambda user: f"已授予{account_label(user)}角色",
        then=lambda _: redirect("organizations:roles", pk=org.pk),
    )
    return done or render(
        request,
        "organizations/roles.html",
        {
            "org": org,
            "form": form,
            "assignments": Paginator(
                account_selectors.role_assignments_under(request.user, org, q=query), ROLES_PER_PAGE
            ).get_page(request.GET.get("page")),
            "q": query,
        },
    )


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access.role_assignment_for(request.user, pk, perm=Perm.GRANT_ROLES)
    grants_services.role_revoke(actor=request.user, assignment=assignment)
    messages.success(request, "角色已撤销")
    return redirect("organizations:roles", pk=assignment.organization_id)
