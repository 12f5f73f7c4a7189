from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "组织生活"

    def ready(self) -> None:
        from grading.evidence import register_evidence_provider
        from meetings.evidence import meetings_evidence
        from meetings.panels import meetings_panel, member_panel, own_panel
        from organizations.navigation import register_menu_item, register_page_link
        from organizations.panels import register_member_panel, register_org_panel, register_own_panel

        register_evidence_provider(meetings_evidence)  # grading's 附件1/附件4/review (grading.evidence)
        register_org_panel("meetings/_org_panel.html", meetings_panel)
        register_member_panel("meetings/_member_panel.html", member_panel)
        register_own_panel("meetings/_own_panel.html", own_panel)  # the member's own home (organizations.panels)
        register_page_link("township", "组织生活", "meetings:township_board", order=45)
        register_page_link("district", "组织生活", "meetings:district_board", order=45)
        register_menu_item("组织生活", "meetings:home", order=45)
        from meetings.panels import case_panel, measure_choices, measure_progress
        from rectification.events import register_case_panel, register_measure_trackers

        register_case_panel("meetings/_case_panel.html", case_panel)  # a weak organization's case page
        register_measure_trackers(measure_choices(), measure_progress)  # "每月按时召开支委会" on a measure
