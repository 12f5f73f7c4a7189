from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "transfers"
    verbose_name = "组织关系转接"

    def ready(self) -> None:
        from organizations.navigation import register_menu_item
        from organizations.panels import register_member_panel, register_org_panel, register_own_panel
        from organizations.services.tree import register_move_guard
        from organizations.todo import register_todo
        from transfers.panels import member_panel, org_panel, own_panel
        from transfers.services.requests import in_transit_refusal
        from transfers.todo import transfers_todo

        register_menu_item("组织关系转接", "transfers:home", order=38, perm="view_records")
        register_org_panel("transfers/_org_panel.html", org_panel)
        register_member_panel("transfers/_member_panel.html", member_panel)
        register_own_panel("transfers/_own_panel.html", own_panel)  # the member's own home (organizations.panels)
        register_todo(transfers_todo)
        register_move_guard(in_transit_refusal)  # a member in transit is not moved by hand
