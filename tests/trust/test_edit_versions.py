"""No silent overwrite on any edit form (issue 12 §4).

Two sessions (two people, or one person in two tabs) load the same edit page; the first saves one field, the second
saves another from its older page: the second is refused with a Chinese message, the first save is kept, what the
second typed stays on the page, and the page now carries the current version (saving again is a deliberate choice).
The last test enumerates the edit pages of the URL map, so a new edit form cannot ship without a version.
"""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from core.edits import STALE_MESSAGE, VERSION_FIELD, VERSION_FIELDS
from organizations.models import Organization
from rectification.models import Case, DevelopmentTarget, Problem
from rectification.services import cases as case_services
from rectification.services import ledger as ledger_services
from tests import scope_enumeration as se
from tests.test_scope_enumeration import make_client, scenario  # noqa: F401  (the fixture of every URL's objects)

STALE = "已被他人修改"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def hidden(page: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert tag, f"no input {name}"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else ""


def two_sessions(first_user, second_user, url: str, base: dict[str, str], first: dict, second: dict) -> str:
    """Both load ``url``; the first saves ``first``, the second ``second`` from its older page. The refused page."""
    tab1, tab2 = client_for(first_user), client_for(second_user)
    v1 = hidden(tab1.get(url).content.decode(), VERSION_FIELD)
    v2 = hidden(tab2.get(url).content.decode(), VERSION_FIELD)
    assert v1 and v1 == v2
    assert tab1.post(url, {**base, **first, VERSION_FIELD: v1}).status_code == 302
    refused = tab2.post(url, {**base, **second, VERSION_FIELD: v2})
    page = refused.content.decode()
    assert refused.status_code == 200 and STALE in page and html.escape(STALE_MESSAGE)[:20] in page
    for value in second.values():
        assert html.escape(value) in page  # what the second session typed is still there
    # the refused page carries the current version: a second click, after a look, saves deliberately
    current = hidden(page, VERSION_FIELD)
    assert current and current != v2
    assert tab2.post(url, {**base, **second, VERSION_FIELD: current}).status_code == 302
    return page


def test_org_edit_second_save_refused_first_kept(users, tree):
    org = tree.village_a1
    url = reverse("organizations:org_edit", args=[org.pk])
    base = {"name": org.name, "field": org.field, "units_covered": "1", "established_on": "", "address": ""}
    tab1, tab2 = client_for(users.ts_a), client_for(users.ds)
    v1 = hidden(tab1.get(url).content.decode(), VERSION_FIELD)
    v2 = hidden(tab2.get(url).content.decode(), VERSION_FIELD)
    assert tab1.post(url, {**base, "address": "东风村委会二楼", VERSION_FIELD: v1}).status_code == 302
    refused = tab2.post(url, {**base, "name": "东风村第一党支部", VERSION_FIELD: v2})
    page = refused.content.decode()
    assert refused.status_code == 200 and STALE in page and "东风村第一党支部" in page
    kept = Organization.objects.get(pk=org.pk)
    assert kept.address == "东风村委会二楼" and kept.name == "东风村党支部"  # A's address is not lost


def test_org_edit_saves_from_a_fresh_page_and_without_a_rival(users, tree):
    org = tree.village_a1
    url = reverse("organizations:org_edit", args=[org.pk])
    client = client_for(users.ts_a)
    base = {"name": org.name, "field": org.field, "units_covered": "1", "established_on": "", "address": ""}
    for address in ("一楼", "二楼"):
        version = hidden(client.get(url).content.decode(), VERSION_FIELD)
        assert client.post(url, {**base, "address": address, VERSION_FIELD: version}).status_code == 302
    assert Organization.objects.get(pk=org.pk).address == "二楼"


@pytest.fixture
def case(users, tree) -> Case:
    case_services.category_set_by_hand(
        actor=users.ds, organization=tree.village_a1, year=2026, category="weak", reason="测试认定"
    )
    return Case.objects.get(organization=tree.village_a1)


def test_problem_edit_second_save_refused_first_kept(users, case):
    problem = ledger_services.problem_create(
        actor=users.ds, case=case, category="no_venue", source="self_check", description="无场所"
    )
    url = reverse("rectification:problem_edit", args=[problem.pk])
    base = {"category": "no_venue", "source": "self_check", "description": "无场所"}
    two_sessions(users.ts_a, users.ts_a, url, base, {"description": "无活动场所"}, {"description": "第二个页面的描述"})
    # the deliberate second save won; before it the first was kept (checked by the refusal above)
    assert Problem.objects.get(pk=problem.pk).description == "第二个页面的描述"


def test_problem_edit_refusal_keeps_the_first_save(users, case):
    problem = ledger_services.problem_create(
        actor=users.ds, case=case, category="no_venue", source="self_check", description="无场所"
    )
    url = reverse("rectification:problem_edit", args=[problem.pk])
    base = {"category": "no_venue", "source": "self_check", "description": "无场所"}
    tab1, tab2 = client_for(users.ts_a), client_for(users.ds)
    v1 = hidden(tab1.get(url).content.decode(), VERSION_FIELD)
    v2 = hidden(tab2.get(url).content.decode(), VERSION_FIELD)
    assert tab1.post(url, {**base, "description": "第一", VERSION_FIELD: v1}).status_code == 302
    assert tab2.post(url, {**base, "description": "第二", VERSION_FIELD: v2}).status_code == 200
    assert Problem.objects.get(pk=problem.pk).description == "第一"


def test_target_edit_second_save_refused_first_kept(users, case):
    target = ledger_services.target_create(
        actor=users.ds,
        case=case,
        kind="activist",
        person_name="李明",
        birth_date=date(1998, 3, 1),
        education="bachelor",
        since=date(2026, 3, 1),
    )
    url = reverse("rectification:target_edit", args=[target.pk])
    base = {"kind": "activist", "person_name": "李明", "birth_date": "1998-03-01", "education": "bachelor"}
    base["since"] = "2026-03-01"
    tab1, tab2 = client_for(users.ts_a), client_for(users.ts_a)
    v1 = hidden(tab1.get(url).content.decode(), VERSION_FIELD)
    v2 = hidden(tab2.get(url).content.decode(), VERSION_FIELD)
    assert tab1.post(url, {**base, "since": "2026-04-01", VERSION_FIELD: v1}).status_code == 302
    refused = tab2.post(url, {**base, "person_name": "李明明", VERSION_FIELD: v2})
    assert refused.status_code == 200 and STALE in refused.content.decode() and "李明明" in refused.content.decode()
    kept = DevelopmentTarget.objects.get(pk=target.pk)
    assert kept.since == date(2026, 4, 1) and kept.person_name == "李明"


# --- Every edit page of the URL map carries a version -------------------------------------------------------


def edit_routes() -> list[se.Route]:
    """The pages that edit a stored record: their view is named ``*_edit`` (org_edit, problem_edit, ...)."""
    views = {}
    for route, name in se._walk(get_resolver().url_patterns):
        views[name] = route
    found = []
    for route in se.routes():
        match = get_resolver().resolve("/" + se.PARAM.sub("1", route.route)) if route.params else None
        if match is not None and match.func.__name__.endswith("_edit"):
            found.append(route)
    return found


def test_edit_routes_are_found():
    names = {r.name for r in edit_routes()}
    assert {"organizations:org_edit", "rectification:problem_edit", "rectification:target_edit"} <= names


def test_every_edit_form_carries_a_version(scenario):  # noqa: F811
    failures = []
    for route in edit_routes():
        values = se.values_for(route, scenario, "A")
        assert values is not None, route
        path = se.build_path(route, values)
        pages = [make_client(user).get(path) for user, inside, _ in scenario.roles.values() if inside == "A"]
        forms = [p.content.decode() for p in pages if p.status_code == 200 and 'method="post"' in p.content.decode()]
        if not forms:
            failures.append(f"{route.name}: no role could open its form")
            continue
        names = set(re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"', forms[0]))
        names |= set(re.findall(r'<input[^>]*name="([^"]+)"[^>]*type="hidden"', forms[0]))
        if not names & VERSION_FIELDS:
            failures.append(f"{route.name} ({path}): no version among the hidden inputs {sorted(names)}")
    assert not failures, "\n".join(failures)
