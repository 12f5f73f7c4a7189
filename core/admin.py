"""Admin for the shared infrastructure: the audit trail (read-only for everyone), jobs, notifications, holidays."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from core.models import CalendarYear, Event, Holiday, Job, Notification
from core.names import person_name


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The audit trail is written only by ``core.audit.record``: nobody, not even a superuser, edits it."""

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


# --- Accounts: 姓名 is one field (core.names), kept in User.first_name; last_name is not offered. ---
User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("first_name", "email")}),
        ("权限", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("重要日期", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "first_name", "password1", "password2")}),)
    list_display = ("username", "name", "email", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser")
    search_fields = ("username", "first_name", "last_name", "email")
    ordering = ("username",)

    @admin.display(description="姓名", ordering="first_name")
    def name(self, obj: Any) -> str:
        return person_name(obj) or "—"

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest | None, **kwargs: Any) -> Any:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "first_name" and field is not None:
            field.label = "姓名"
            field.help_text = "姓和名连写,不加空格,如“莫辉峰”。"
        return field


# --- django-axes: its list columns "expiration" and "status" are methods without a translatable title. ---
def _axes_admin() -> None:
    from axes import admin as axes_admin
    from axes.models import AccessAttempt

    if not admin.site.is_registered(AccessAttempt):
        return

    class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
        @admin.display(description="过期时间")
        def expiration(self, obj: Any) -> Any:
            return super().expiration(obj)

        @admin.display(description="状态")
        def status(self, obj: Any) -> str:
            from django.conf import settings

            left = settings.AXES_FAILURE_LIMIT - obj.failures_since_start
            return f"还可尝试{left}次" if left > 0 else "已锁定"

    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, AccessAttemptAdmin)


_axes_admin()
