from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "rectification"
    verbose_name = "分类管理与整顿"

    def ready(self) -> None:
        # Grading publishes "grade finalized" through its own registry and knows nothing of us (DESIGN.md layers).
        from grading.events import on_grade_finalized
        from organizations.panels import register_org_column, register_org_panel
        from organizations.todo import register_todo
        from rectification.panels import rectification_panel
        from rectification.services.subscriber import on_grade_finalized as apply_final_grade
        from rectification.todo import rectification_statuses, rectification_todo

        on_grade_finalized(apply_final_grade)
        register_org_panel("rectification/_org_panel.html", rectification_panel)
        register_org_column("分类管理与整顿", rectification_statuses)  # the liaison's list (organizations.panels)
        register_todo(rectification_todo)  # the home's to-do panel (organizations.todo)
        from organizations.navigation import register_menu_item, register_page_link  # menu and page buttons

        register_page_link("township", "整顿", "rectification:township_board", order=50)
        register_menu_item("整顿", "rectification:home", order=40)
