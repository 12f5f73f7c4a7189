"""The menu offers each page only to those who may open it, and every entry it offers opens."""

from __future__ import annotations

import pytest
from django.test import Client

from organizations.navigation import nav_items

pytestmark = pytest.mark.django_db


def labels(user) -> list[str]:
    return [label for label, _ in nav_items(user)]


def test_district_staff_reach_the_election_step_templates_from_the_menu(users):
    assert "换届环节模板" in labels(users.ds)
    for name in ("ts_a", "sec_a1", "viewer_a", "nobody"):
        assert "换届环节模板" not in labels(getattr(users, name)), name


@pytest.mark.parametrize("name", ["ds", "ts_a", "sec_a1", "viewer_a", "liaison"])
def test_every_menu_entry_opens(users, name):
    user = getattr(users, name)
    client = Client()
    client.force_login(user)
    for label, url in nav_items(user):
        assert client.get(url, follow=True).status_code == 200, (label, url)
