"""URLs of the transfers app (namespace "transfers"). The segment before each parameter says what it is, so the
scope enumeration test (tests/scope_enumeration.py) can resolve it."""

from django.urls import path

from transfers.views import documents, requests

app_name = "transfers"

urlpatterns = [
    path("", requests.home, name="home"),
    path("destinations/", requests.pick_destinations, name="pick_destinations"),
    path("members/<int:pk>/start/", requests.start_out, name="start_out"),
    path("orgs/<int:pk>/receive/", requests.receive_in, name="receive_in"),
    path("requests/<int:pk>/", requests.detail, name="detail"),
    path("requests/<int:pk>/letter.pdf", documents.letter_pdf, name="letter_pdf"),
    path("requests/<int:pk>/<str:action>/", requests.move, name="move"),
]
