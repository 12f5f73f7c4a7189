from django.apps import AppConfig


class DuesConfig(AppConfig):
    name = "dues"
    verbose_name = "党费收缴"

    def ready(self) -> None:
        from dues.panels import dues_panel
        from organizations.navigation import register_menu_item, register_page_link
        from organizations.panels import register_org_panel

        register_menu_item("党费", "dues:home", order=45)
        register_page_link("district", "党费收缴", "dues:district_board", order=60)
        register_page_link("township", "党费", "dues:township_board", order=60)
        register_org_panel("dues/_org_panel.html", dues_panel)
