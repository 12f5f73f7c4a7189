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
