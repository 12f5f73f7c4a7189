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
        from core.provisional import register
        from elections.services.notices import recompute_provisional

        register("elections.notice_end", recompute_provisional)  # D3: 暂定 notice ends when a year is entered
        register_todo(elections_todo)  # the home's to-do panel (organizations.todo)
        from organizations.navigation import register_menu_item, register_page_link  # menu and page buttons

        register_page_link("township", "换届选举", "elections:board", order=40)
        register_menu_item("换届选举", "elections:overview", order=50)
        # 第五篇 六: incidents reported to the county (the township's and the district's list)
        register_menu_item("换届事件和舆情", "elections:incidents", order=55, perm="election_manage")
        register_menu_item(
            "换届环节模板", "elections:step_templates", order=60, perm="election_county", at_root=True, this_year=True
        )
