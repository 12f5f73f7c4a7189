"""URLs of organizational life (namespace "meetings"). The segment before each parameter says what it is, so the
scope enumeration test (tests/scope_enumeration.py) can resolve it."""

from django.urls import path

from meetings.views import boards, imports, records

app_name = "meetings"

urlpatterns = [
    path("", boards.home, name="home"),
    path("district/", boards.district_board, name="district_board"),
    path("requirements/<int:year>/", boards.requirements, name="requirements"),
    path("township/<int:pk>/", boards.township_board, name="township_board"),
    path("orgs/<int:pk>/", records.org_meetings, name="org_meetings"),
    path("orgs/<int:pk>/new/", records.meeting_create, name="meeting_create"),
    path("orgs/<int:pk>/lapses/", boards.lapses, name="lapses"),
    path("orgs/<int:pk>/import/", imports.import_page, name="import"),
    path("orgs/<int:pk>/import/template.xlsx", imports.import_template, name="import_template"),
    path("records/<int:pk>/", records.meeting_detail, name="meeting_detail"),
    path("records/<int:pk>/edit/", records.meeting_edit, name="meeting_edit"),
    path("records/<int:pk>/files/new/", records.file_add, name="file_add"),
    path("files/<int:pk>/", records.file_download, name="file_download"),
]
