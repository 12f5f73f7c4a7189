"""Roles granted at an organization, the accounts they go to, and guardian's rows that every check reads."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core import audit
from core.names import account_label
from organizations.access import may_grant
from organizations.models import (
    Organization,
    OrganizationUserObjectPermission,
    RoleAssignment,
)
from organizations.roles import ROLE_PERMISSIONS, Perm, Role
from organizations.scope import forget_grants, require


def _sync_permissions(user: Any, organization: Organization) -> None:
    """Make guardian's rows for (user, organization) equal the union of the active roles held there."""
    wanted: set[str] = set()
    for assignment in RoleAssignment.objects.filter(user=user, organization=organization, revoked_at__isnull=True):
        wanted |= {p.value for p in ROLE_PERMISSIONS[Role(assignment.role)]}
    existing = OrganizationUserObjectPermission.objects.filter(user=user, content_object=organization)
    existing.exclude(permission__codename__in=wanted).delete()
    have = set(existing.values_list("permission__codename", flat=True))
    perms = Permission.objects.filter(content_type__app_label="organizations", codename__in=wanted - have)
    # One INSERT for the missing rows (guardian's assign_perm is a get_or_create per permission: ten round trips).
    OrganizationUserObjectPermission.objects.bulk_create(
        [OrganizationUserObjectPermission(user=user, permission=perm, content_object=organization) for perm in perms],
        ignore_conflicts=True,
    )
    forget_grants(user)


@transaction.atomic
def role_grant(*, actor: Any, user: Any, organization: Organization, role: str) -> RoleAssignment:
    role = Role(role)
    if actor is not None and not may_grant(actor, role, organization):
        raise PermissionDenied(f"您不能在{organization.name}授予“{role.label}”角色")
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user,
        organization=organization,
        role=role,
        revoked_at=None,
        defaults={"granted_by": actor if getattr(actor, "is_authenticated", False) else None},
    )
    _sync_permissions(user, organization)
    if created:
        audit.record(
            actor=actor,
            verb="role.grant",
            summary=f"授予{account_label(user)}“{role.label}”角色({organization.name})",
            target=organization,
            org_path=organization.path,
            after={"user": user.get_username(), "role": role.value},
        )
    return assignment


@transaction.atomic
def role_revoke(*, actor: Any, assignment: RoleAssignment) -> RoleAssignment:
    locked = RoleAssignment.objects.select_for_update().select_related("user", "organization").get(pk=assignment.pk)
    if not may_grant(actor, Role(locked.role), locked.organization):
        raise PermissionDenied("您不能撤销该角色")
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    _sync_permissions(locked.user, locked.organization)
    audit.record(
        actor=actor,
        verb="role.revoke",
        summary=f"撤销{account_label(locked.user)}“{locked.get_role_display()}”角色({locked.organization.name})",
        target=locked.organization,
        org_path=locked.organization.path,
        before={"user": locked.user.get_username(), "role": locked.role},
    )
    return locked


@transaction.atomic
def account_create(*, actor: Any, username: str, full_name: str, password: str, organization: Organization) -> Any:
    """Create a login account for a person about to be granted a role at ``organization``."""
    from django.contrib.auth import get_user_model

    require(actor, Perm.GRANT_ROLES, organization)
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise ValidationError("该账号已存在")
    user = user_model(username=username, first_name=full_name[:150])
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(
        actor=actor,
        verb="account.create",
        summary=f"新建账号{username}({full_name})",
        target=organization,
        org_path=organization.path,
        after={"username": username},
    )
    return user


@transaction.atomic
def role_grant_by_username(
    *, actor: Any, organization: Organization, username: str, role: str, full_name: str = "", password: str = ""
) -> Any:
    """Grant ``role`` at ``organization`` to the account ``username``, creating the account first when there is none
    (the page's one form: an existing colleague or a new person). Returns the account."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username.strip()).first()
    if user is None:
        user = account_create(
            actor=actor, username=username.strip(), full_name=full_name, password=password, organization=organization
        )
    role_grant(actor=actor, user=user, organization=organization, role=role)
    return user


def role_permissions_sync_all() -> int:
    """Bring every grant's guardian rows in line with ROLE_PERMISSIONS (after the table gains a permission).

    Runs after every ``migrate`` (post_migrate), so a deployment never needs a manual step. Returns the number of rows
    added or removed.
    """
    wanted: dict[tuple[int, int], set[str]] = {}
    for user_id, org_id, role in RoleAssignment.objects.filter(revoked_at__isnull=True).values_list(
        "user_id", "organization_id", "role"
    ):
        wanted.setdefault((user_id, org_id), set()).update(p.value for p in ROLE_PERMISSIONS[Role(role)])
    perms = dict(
        Permission.objects.filter(
            content_type__app_label="organizations", content_type__model="organization"
        ).values_list("codename", "pk")
    )
    have: dict[tuple[int, int], dict[str, int]] = {}
    for row_id, user_id, org_id, codename in OrganizationUserObjectPermission.objects.values_list(
        "pk", "user_id", "content_object_id", "permission__codename"
    ):
        have.setdefault((user_id, org_id), {})[codename] = row_id
    stale = [
        row_id
        for key, rows in have.items()
        for codename, row_id in rows.items()
        if codename not in wanted.get(key, set())
    ]
    missing = [
        OrganizationUserObjectPermission(user_id=user_id, content_object_id=org_id, permission_id=perms[codename])
        for (user_id, org_id), codenames in wanted.items()
        for codename in codenames
        if codename in perms and codename not in have.get((user_id, org_id), {})
    ]
    with transaction.atomic():
        OrganizationUserObjectPermission.objects.filter(pk__in=stale).delete()
        OrganizationUserObjectPermission.objects.bulk_create(missing, batch_size=1000)
    return len(stale) + len(missing)
