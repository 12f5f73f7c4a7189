from django.apps import AppConfig


class GradingConfig(AppConfig):
    name = "grading"
    verbose_name = "分类定级"
