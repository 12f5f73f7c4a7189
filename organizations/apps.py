from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_role_permissions(sender: Any, **kwargs: Any) -> None:
    from organizations.services.grants import role_permissions_sync_all

    role_permissions_sync_all()


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = "组织与党员"

    def ready(self) -> None:
        # After auth has created the permission rows (auth's handler is connected first): grants gain new permissions.
        post_migrate.connect(_sync_role_permissions, sender=self)
        from core import access
        from organizations.access import is_district_staff
        from organizations.roles import Perm
        from organizations.scope import can_path

        # The shared pieces (core) ask the tree through core.access: who is district staff, who may see a job.
        access.provide(
            is_district_staff=is_district_staff,
            path_allows=lambda user, perm, path: can_path(user, Perm(perm), path),
        )
        from organizations.navigation import register_menu_item
        from organizations.selectors.reorganization import reorganization_todo
        from organizations.todo import register_todo

        register_todo(reorganization_todo)  # the 请示 waiting for a 批复 (组织设置调整)

        # The menu (organizations.navigation): the tree's pages, and the shell's pages that hang off the tree's scope
        # (core imports no app, so they cannot register themselves).
        register_menu_item("全区概况", "organizations:district_overview", order=10, perm="review_grades", at_root=True)
        register_menu_item("党组织", "organizations:org_list", order=20)
        register_menu_item("导出任务", "core:job_list", order=70, perm="export_roster")
        register_menu_item("操作日志", "core:audit_log", order=80, perm="read_audit")
        register_menu_item("节假日与调休", "core:calendar", order=90, perm="review_grades", at_root=True)
