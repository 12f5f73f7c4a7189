"""Organization pages state each setup rule in words, never our specification's codes (RULES B1–B6, A13)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from organizations.rules import OrgFacts, RuleViolation, check_committee_seats, check_joint_branch_units, setup_findings
from tests.factories import MemberFactory

CODES = re.compile(r"RULES|\b[AB][0-9]{1,2}\b|[((][A-E][0-9]{1,2}[))]")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def big_branch(tree):
    """A1 with 79 members, no committee: a B2 warning, a B3 warning and a B4 opportunity."""
    MemberFactory.create_batch(79, organization=tree.village_a1)
    return tree.village_a1


@pytest.mark.parametrize(
    "name, args",
    [
        ("organizations:setup_findings", []),
        ("organizations:terms_expiring", []),
        ("organizations:district_overview", []),
        ("organizations:org_detail", ["big"]),
        ("organizations:township", ["township"]),
        ("organizations:org_list", []),
    ],
)
def test_organization_pages_show_no_rule_codes(users, tree, big_branch, name, args):
    ids = {"big": big_branch.pk, "township": tree.township_a.pk}
    response = _client(users.ds).get(reverse(name, args=[ids[a] for a in args]))
    assert response.status_code == 200
    main = response.content.decode()
    main = main[main.index("<main") : main.index("</main>")]
    assert not CODES.search(main), CODES.search(main)


def test_findings_read_as_words(users, big_branch):
    page = _client(users.ds).get(reverse("organizations:org_detail", args=[big_branch.pk])).content.decode()
    assert "党支部规模" in page and "党支部党员一般不超过50人" in page
    assert "支部委员会设置" in page and "可成立党总支" in page


def test_setup_findings_page_says_the_rules_in_words(users, big_branch):
    page = _client(users.ds).get(reverse("organizations:setup_findings")).content.decode()
    assert "正式党员3名以上单独成立党支部" in page and "可成立党总支" in page


def test_a_refusal_states_the_rule_and_cites_only_a_confirmed_source():
    with pytest.raises(RuleViolation) as caught:
        check_committee_seats(kind="committee", field="rural", full_members=30, seats=6)
    assert str(caught.value) == (
        "村党组织委员会委员职数应为3至5名,当前为6名(依据《2018年村(社区)党组织换届选举试点工作方案》“四、职数配备”)"
    )
    assert caught.value.rule == "B5"  # the code stays for code and tests
    with pytest.raises(RuleViolation) as caught:
        check_joint_branch_units(6)
    assert str(caught.value) == "联合党支部覆盖单位一般不超过5个,当前为6个" and not CODES.search(str(caught.value))


def test_every_finding_has_a_title_in_words():
    facts = OrgFacts(kind="branch", field="rural", total_members=120, full_members=2, committee_seats=9)
    for finding in setup_findings(facts):
        assert finding.title and finding.title != "组织设置" and not CODES.search(finding.title + finding.message)
        assert finding.severity_label in {"须纠正", "请注意", "可调整"}
