"""Roles and permissions, declared once.

A role is held at an organization and covers that organization's whole subtree, never its siblings or
ancestors. Granting a role writes django-guardian object permissions on the organization (one row per
permission in ``ROLE_PERMISSIONS``); every scope check reads those rows back, so there is exactly one
source of truth for "what may this user do where".
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    BRANCH_SECRETARY = "branch_secretary", "支部书记"
    TOWNSHIP_STAFF = "township_staff", "乡镇(街道)组织干事"
    DISTRICT_STAFF = "district_staff", "区委组织部"
    LIAISON_LEADER = "liaison_leader", "挂点联系领导"
    VIEWER = "viewer", "查阅(纪检、督查)"


class Perm(StrEnum):
    """Object-permission codenames on Organization (declared in ``Organization.Meta.permissions``)."""

    VIEW_RECORDS = "view_records"
    VIEW_PERSONAL_DATA = "view_personal_data"
    EDIT_ROSTER = "edit_roster"
    EXPORT_ROSTER = "export_roster"
    IMPORT_ROSTER = "import_roster"
    RESTRUCTURE = "restructure"
    GRANT_ROLES = "grant_roles"
    READ_AUDIT = "read_audit"


PERMISSION_LABELS: dict[Perm, str] = {
    Perm.VIEW_RECORDS: "查看组织、党员和记录",
    Perm.VIEW_PERSONAL_DATA: "查看身份证号和电话",
    Perm.EDIT_ROSTER: "维护党员名册和班子职务",
    Perm.EXPORT_ROSTER: "导出名册",
    Perm.IMPORT_ROSTER: "导入名册",
    Perm.RESTRUCTURE: "调整组织设置",
    Perm.GRANT_ROLES: "授予角色",
    Perm.READ_AUDIT: "查阅操作日志",
}

_ALL = frozenset(Perm)

# The roles × actions table of DESIGN.md. The scope is always the subtree where the role was granted.
ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.BRANCH_SECRETARY: frozenset(
        {Perm.VIEW_RECORDS, Perm.VIEW_PERSONAL_DATA, Perm.EDIT_ROSTER, Perm.EXPORT_ROSTER}
    ),
    Role.TOWNSHIP_STAFF: _ALL,
    Role.DISTRICT_STAFF: _ALL,
    Role.LIAISON_LEADER: frozenset({Perm.VIEW_RECORDS}),
    Role.VIEWER: frozenset({Perm.VIEW_RECORDS, Perm.EXPORT_ROSTER}),
}

# Which roles a holder of GRANT_ROLES may hand out below them: township staff grant branch secretaries in
# their subtree; district staff grant everything.
GRANTABLE_ROLES: dict[Role, frozenset[Role]] = {
    Role.TOWNSHIP_STAFF: frozenset({Role.BRANCH_SECRETARY}),
    Role.DISTRICT_STAFF: frozenset(Role),
}

# Order in which a person's home page is chosen when they hold several roles: the widest view wins.
HOME_PRIORITY: tuple[Role, ...] = (
    Role.DISTRICT_STAFF,
    Role.TOWNSHIP_STAFF,
    Role.VIEWER,
    Role.BRANCH_SECRETARY,
    Role.LIAISON_LEADER,
)
