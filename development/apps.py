from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "development"
    verbose_name = "党员发展"

    def ready(self) -> None:
        from development.events import development_people
        from development.panels import development_panel, probation_panel
        from development.todo import development_todo
        from organizations.navigation import register_menu_item
        from organizations.panels import register_member_panel, register_org_panel
        from organizations.todo import register_todo
        from rectification.events import register_development_source

        # Township and district staff (who keep the roster of many organizations) get the menu entry; a secretary
        # reaches the pipeline from the organization page's panel.
        register_menu_item("党员发展", "development:home", order=47, perm="import_roster")
        register_org_panel("development/_org_panel.html", development_panel)
        register_member_panel("development/_member_panel.html", probation_panel)
        register_todo(development_todo)  # probations ending (organizations.todo)
        register_development_source(development_people)  # rectification's 3/2/1 targets (rectification.events)
