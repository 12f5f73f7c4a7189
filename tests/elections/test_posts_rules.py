"""T1–T4, posts in the two committees, as pure rules. Source: 第五篇 四 职数配备 "全面推行村(社区)党组织书记、村(居)
民委员会主任'一肩挑',村(社区)'两委'成员交叉任职……统筹推进团支部书记进村(社区)'两委'班子。村(社区)妇联主席应当
进入村(社区)'两委'班子"; sizes of the villagers' committee 《村民委员会组织法》第六条, of the residents' committee
《城市居民委员会组织法》第七条."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from elections.rules.failures import Severity
from elections.rules.posts import CommitteePostFacts, PostTotals, check_posts, merged, percent, totals

FULL = CommitteePostFacts(
    field="rural",
    party_members=3,
    villagers_committee_size=5,
    cross_members=3,
    secretary_is_director=True,
    secretary_is_cross=True,
    women_chair_joined=True,
    youth_secretary_joined=False,
)


def rules(facts: CommitteePostFacts) -> list[tuple[str, str]]:
    return [(f.rule, str(f.severity)) for f in check_posts(facts)]


def test_a_committee_that_meets_every_target_has_no_finding():
    """T1–T3 met; T4 (团支部书记) has no target, so its absence is no finding."""
    assert check_posts(FULL) == []


def test_no_one_shoulder_is_a_warning():
    """T1 "全面推行……一肩挑": a warning, never a refusal (the director is the villagers' choice)."""
    assert rules(replace(FULL, secretary_is_director=False)) == [("T1", "warning")]


def test_one_shoulder_makes_the_secretary_a_cross_holder():
    """T1: the director sits on the villagers' committee, so 一肩挑 without the secretary among the cross-holders is
    refused."""
    found = check_posts(replace(FULL, secretary_is_cross=False, cross_members=2))
    assert [(f.rule, f.severity) for f in found] == [("T1", Severity.ERROR)]
    assert "书记也是交叉任职的成员" in found[0].message


def test_cross_holding_below_all_is_a_warning_with_the_share():
    """T2: 2 of 3 party committee members also on the villagers' committee → 66.7 %, a warning."""
    found = check_posts(replace(FULL, cross_members=2))
    assert [(f.rule, f.severity) for f in found] == [("T2", Severity.WARNING)]
    assert "交叉任职2/3人(66.7%)" in found[0].message


def test_cross_holders_cannot_outnumber_either_committee():
    """T2: 4 cross-holders with a 3-member party committee → refused; 3 of 3 with a 3-member villagers' committee is
    fine."""
    assert rules(replace(FULL, cross_members=4)) == [("T2", "error")]
    assert check_posts(replace(FULL, villagers_committee_size=3)) == []


def test_villagers_committee_of_three_to_seven():
    """《村民委员会组织法》第六条: 3 and 7 accepted, 2 and 8 refused."""
    assert check_posts(replace(FULL, villagers_committee_size=3)) == []
    assert check_posts(replace(FULL, villagers_committee_size=7)) == []
    assert rules(replace(FULL, villagers_committee_size=2, cross_members=2)) == [("T2", "error")]
    found = check_posts(replace(FULL, villagers_committee_size=8))
    assert "村民委员会由主任、副主任和委员共3至7人组成" in found[0].message


def test_residents_committee_of_five_to_nine():
    """《城市居民委员会组织法》第七条: a community's committee 5–9; 4 refused, 9 accepted."""
    community = replace(FULL, field="community", party_members=5, cross_members=5)
    assert check_posts(replace(community, villagers_committee_size=9)) == []
    found = check_posts(replace(community, villagers_committee_size=4))
    assert "居民委员会由主任、副主任和委员共5至9人组成" in found[0].message


def test_women_chair_outside_the_two_committees_is_a_warning():
    """T3 "妇联主席应当进入'两委'班子"."""
    assert rules(replace(FULL, women_chair_joined=False)) == [("T3", "warning")]


def test_percent_rounds_half_up_to_one_decimal():
    assert percent(2, 3) == Decimal("66.7") and percent(1, 8) == Decimal("12.5") and percent(0, 0) is None


def test_totals_of_a_township_and_the_district():
    """The summary: 2 committees, one 一肩挑 (50 %), 5 of 6 party members cross-holding (83.3 %), 两委 persons
    counted once."""
    a = totals([FULL, replace(FULL, secretary_is_director=False, cross_members=2, youth_secretary_joined=True)])
    assert (a.committees, a.one_shoulder, a.cross_members, a.party_members) == (2, 1, 5, 6)
    assert a.one_shoulder_percent == Decimal("50.0") and a.cross_percent == Decimal("83.3")
    assert a.people == 6 + 10 - 5 and a.women_chair == 2 and a.youth_secretary == 1
    district = merged([a, totals([FULL]), PostTotals()])
    assert (district.committees, district.one_shoulder, district.cross_members) == (3, 2, 8)
    assert district.youth_secretary_percent == Decimal("33.3")
