from django.apps import AppConfig


class CircularsConfig(AppConfig):
    name = "circulars"
    verbose_name = "通知公告"

    def ready(self) -> None:
        from circulars.todo import circulars_todo
        from organizations.navigation import register_menu_item
        from organizations.todo import register_todo

        register_menu_item("通知公告", "circulars:home", order=47)
        register_todo(circulars_todo)  # the home's to-do panel: 未读通知公告 / 待回复 (organizations.todo)
