from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "stats"
    verbose_name = "党员统计"

    def ready(self) -> None:
        from organizations.navigation import register_menu_item, register_page_link
        from organizations.panels import register_org_panel
        from stats.panels import stats_panel

        register_menu_item("党员统计", "stats:home", order=25)
        register_page_link("district", "党员统计", "stats:district", order=25)
        register_page_link("township", "党员统计", "stats:org", order=25)
        register_org_panel("stats/_org_panel.html", stats_panel)
