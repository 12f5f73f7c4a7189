"""Pages and files that may hold full ID numbers are never kept by the browser's cache or a proxy."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", ["organizations:member_detail", "organizations:member_edit"])
def test_member_pages_with_the_id_number_send_no_store(users, members, name):
    member = members["a1"][0]
    response = _client(users.ts_a).get(reverse(name, args=[member.pk]))
    assert response.status_code == 200
    assert member.id_number in response.content.decode()  # the full number is on the page…
    assert "no-store" in response.headers["Cache-Control"]  # …so it is not stored


def test_new_member_form_sends_no_store(users, tree):
    response = _client(users.ts_a).get(reverse("organizations:member_create", args=[tree.village_a1.pk]))
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]


def test_downloads_send_no_store(users, tree, members):
    response = _client(users.ts_a).get(reverse("organizations:roster_pdf", args=[tree.village_a1.pk]))
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]


def test_an_attachment_from_any_view_gets_no_store(rf):
    from django.http import HttpResponse

    from partybuild.middleware import NoStoreMiddleware

    def view(request):
        response = HttpResponse(b"x")
        response["Content-Disposition"] = 'attachment; filename="a.xlsx"'
        return response

    response = NoStoreMiddleware(view)(rf.get("/x/"))
    assert "no-store" in response.headers["Cache-Control"]


def test_ordinary_pages_keep_the_browser_history_usable(users, tree):
    """Only personal pages opt out: a list page may still be restored by the back button (typed filters kept)."""
    response = _client(users.ts_a).get(reverse("organizations:org_detail", args=[tree.village_a1.pk]))
    assert "no-store" not in response.headers.get("Cache-Control", "")
