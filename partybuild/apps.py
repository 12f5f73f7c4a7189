from django.apps import AppConfig


class PartybuildConfig(AppConfig):
    name = "partybuild"
    verbose_name = "平台基础"

    def ready(self) -> None:
        from django.apps import apps

        from partybuild import (
            audit,  # noqa: F401  (connects the login/logout receivers)
            tasks,  # noqa: F401  (registers the job task that partybuild.jobs sends by name)
        )

        # Third-party sections of the admin whose app names are not translatable: name them in Chinese.
        for label, words in {"axes": "登录保护"}.items():
            if apps.is_installed(label) or label in apps.app_configs:
                apps.get_app_config(label).verbose_name = words
