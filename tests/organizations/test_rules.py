"""RULES.md part B, every worked example and the edges around each threshold. Pure: no database."""

from datetime import date

import pytest

from organizations import rules
from organizations.rules import OrgFacts, RuleViolation, Severity, setup_findings


def facts(**kw):
    base = {
        "kind": "branch",
        "field": "rural",
        "total_members": 10,
        "full_members": 10,
        "units_covered": 1,
        "committee_seats": 3,
    }
    base.update(kw)
    return OrgFacts(**base)


def rule_ids(findings):
    return [(f.rule, f.severity) for f in findings]


# B1 ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("full", "ok"), [(0, False), (2, False), (3, True), (4, True)])
def test_b1_branch_needs_three_full_members(full, ok):
    assert rules.can_form_branch(full) is ok


def test_b1_two_full_and_three_probationary_is_not_enough():
    found = setup_findings(facts(total_members=5, full_members=2, committee_seats=0))
    assert ("B1", Severity.ERROR) in rule_ids(found)
    assert "联合党支部" in found[0].message


def test_b1_three_full_members_no_finding():
    assert ("B1", Severity.ERROR) not in rule_ids(
        setup_findings(facts(total_members=3, full_members=3, committee_seats=0))
    )


@pytest.mark.parametrize(("units", "refused"), [(1, False), (5, False), (6, True)])
def test_b1_joint_branch_units(units, refused):
    if refused:
        with pytest.raises(RuleViolation, match="6个"):
            rules.check_joint_branch_units(units)
        assert ("B1", Severity.ERROR) in rule_ids(setup_findings(facts(kind="joint_branch", units_covered=units)))
    else:
        rules.check_joint_branch_units(units)


def test_b1_joint_branch_with_two_members_is_fine():
    found = setup_findings(facts(kind="joint_branch", total_members=2, full_members=2, committee_seats=0))
    assert ("B1", Severity.ERROR) not in rule_ids(found)


# B2 ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("total", "warn"), [(49, False), (50, False), (51, True)])
def test_b2_more_than_fifty_warns(total, warn):
    found = rule_ids(setup_findings(facts(total_members=total, full_members=total)))
    assert (("B2", Severity.WARNING) in found) is warn
    assert all(sev != Severity.ERROR for _, sev in found)


# B3 ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("full", "required"), [(6, False), (7, True), (8, True)])
def test_b3_committee_from_seven_full_members(full, required):
    assert rules.committee_required(full) is required
    found = rule_ids(setup_findings(facts(total_members=full, full_members=full, committee_seats=0)))
    assert (("B3", Severity.WARNING) in found) is required


@pytest.mark.parametrize(("seats", "warn"), [(0, True), (1, True), (2, True), (3, False)])
def test_b3_secretary_alone_is_not_a_committee(seats, warn):
    found = rule_ids(setup_findings(facts(full_members=9, total_members=9, committee_seats=seats)))
    assert (("B3", Severity.WARNING) in found) is warn


def test_b3_committee_present_no_warning():
    assert ("B3", Severity.WARNING) not in rule_ids(setup_findings(facts(full_members=7, total_members=7)))


@pytest.mark.parametrize(("seats", "refused"), [(3, False), (5, False), (7, False), (8, True)])
def test_b3_committee_size(seats, refused):
    violation = rules.branch_committee_violation(full_members=9, seats=seats)
    assert (violation is not None) is refused
    if refused:
        assert "8人" in str(violation)


# B4 ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("total", "message"),
    [
        (50, None),
        (51, "可成立党总支"),
        (79, "79名党员:可成立党总支"),
        (99, "可成立党总支"),
        (100, "可成立党的基层委员会"),
    ],
)
def test_b4_eligibility(total, message):
    found = [f for f in setup_findings(facts(total_members=total, full_members=total)) if f.rule == "B4"]
    if message is None:
        assert found == []
    else:
        assert len(found) == 1 and message in found[0].message and found[0].severity == Severity.ELIGIBLE


def test_b4_not_for_general_branch():
    assert not [f for f in setup_findings(facts(kind="general_branch", total_members=79)) if f.rule == "B4"]


# B5 ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("field", "seats", "previous", "refused"),
    [
        ("rural", 3, None, False),
        ("rural", 5, None, False),
        ("rural", 6, None, True),
        ("rural", 2, None, True),
        ("community", 4, None, True),
        ("community", 5, None, False),
        ("community", 9, None, False),
        ("community", 10, None, True),
        ("rural", 5, 3, True),
        ("rural", 3, 3, False),
        ("school", 5, None, False),
        ("school", 8, None, True),
    ],
)
def test_b5_committee_seats(field, seats, previous, refused):
    # a village or community organization's committee (B5); elsewhere a branch of 10 full members (B3)
    kind = "committee" if field in {"rural", "community"} else "branch"
    kwargs = {"kind": kind, "field": field, "full_members": 10, "seats": seats, "previous_seats": previous}
    if refused:
        with pytest.raises(RuleViolation):
            rules.check_committee_seats(**kwargs)
    else:
        rules.check_committee_seats(**kwargs)


def test_b5_message_names_rule_and_numbers():
    with pytest.raises(RuleViolation) as exc:
        rules.check_committee_seats(kind="committee", field="rural", full_members=30, seats=6)
    # the rule in words and its source, never the internal code (kept on the exception for code)
    assert exc.value.rule == "B5" and "B5" not in str(exc.value)
    assert "3至5" in str(exc.value) and "6" in str(exc.value) and "四、职数配备" in str(exc.value)


# B6 ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "field", "years"),
    [
        ("branch", "rural", 5),
        ("committee", "community", 5),
        ("general_branch", "school", 3),
        ("branch", "organ", 3),
        ("joint_branch", "private_enterprise", 3),
    ],
)
def test_b6_term_years(kind, field, years):
    assert rules.term_years(kind=kind, field=field) == years


def test_b6_village_branch_elected_2021_11_due_2026_11():
    assert rules.term_end(elected_on=date(2021, 11, 15), kind="branch", field="rural") == date(2026, 11, 15)


def test_b6_leap_day():
    assert rules.add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)


def test_findings_sorted_most_serious_first():
    found = setup_findings(facts(total_members=120, full_members=2, committee_seats=0))
    severities = [f.severity for f in found]
    assert severities == sorted(severities, key=[Severity.ERROR, Severity.WARNING, Severity.ELIGIBLE].index)


# B3: one rule, one answer (《中国共产党支部工作条例(试行)》第二十条) ----------------------------------------------
# "有正式党员7人以上的党支部,应当设立党支部委员会……一般设委员3至5人,最多不超过7人……正式党员不足7人的党支部,
# 不设党支部委员会,由党员大会选举书记1人,必要时可以选举副书记1人。" The same function answers the organization page
# and every place seats are set (a term, an election project), whatever the field.
@pytest.mark.parametrize(
    ("field", "full", "seats", "refused"),
    [
        ("state_enterprise", 10, 1, True),  # issue 14: passed before, while the page asked for a committee
        ("state_enterprise", 10, 2, True),
        ("state_enterprise", 10, 3, False),
        ("state_enterprise", 10, 7, False),
        ("state_enterprise", 10, 8, True),
        ("organ", 7, 2, True),
        ("organ", 6, 3, True),  # fewer than 7 full members: no committee
        ("organ", 6, 2, False),  # a secretary and a deputy
        ("organ", 6, 1, False),
        ("rural", 10, 2, True),  # a village branch of 10 full members elects a committee
        ("rural", 5, 2, False),  # a village branch of 5: a secretary (and deputy), not a 3-member committee
        ("community", 10, 9, True),  # a community branch: B5 allows 9, the branch rule at most 7
        ("community", 10, 7, False),
    ],
)
def test_b3_branch_committee_seats_follow_full_members_zhibu_tiaoli_art20(field, full, seats, refused):
    kwargs = {"kind": "branch", "field": field, "full_members": full, "seats": seats}
    if refused:
        with pytest.raises(RuleViolation) as exc:
            rules.check_committee_seats(**kwargs)
        assert "B3" not in str(exc.value) and f"{seats}" in str(exc.value)
    else:
        rules.check_committee_seats(**kwargs)


def test_b3_page_and_refusal_give_one_answer_zhibu_tiaoli_art20():
    """The page's finding for a branch of 10 full members with 2 in post is the words the election refuses with."""
    found = setup_findings(facts(full_members=10, total_members=10, committee_seats=2))
    [finding] = [f for f in found if f.rule == "B3"]
    with pytest.raises(RuleViolation) as exc:
        rules.check_committee_seats(kind="branch", field="rural", full_members=10, seats=2)
    assert finding.message == str(exc.value)
    assert "应设立支部委员会" in finding.message and "第二十条" in finding.message


def test_b3_a_committee_in_a_branch_under_seven_is_flagged_zhibu_tiaoli_art20():
    [finding] = [f for f in setup_findings(facts(full_members=5, total_members=6, committee_seats=3)) if f.rule == "B3"]
    assert finding.severity == Severity.WARNING and "不设支部委员会" in finding.message


def test_b3_a_committee_elected_when_the_branch_grew_to_seven_is_not_capped_by_the_secretary_only_term():
    """B5's "not above the previous term" compares committees: a branch that had only a secretary now needs 3."""
    rules.check_committee_seats(kind="branch", field="rural", full_members=8, seats=3, previous_seats=1)


# B1 and B4 in restructuring (支部条例 第四、五条; 农村条例 "党员人数超过50人的……可以成立党总支……100人以上的……经县级
# 地方党委批准,可以成立党委"; 第三篇 四: the 79-member branch → 党总支) --------------------------------------------
@pytest.mark.parametrize(
    ("new_kind", "total", "full", "rule"),
    [
        ("branch", 5, 2, "B1"),  # issue 14: sub_branch_create made a 党支部 of 2 full members
        ("branch", 3, 3, None),
        ("general_branch", 20, 20, "B4"),
        ("general_branch", 50, 50, "B4"),  # 超过50 excludes 50
        ("general_branch", 51, 40, None),
        ("general_branch", 79, 70, None),  # 第三篇: 79 members "已经达到成立党总支的条件"
        ("committee", 20, 20, "B4"),  # issue 14: a 20-member branch became a 党委 without complaint
        ("committee", 99, 99, "B4"),
        ("committee", 100, 90, None),
        ("party_group", 2, 1, None),
    ],
)
def test_b1_b4_restructuring_follows_the_member_thresholds(new_kind, total, full, rule):
    violation = rules.restructure_violation(new_kind=new_kind, total_members=total, full_members=full)
    assert (violation.rule if violation else None) == rule
    if violation:
        assert (
            "B1" not in str(violation)
            and "B4" not in str(violation)
            and f"{full if rule == 'B1' else total}名" in str(violation)
        )


def test_b4_a_general_branch_of_120_members_may_become_a_committee_nongcun_tiaoli():
    """Issue 14: a 党总支 of 120 members (in its sub-branches) got no 党委 finding."""
    found = setup_findings(facts(kind="general_branch", total_members=0, full_members=0, members_below=120))
    [b4] = [f for f in found if f.rule == "B4"]
    assert b4.severity == Severity.ELIGIBLE and "120名党员" in b4.message and "党委" in b4.message
