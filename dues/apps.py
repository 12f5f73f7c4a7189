from django.apps import AppConfig


class DuesConfig(AppConfig):
    name = "dues"
    verbose_name = "党费收缴"

    def ready(self) -> None:
        from dues.events import LABEL, dues_lapses
        from dues.evidence import dues_evidence
        from dues.panels import dues_panel, own_panel
        from dues.todo import dues_todo
        from grading.evidence import register_evidence_provider
        from meetings.events import register_lapse_source
        from organizations.navigation import register_menu_item, register_page_link
        from organizations.panels import register_org_panel, register_own_panel
        from organizations.todo import register_todo

        register_menu_item("党费", "dues:home", order=46)
        register_page_link("district", "党费收缴", "dues:district_board", order=60)
        register_page_link("township", "党费", "dues:township_board", order=60)
        register_org_panel("dues/_org_panel.html", dues_panel)
        register_own_panel("dues/_own_panel.html", own_panel)  # the member's own home (organizations.panels)
        register_todo(dues_todo)  # the home's to-do panel (organizations.todo)
        register_evidence_provider(dues_evidence)  # grading's 附件1/附件4/review (grading.evidence)
        register_lapse_source(LABEL, dues_lapses)  # the 党章 Art. 9 list of the meetings app (meetings.events)
