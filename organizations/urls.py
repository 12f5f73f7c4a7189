from django.urls import path

from organizations import views

app_name = "organizations"

urlpatterns = [
    path("district/", views.district_overview, name="district_overview"),
    path("township/<int:pk>/", views.township, name="township"),
    path("orgs/", views.org_list, name="org_list"),
    path("orgs/<int:pk>/", views.org_detail, name="org_detail"),
]

# Areas kept in their own files so that they can grow without touching each other.
from organizations import urls_documents, urls_import  # noqa: E402

urlpatterns += urls_import.urlpatterns + urls_documents.urlpatterns
