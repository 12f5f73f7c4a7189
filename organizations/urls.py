from django.urls import path

from organizations import views

app_name = "organizations"

urlpatterns = [
    path("district/", views.district_overview, name="district_overview"),
    path("township/<int:pk>/", views.township, name="township"),
    path("orgs/", views.org_list, name="org_list"),
    path("orgs/<int:pk>/", views.org_detail, name="org_detail"),
]
