from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = "运行维护"

    def ready(self) -> None:
        from ops import tasks  # noqa: F401  (the heartbeat and backup tasks, with their beat entries)
        from organizations.navigation import register_menu_item

        register_menu_item("系统状态", "ops:system", order=95, perm="review_grades", at_root=True)
        from ops.services.logs import connect_celery_signals

        connect_celery_signals()
