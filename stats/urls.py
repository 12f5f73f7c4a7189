"""URLs of the membership statistics (namespace "stats")."""

from django.urls import path

from stats.views import pages

app_name = "stats"

urlpatterns = [
    path("", pages.home, name="home"),
    path("district/", pages.district, name="district"),
    path("orgs/<int:pk>/", pages.org_statistics, name="org"),
    path("orgs/<int:pk>/members/", pages.members, name="members"),
    path("orgs/<int:pk>/workbook.xlsx", pages.workbook, name="workbook"),
]
