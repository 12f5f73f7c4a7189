"""姓名 as one field, surname first with no space, the same on every page, document and audit row."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from core.models import Event
from core.names import account_label, display_name, person_name


class _Account:
    def __init__(self, username: str, first: str = "", last: str = "") -> None:
        self.username, self.first_name, self.last_name = username, first, last

    def get_username(self) -> str:
        return self.username


def test_a_name_is_one_field_and_the_account_stands_in_for_a_missing_one():
    assert display_name(_Account("branch0001", first="莫辉峰")) == "莫辉峰"
    assert display_name(_Account("branch0001", first="辉峰", last="莫")) == "莫辉峰"  # a split one still reads right
    assert display_name(_Account("branch0001")) == "branch0001"
    assert display_name(None) == ""
    assert account_label(_Account("branch0001", first="欧阳修")) == "欧阳修(branch0001)"
    assert account_label(_Account("branch0001")) == "branch0001"
    assert person_name(_Account("x", first=" 黄杰 ")) == "黄杰"


def test_the_migration_joins_surname_and_given_name(db):
    from importlib import import_module

    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create(username="mo", last_name="莫", first_name="辉峰")
    other = get_user_model().objects.create(username="huang", first_name="黄杰")
    import_module("core.migrations.0002_names_one_field").join_names(apps, None)
    user.refresh_from_db()
    other.refresh_from_db()
    assert (user.first_name, user.last_name) == ("莫辉峰", "")
    assert (other.first_name, other.last_name) == ("黄杰", "")


@pytest.fixture
def named(users):
    users.ts_a.first_name = "莫辉峰"
    users.ts_a.save(update_fields=["first_name"])
    users.sec_a1.last_name, users.sec_a1.first_name = "黄", "杰"  # as Django's get_full_name would misprint it
    users.sec_a1.save(update_fields=["first_name", "last_name"])
    return users


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_show_the_name_surname_first(named, tree):
    page = _client(named.ts_a).get(reverse("organizations:roles", args=[tree.village_a1.pk])).content.decode()
    assert '<span class="nav-user">莫辉峰</span>' in page
    assert "黄杰" in page and "杰 黄" not in page  # the secretary's role row


def test_the_audit_trail_names_the_person_and_the_account(named, tree):
    from organizations.services.tree import organization_update

    organization_update(actor=named.ts_a, organization=tree.village_a1, address="新地址")
    event = Event.objects.filter(verb__startswith="organization.").latest("pk")
    assert event.actor_name == "莫辉峰(ts_a)"


def test_the_admin_edits_one_name_field(named, admin_client):
    page = admin_client.get(reverse("admin:auth_user_change", args=[named.ts_a.pk])).content.decode()
    assert "姓名" in page and 'name="first_name"' in page and 'value="莫辉峰"' in page
    assert 'name="last_name"' not in page
    listing = admin_client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "莫辉峰" in listing and "黄杰" in listing
