from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "elections"
    verbose_name = "换届选举"

    def ready(self) -> None:
        from elections.selectors.projects import election_panel
        from elections.todo import elections_todo
        from organizations.panels import register_org_panel
        from organizations.todo import register_todo

        register_org_panel("elections/_org_panel.html", election_panel)
        register_todo(elections_todo)  # the home's to-do panel (organizations.todo)
