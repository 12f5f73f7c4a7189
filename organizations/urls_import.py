"""URL patterns of this area; included by organizations/urls.py under the organizations namespace."""

from django.urls import path

from organizations import views_import

urlpatterns: list = [
    path("orgs/<int:pk>/import/members/", views_import.import_members_view, name="import_members"),
    path("orgs/<int:pk>/import/organizations/", views_import.import_organizations_view, name="import_organizations"),
    path("orgs/<int:pk>/export/organizations.xlsx", views_import.export_organizations, name="export_organizations"),
    path("orgs/import-template/<slug:kind>.xlsx", views_import.import_template, name="import_template"),
]
