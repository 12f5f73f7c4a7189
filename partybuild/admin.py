"""Admin for the shared infrastructure: the audit trail (read-only for everyone), jobs, notifications, holidays."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from partybuild.models import CalendarYear, Event, Holiday, Job, Notification


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The audit trail is written only by ``partybuild.audit.record``: nobody, not even a superuser, edits it."""

    list_display = ("at", "actor_name", "ip", "verb", "summary", "target_label", "org_path")
    list_filter = ("verb",)
    search_fields = ("actor_name", "summary", "target_label", "verb")
    date_hierarchy = "at"
    list_select_related = ("actor",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "status", "progress", "created_by", "created_at", "finished_at")
    list_filter = ("status", "kind")
    search_fields = ("title", "kind")
    list_select_related = ("created_by",)
    readonly_fields = ("created_at", "started_at", "finished_at")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "created_at", "read_at")
    search_fields = ("title", "recipient__username")
    list_select_related = ("recipient",)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "source", "entered_by", "entered_at")


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "is_workday")
    list_filter = ("is_workday",)
    date_hierarchy = "date"
