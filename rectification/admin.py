"""Admin: everything visible; history (categories, acceptances, notes, evidence, supervision) never editable, and
a case's phase and dates never editable here: they change only through the services, beside their audit event."""

from __future__ import annotations

from django.contrib import admin

from organizations.admin import ReadOnlyAdmin
from rectification.models import (
    Acceptance,
    AcceptanceIssue,
    Case,
    CategoryAssignment,
    DevelopmentTarget,
    Evidence,
    GradeApplication,
    Helper,
    Liaison,
    Measure,
    Pairing,
    Problem,
    ProgressNote,
    Project,
    Showcase,
    SupervisionVisit,
    WorkGroupMember,
)


@admin.register(CategoryAssignment)
class CategoryAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("organization", "year", "category", "since", "source", "grade", "set_by", "created_at")
    list_filter = ("year", "category", "source")
    search_fields = ("organization__name", "organization__code")


@admin.register(GradeApplication)
class GradeApplicationAdmin(ReadOnlyAdmin):
    list_display = ("assessment", "grade", "finalized_at", "applied_at")


@admin.register(Showcase)
class ShowcaseAdmin(ReadOnlyAdmin):
    list_display = ("organization", "year", "designated_by", "designated_at")
    list_filter = ("year",)


@admin.register(Liaison)
class LiaisonAdmin(ReadOnlyAdmin):
    list_display = ("organization", "person_name", "kind", "since", "until", "user")
    list_filter = ("kind",)
    search_fields = ("person_name", "organization__name")


@admin.register(Pairing)
class PairingAdmin(ReadOnlyAdmin):
    list_display = ("lagging", "red_flag", "since", "until")


@admin.register(Helper)
class HelperAdmin(ReadOnlyAdmin):
    list_display = ("organization", "person_name", "since", "until")


class WorkGroupInline(admin.TabularInline):
    model = WorkGroupMember
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("organization", "year", "category", "source", "phase", "opened_on", "closed_on")
    list_filter = ("phase", "category", "source", "year")
    search_fields = ("organization__name", "organization__code")
    inlines = [WorkGroupInline]


@admin.register(Problem)
class ProblemAdmin(ReadOnlyAdmin):
    list_display = ("case", "category", "source", "description")
    list_filter = ("category", "source")


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    list_display = ("problem", "text", "responsible", "deadline", "status", "percent", "budget", "spent")
    list_filter = ("status",)


@admin.register(ProgressNote)
class ProgressNoteAdmin(ReadOnlyAdmin):
    list_display = ("case", "measure", "author", "at")


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("case", "original_name", "content_type", "size", "uploaded_by", "at")
    # The stored name is random on purpose; show the original for people, never link the raw file from here.
    exclude = ("file",)


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ("case", "name", "investment", "percent", "completed", "completed_on")


@admin.register(DevelopmentTarget)
class DevelopmentTargetAdmin(ReadOnlyAdmin):
    list_display = ("case", "kind", "person_name", "birth_date", "education", "since")
    list_filter = ("kind",)


class AcceptanceIssueInline(admin.TabularInline):
    model = AcceptanceIssue
    extra = 0
    can_delete = False
    fields = ("text", "deadline", "measure")

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Acceptance)
class AcceptanceAdmin(ReadOnlyAdmin):
    list_display = ("case", "held_on", "representatives_total", "satisfied", "basically_satisfied", "passed")
    list_filter = ("passed",)
    inlines = [AcceptanceIssueInline]


@admin.register(SupervisionVisit)
class SupervisionVisitAdmin(ReadOnlyAdmin):
    list_display = ("organization", "case", "level", "visited_on", "by")
    list_filter = ("level",)
