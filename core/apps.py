from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared base every app imports (audit, jobs, documents, working days and the calendar, notifications,
    uploads, the form flow). Its label stays ``partybuild`` (where these pieces lived before issue 13): the tables,
    migrations, content types and permissions keep their names, so an existing database needs no change."""

    name = "core"
    label = "partybuild"
    verbose_name = "平台基础"

    def ready(self) -> None:
        from django.apps import apps

        from core import (
            audit,  # noqa: F401  (connects the login/logout receivers)
            sessions,  # noqa: F401  (stamps a new session as refreshed at login)
            tasks,  # noqa: F401  (registers the job task that core.jobs sends by name)
        )

        # Third-party sections of the admin whose app names are not translatable: name them in Chinese.
        for label, words in {"axes": "登录保护"}.items():
            if apps.is_installed(label) or label in apps.app_configs:
                apps.get_app_config(label).verbose_name = words
