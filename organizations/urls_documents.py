"""URL patterns of this area; included by organizations/urls.py under the organizations namespace."""

from django.urls import path

from organizations import views_documents

urlpatterns: list = [
    path("orgs/<int:pk>/roster.pdf", views_documents.roster_pdf, name="roster_pdf"),
    path("orgs/<int:pk>/roster.xlsx/", views_documents.roster_xlsx, name="roster_xlsx"),
]
