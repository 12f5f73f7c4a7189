"""A role sees only the actions it may take (issue 11): from the rectification pages each role reaches, every link
and every button answers that role with something other than 403 (or a 500), and no page shows a rule code."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.crawl_support import RULE_CODE, crawl, press_buttons
from tests.rectification.test_pages import open_weak_case, with_measure

pytestmark = pytest.mark.django_db

PREFIXES = ("/rectification/",)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def cases(users, tree):
    """A weak village in township A (with a measure) and the liaison's branch A2-1 with its own case."""
    village = open_weak_case(users.ds, tree.village_a1)
    with_measure(users.ds, village)
    branch = open_weak_case(users.ds, tree.branch_a21)
    with_measure(users.ds, branch)
    return village, branch


@pytest.mark.parametrize("role", ["ds", "ts_a", "sec_a1", "liaison", "viewer_a"])
def test_every_control_on_the_rectification_pages_answers_the_role(cases, users, tree, role):
    village, branch = cases
    client = Client()
    client.force_login(getattr(users, role))
    case = branch if role == "liaison" else village
    starts = ["/rectification/", f"/rectification/orgs/{case.organization_id}/", f"/rectification/cases/{case.pk}/"]
    result = crawl(client, starts, PREFIXES)
    assert len(result.pages) >= 3, result.pages
    problems = list(result.problems)
    coded = {url: RULE_CODE.findall(text) for url, text in result.texts.items() if RULE_CODE.search(text)}
    problems += press_buttons(client, result, PREFIXES)
    assert not problems, "\n".join(f"{p.url}: {p.what}" for p in problems)
    assert not coded, coded
