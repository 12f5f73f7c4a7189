"""URLs of the dues app (namespace "dues"). The segment before each parameter says what it is, so the scope
enumeration test (tests/scope_enumeration.py) can resolve it; the year is a query parameter (``?year=``)."""

from django.urls import path

from dues.views import boards, documents, imports, ledger, members

app_name = "dues"

urlpatterns = [
    path("", boards.home, name="home"),
    path("district/", boards.district_board, name="district_board"),
    path("township/<int:pk>/", boards.township_board, name="township_board"),
    path("orgs/<int:pk>/", ledger.ledger, name="ledger"),
    path("orgs/<int:pk>/collect/", ledger.batch, name="batch"),
    path("orgs/<int:pk>/unpaid/", ledger.signals, name="signals"),
    path("orgs/<int:pk>/ledger.xlsx", documents.ledger_xlsx, name="ledger_xlsx"),
    path("orgs/<int:pk>/ledger.pdf", documents.ledger_pdf, name="ledger_pdf"),
    path("orgs/<int:pk>/import/", imports.import_page, name="import"),
    path("orgs/<int:pk>/import/template.xlsx", imports.import_template, name="import_template"),
    path("members/<int:pk>/", members.member, name="member"),
    path("members/<int:pk>/declare/", members.declare, name="declare"),
    path("payments/<int:pk>/withdraw/", members.payment_delete, name="payment_delete"),
]
