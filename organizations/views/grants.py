"""Roles: granting and revoking them at an organization."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.edits import form_submit
from core.names import account_label
from organizations import access, selectors
from organizations.forms import (
    GrantRoleForm,
)
from organizations.roles import Perm
from organizations.services import grants as grants_services

# --- Roles -----------------------------------------------------------------------------------------------


@login_required
def roles(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.organization_for(request.user, pk, perm=Perm.GRANT_ROLES)
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
            "assignments": selectors.role_assignments_under(request.user, org),
        },
    )


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access.role_assignment_for(request.user, pk, perm=Perm.GRANT_ROLES)
    grants_services.role_revoke(actor=request.user, assignment=assignment)
    messages.success(request, "角色已撤销")
    return redirect("organizations:roles", pk=assignment.organization_id)
