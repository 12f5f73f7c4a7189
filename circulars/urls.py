"""URLs of circulars (namespace "circulars"). The segment before each parameter says what it is, so the scope
enumeration test (tests/scope_enumeration.py) can resolve it."""

from django.urls import path

from circulars.views import circulars, documents

app_name = "circulars"

urlpatterns = [
    path("", circulars.home, name="home"),
    path("new/", circulars.create, name="create"),
    path("circulars/<int:pk>/", circulars.detail, name="detail"),
    path("circulars/<int:pk>/read/", circulars.own_detail, name="own_detail"),
    path("circulars/<int:pk>/edit/", circulars.edit, name="edit"),
    path("circulars/<int:pk>/files/new/", circulars.file_add, name="file_add"),
    path("circulars/<int:pk>/send/", circulars.move, {"action": "send"}, name="send"),
    path("circulars/<int:pk>/close/", circulars.move, {"action": "close"}, name="close"),
    path("circulars/<int:pk>/remind/", circulars.remind, name="remind"),
    path("circulars/<int:pk>/circular.pdf", documents.circular_pdf, name="circular_pdf"),
    path("circulars/<int:pk>/receipts.xlsx", documents.receipts_xlsx, name="receipts_xlsx"),
    path("receipts/<int:pk>/read/", circulars.read, name="read"),
    path("receipts/<int:pk>/reply/", circulars.reply, name="reply"),
    path("files/<int:pk>/", circulars.file_download, name="file_download"),
]
