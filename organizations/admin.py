"""Admin for the tree and the roster: the back office for the district's administrators.

Organizations: the treebeard tree admin (a node's path comes only from treebeard's own moves) with export; the
tree is imported through the organization page, whose import creates nodes with ``add_child``. Members: import and
export with the same Chinese columns as the app. History and role grants are read-only here: a grant goes through
``organizations.services.grants.role_grant``, which also writes the guardian permissions and the audit event.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from import_export.admin import ExportMixin, ImportExportModelAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from core.documents import WorkbookRefused
from organizations.models import (
    CommitteeTerm,
    Member,
    MemberTransfer,
    Organization,
    OrgChange,
    Position,
    RoleAssignment,
)
from organizations.resources.columns import ADMIN_IMPORT_FORMATS, MemberResource, OrganizationResource


class ReadOnlyAdmin(admin.ModelAdmin):
    """Visible, never written from the admin: these rows are written by services beside their change."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organization)
class OrganizationAdmin(ExportMixin, TreeAdmin):
    form = movenodeform_factory(Organization, exclude=("path", "depth", "numchild"))
    resource_classes = [OrganizationResource]
    list_display = ("name", "code", "kind", "field", "units_covered", "is_graded", "dissolved_on")
    list_filter = ("kind", "field", "is_graded")
    search_fields = ("code", "name")
    readonly_fields = ("updated_at",)


@admin.register(Member)
class MemberAdmin(ImportExportModelAdmin):
    resource_classes = [MemberResource]
    import_formats = ADMIN_IMPORT_FORMATS  # uploaded workbooks through the bounded reader (issue 12 §2)
    list_display = ("name", "organization", "gender", "status", "masked_id", "is_migrant", "left_on")
    list_filter = ("status", "gender", "education", "is_migrant")
    search_fields = ("name", "id_number", "organization__code", "organization__name")
    list_select_related = ("organization",)
    autocomplete_fields = ("organization",)
    readonly_fields = ("user", "created_at", "updated_at")  # 党员账号: opened and stopped from the member's page

    def add_data_read_fail_error_to_form(self, form: Any, e: Exception) -> None:
        if isinstance(e, WorkbookRefused):  # the bounded reader says in Chinese why the file is refused
            form.add_error("import_file", str(e))
            return
        super().add_data_read_fail_error_to_form(form, e)

    @admin.display(description="身份证号")
    def masked_id(self, obj: Member) -> str:
        return obj.masked_id_number

    def get_export_queryset(self, request: HttpRequest) -> Any:
        return super().get_export_queryset(request).select_related("organization")


@admin.register(CommitteeTerm)
class CommitteeTermAdmin(admin.ModelAdmin):
    list_display = ("organization", "elected_on", "ends_on", "seats")
    list_select_related = ("organization",)
    search_fields = ("organization__code", "organization__name")
    autocomplete_fields = ("organization",)
    date_hierarchy = "ends_on"


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ("organization", "member", "post", "started_on", "ended_on")
    list_filter = ("post",)
    list_select_related = ("organization", "member")
    search_fields = ("organization__code", "organization__name", "member__name")
    autocomplete_fields = ("organization", "member")
    raw_id_fields = ("term",)


@admin.register(OrgChange)
class OrgChangeAdmin(ReadOnlyAdmin):
    list_display = ("organization", "kind", "old_name", "new_name", "effective_on", "actor", "recorded_at")
    list_filter = ("kind",)
    list_select_related = ("organization", "actor")
    search_fields = ("organization__code", "organization__name", "old_name", "new_name")


@admin.register(MemberTransfer)
class MemberTransferAdmin(ReadOnlyAdmin):
    list_display = ("member", "from_org", "to_org", "moved_on", "reason", "actor")
    list_select_related = ("member", "from_org", "to_org", "actor")
    search_fields = ("member__name", "from_org__name", "to_org__name")


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("user", "role", "organization", "granted_by", "granted_at", "revoked_at")
    list_filter = ("role",)
    list_select_related = ("user", "organization", "granted_by")
    search_fields = ("user__username", "organization__code", "organization__name")
