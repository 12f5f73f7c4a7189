from django.apps import AppConfig


class PartybuildConfig(AppConfig):
    name = "partybuild"
    verbose_name = "平台基础"

    def ready(self) -> None:
        from partybuild import (
            audit,  # noqa: F401  (connects the login/logout receivers)
            tasks,  # noqa: F401  (registers the job task that partybuild.jobs sends by name)
        )
