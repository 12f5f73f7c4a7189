from django.urls import path

from organizations import views

app_name = "organizations"

urlpatterns = [
    path("district/", views.district_overview, name="district_overview"),
    path("district/setup-findings/", views.setup_findings_list, name="setup_findings"),
    path("district/terms-expiring/", views.terms_expiring, name="terms_expiring"),
    path("township/<int:pk>/", views.township, name="township"),
    path("orgs/", views.org_list, name="org_list"),
    path("orgs/<int:pk>/", views.org_detail, name="org_detail"),
    path("orgs/<int:pk>/edit/", views.org_edit, name="org_edit"),
    path("orgs/<int:pk>/upgrade/", views.org_upgrade, name="org_upgrade"),
    path("orgs/<int:pk>/sub-branches/new/", views.sub_branch_create, name="sub_branch_create"),
    path("orgs/<int:pk>/members/", views.member_list, name="member_list"),
    path("orgs/<int:pk>/members/new/", views.member_create, name="member_create"),
    path("orgs/<int:pk>/members/move/", views.members_move, name="members_move"),
    path("orgs/<int:pk>/terms/new/", views.term_create, name="term_create"),
    path("orgs/<int:pk>/positions/new/", views.position_create, name="position_create"),
    path("orgs/<int:pk>/roles/", views.roles, name="roles"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("positions/<int:pk>/end/", views.position_end, name="position_end"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
]

# Areas kept in their own files so that they can grow without touching each other.
from organizations import urls_documents, urls_import  # noqa: E402

urlpatterns += urls_import.urlpatterns + urls_documents.urlpatterns
