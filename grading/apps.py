from django.apps import AppConfig


class GradingConfig(AppConfig):
    name = "grading"
    verbose_name = "分类定级"

    def ready(self) -> None:
        from grading.selectors.panel import grading_panel
        from grading.todo import grading_todo, latest_grades
        from organizations.panels import register_org_column, register_org_panel
        from organizations.todo import register_todo

        register_org_panel("grading/_org_panel.html", grading_panel)
        register_org_column("最近定级", latest_grades)  # the liaison's list (organizations.panels)
        register_todo(grading_todo)  # the home's to-do panel (organizations.todo)
        from core.provisional import register
        from grading.services.deadlines import recompute_provisional

        register("grading.objection_due", recompute_provisional)  # D3: 暂定 deadlines when a year is entered
        from organizations.navigation import register_menu_item, register_page_link  # menu and page buttons

        register_page_link("district", "分类定级审定", "grading:district_current", order=30, primary=True)
        register_page_link("township", "分类定级", "grading:township_current", order=30, primary=True)
        register_menu_item(
            "分类定级",
            "grading:campaign_list",
            order=30,
            perm="review_grades",
            at_root=True,
            township_url_name="grading:township_current",
        )
