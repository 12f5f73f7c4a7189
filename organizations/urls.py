from django.urls import path

from organizations.views import committee, documents, grants, imports, members, overview, pickers, reorganization, tree

app_name = "organizations"

urlpatterns = [
    path("district/", overview.district_overview, name="district_overview"),
    path("district/setup-findings/", overview.setup_findings_list, name="setup_findings"),
    path("district/terms-expiring/", overview.terms_expiring, name="terms_expiring"),
    path("township/<int:pk>/", overview.township, name="township"),
    path("orgs/", overview.org_list, name="org_list"),
    path("orgs/<int:pk>/", tree.org_detail, name="org_detail"),
    path("orgs/<int:pk>/edit/", tree.org_edit, name="org_edit"),
    path("orgs/<int:pk>/members/", members.member_list, name="member_list"),
    path("orgs/<int:pk>/members/new/", members.member_create, name="member_create"),
    path("orgs/<int:pk>/members/move/", tree.members_move, name="members_move"),
    path("orgs/<int:pk>/terms/new/", committee.term_create, name="term_create"),
    path("orgs/<int:pk>/positions/new/", committee.position_create, name="position_create"),
    path("orgs/<int:pk>/roles/", grants.roles, name="roles"),
    path("orgs/<int:pk>/pick/members/", pickers.pick_members, name="pick_members"),
    path("orgs/<int:pk>/pick/targets/", pickers.pick_targets, name="pick_targets"),
    path("members/<int:pk>/", members.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", members.member_edit, name="member_edit"),
    path("members/<int:pk>/account/", members.member_account, name="member_account"),
    path("positions/<int:pk>/end/", committee.position_end, name="position_end"),
    path("roles/<int:pk>/revoke/", grants.role_revoke, name="role_revoke"),
    path("orgs/<int:pk>/import/members/", imports.import_members_view, name="import_members"),
    path("orgs/<int:pk>/import/organizations/", imports.import_organizations_view, name="import_organizations"),
    path("orgs/<int:pk>/export/organizations.xlsx", imports.export_organizations, name="export_organizations"),
    path("orgs/import-template/<slug:kind>.xlsx", imports.import_template, name="import_template"),
    path("township/<int:pk>/reorganizations/", reorganization.township_reorganizations, name="reorganizations"),
    path("orgs/<int:pk>/reorganizations/new/", reorganization.reorganization_start, name="reorganization_start"),
    path("reorganizations/<int:pk>/", reorganization.reorganization_detail, name="reorganization_detail"),
    path("reorganizations/<int:pk>/plan/", reorganization.reorganization_edit, name="reorganization_edit"),
    path("reorganizations/<int:pk>/comment/", reorganization.reorganization_comment, name="reorganization_comment"),
    path("reorganizations/<int:pk>/units/new/", reorganization.reorganization_unit, name="reorganization_unit"),
    path("reorganizations/<int:pk>/<slug:paper>.pdf", reorganization.reorganization_paper, name="reorganization_paper"),
    path("reorganizations/<int:pk>/<slug:action>/", reorganization.reorganization_move, name="reorganization_move"),
    path("orgs/<int:pk>/roster.pdf", documents.roster_pdf, name="roster_pdf"),
    path("orgs/<int:pk>/roster.xlsx/", documents.roster_xlsx, name="roster_xlsx"),
]
