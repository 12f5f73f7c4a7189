"""A role sees only the actions it may take (issue 11): from the election pages each role reaches, every link and
every button answers that role with something other than 403 (or a 500); and no page shows a rule code."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.crawl_support import RULE_CODE, crawl, press_buttons
from tests.elections.test_services import _nominate

pytestmark = pytest.mark.django_db

PREFIXES = ("/elections/",)


@pytest.fixture
def nominated(project, users, members):
    _nominate(project, users, members["a1"])
    return project


@pytest.mark.parametrize("role", ["ds", "ts_a", "sec_a1", "viewer_a"])
def test_every_control_on_the_election_pages_answers_the_role(nominated, users, tree, role):
    user = getattr(users, role)
    client = Client()
    client.force_login(user)
    starts = [f"/elections/projects/{nominated.pk}/"]
    if role != "sec_a1":
        starts.insert(0, f"/elections/township/{tree.township_a.pk}/")
    result = crawl(client, starts, PREFIXES)
    assert len(result.pages) >= 5, result.pages
    problems = list(result.problems)
    coded = {url: RULE_CODE.findall(text) for url, text in result.texts.items() if RULE_CODE.search(text)}
    problems += press_buttons(client, result, PREFIXES)
    assert not problems, "\n".join(f"{p.url}: {p.what}" for p in problems)
    assert not coded, coded
