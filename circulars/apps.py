from django.apps import AppConfig


class CircularsConfig(AppConfig):
    name = "circulars"
    verbose_name = "通知公告"

    def ready(self) -> None:
        from circulars.panels import own_panel
        from circulars.todo import circulars_todo
        from organizations.navigation import register_menu_item
        from organizations.panels import register_own_panel
        from organizations.todo import register_todo

        register_menu_item("通知公告", "circulars:home", order=47)
        register_own_panel("circulars/_own_panel.html", own_panel)  # the member's own home (organizations.panels)
        register_todo(circulars_todo)  # the home's to-do panel: 未读通知公告 / 待回复 (organizations.todo)
