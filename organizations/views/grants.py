"""Roles: granting and revoking them at an organization."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from organizations import selectors
from organizations.forms import (
    GrantRoleForm,
)
from organizations.models import Organization, RoleAssignment
from organizations.roles import Perm
from organizations.scope import can, get_visible_or_404
from organizations.services import grants as grants_services
from partybuild.edits import add_service_errors
from partybuild.names import account_label


def _form_error(form: Any, exc: ValidationError) -> None:
    add_service_errors(form, exc)


def _member_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The member's own fields of MemberForm's data (without the version the page was loaded with)."""
    return {k: v for k, v in data.items() if k != "expected_updated_at"}


def _perms(user: Any, org: Organization) -> dict[str, bool]:
    """Which actions the page offers (no dead buttons: only what the user may do)."""
    return {p.name.lower(): can(user, p, org) for p in Perm}


def _org_url(org: Organization) -> Any:
    return redirect("organizations:org_detail", pk=org.pk)


# --- Roles -----------------------------------------------------------------------------------------------


@login_required
def roles(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organization_get(request.user, pk, perm=Perm.GRANT_ROLES)
    grantable = grants_services.grantable_roles(request.user, org)
    if not grantable:
        raise PermissionDenied("您不能在此授予角色")
    form = GrantRoleForm(request.POST or None, roles=grantable)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = get_user_model().objects.filter(username=data["username"].strip()).first()
            if user is None:
                user = grants_services.account_create(
                    actor=request.user,
                    username=data["username"].strip(),
                    full_name=data["full_name"],
                    password=data["password"],
                    organization=org,
                )
            grants_services.role_grant(actor=request.user, user=user, organization=org, role=data["role"])
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"已授予{account_label(user)}角色")
            return redirect("organizations:roles", pk=org.pk)
    return render(
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
    assignment = get_visible_or_404(
        RoleAssignment.objects.select_related("organization", "user"),
        request.user,
        path_field="organization__path",
        pk=pk,
        revoked_at__isnull=True,
    )
    selectors.organization_get(request.user, assignment.organization_id, perm=Perm.GRANT_ROLES)
    grants_services.role_revoke(actor=request.user, assignment=assignment)
    messages.success(request, "角色已撤销")
    return redirect("organizations:roles", pk=assignment.organization_id)
