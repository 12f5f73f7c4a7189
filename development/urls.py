"""URLs of the development app (namespace "development"). The segment before each parameter says what it is, so the
scope enumeration test (tests/scope_enumeration.py) can resolve it."""

from django.urls import path

from development.views import pipeline

app_name = "development"

urlpatterns = [
    path("", pipeline.home, name="home"),
    path("orgs/<int:pk>/", pipeline.org_pipeline, name="org"),
    path("orgs/<int:pk>/board/", pipeline.org_board, name="board"),
    path("orgs/<int:pk>/new/", pipeline.applicant_create, name="applicant_create"),
    path("people/<int:pk>/", pipeline.applicant_detail, name="applicant"),
    path("people/<int:pk>/edit/", pipeline.applicant_edit, name="applicant_edit"),
    path("people/<int:pk>/move/", pipeline.applicant_move, name="move"),
]
