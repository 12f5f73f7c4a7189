from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "elections"
    verbose_name = "换届选举"

    def ready(self) -> None:
        from elections.selectors import election_panel
        from organizations.panels import register_org_panel

        register_org_panel("elections/_org_panel.html", election_panel)
