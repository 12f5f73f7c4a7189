from django.apps import AppConfig


class ScaleConfig(AppConfig):
    """City-sized data and the tools that measure the product at that size (issue 6). Imports every app; nothing
    imports it, so the one-way imports between the apps stay as they are."""

    name = "scale"
    verbose_name = "规模测试数据"
