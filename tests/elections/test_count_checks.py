"""elections.rules.checks: the numbered count checks K1–K9 for entered totals, each on both sides of its threshold."""

from __future__ import annotations

from dataclasses import replace

import pytest

from elections.rules.checks import CheckKind, CountTotals, blocking, compare_entries, count_checks
from elections.rules.tally import count_checks as count_checks_from_tally

GOOD = CountTotals(
    seats=3,
    due=100,
    excused=2,
    present=90,
    ballots_issued=90,
    ballots_returned=90,
    valid_ballots=88,
    invalid_ballots=2,
    votes={"王一": 80, "李二": 70, "张三": 60, "刘四": 30},
)


def codes(totals: CountTotals, **kw: CountTotals) -> list[str]:
    return [f.code for f in count_checks(totals, **kw)]


def test_a_clean_count_has_no_findings() -> None:
    assert count_checks(GOOD) == []
    assert count_checks_from_tally is count_checks


@pytest.mark.parametrize(("present", "found"), [(98, False), (99, True)])
def test_k1_present_at_most_due_minus_excused(present: int, found: bool) -> None:
    totals = replace(GOOD, present=present)
    assert ("K1" in codes(totals)) is found
    if found:
        message = next(f.message for f in count_checks(totals) if f.code == "K1")
        assert message == "实到会人数99人,多于应到会人数100人减去不计入人数2人后的98人"


@pytest.mark.parametrize(("issued", "found"), [(90, False), (91, True)])
def test_k2_issued_at_most_present(issued: int, found: bool) -> None:
    assert ("K2" in codes(replace(GOOD, ballots_issued=issued))) is found


@pytest.mark.parametrize(("valid", "invalid", "found"), [(88, 2, False), (88, 1, True), (89, 2, True)])
def test_k3_valid_plus_invalid_is_returned(valid: int, invalid: int, found: bool) -> None:
    totals = replace(GOOD, valid_ballots=valid, invalid_ballots=invalid)
    assert ("K3" in codes(totals)) is found


def test_k3_message_has_the_numbers() -> None:
    [finding] = count_checks(replace(GOOD, valid_ballots=87))
    assert finding.message == "有效票87张加无效票2张共89张,不等于收回选票90张"
    assert finding.kind == CheckKind.ERROR


def test_k4_returned_above_issued_voids() -> None:
    totals = replace(GOOD, ballots_issued=89, ballots_returned=90)
    findings = count_checks(totals)
    assert findings[0].code == "K4" and findings[0].kind == CheckKind.VOID
    assert findings[0].message == "收回选票90张,多于发出选票89张,选举无效,应重新选举"
    assert "K4" not in codes(GOOD)


@pytest.mark.parametrize(("votes", "found"), [(88, False), (89, True)])
def test_k5_no_name_above_valid_ballots(votes: int, found: bool) -> None:
    totals = replace(GOOD, votes={"王一": votes})
    assert ("K5" in codes(totals)) is found
    if found:
        assert any(f.message == "王一得票89票,多于有效票88张" for f in count_checks(totals))


@pytest.mark.parametrize(("total", "found"), [(264, False), (265, True)])
def test_k6_sum_at_most_valid_times_seats(total: int, found: bool) -> None:
    votes = {"王一": 88, "李二": 88, "张三": total - 176}
    assert ("K6" in codes(replace(GOOD, votes=votes))) is found


def test_k6_message() -> None:
    votes = {"王一": 88, "李二": 88, "张三": 88, "刘四": 1}
    [finding] = count_checks(replace(GOOD, votes=votes))
    assert finding.message == "各人得票合计265票,多于有效票88张乘应选名额3名的264票"


@pytest.mark.parametrize(("returned", "found"), [(90, False), (89, True)])
def test_k7_some_ballots_not_returned_is_a_warning(returned: int, found: bool) -> None:
    totals = replace(GOOD, ballots_returned=returned, valid_ballots=returned - 2)
    findings = count_checks(totals)
    assert ("K7" in [f.code for f in findings]) is found
    assert not blocking(findings)
    if found:
        assert findings[0].message == "收回选票89张,少于发出选票90张,有1张未收回,请确认"


@pytest.mark.parametrize(("invalid", "found"), [(9, False), (10, True)])
def test_k8_invalid_above_ten_percent_is_a_warning(invalid: int, found: bool) -> None:
    # 90 returned: 9 is exactly 10 % (not above), 10 is above.
    totals = replace(GOOD, valid_ballots=90 - invalid, invalid_ballots=invalid, votes={})
    findings = count_checks(totals)
    assert ("K8" in [f.code for f in findings]) is found
    if found:
        assert findings[0].kind == CheckKind.WARNING
        assert findings[0].message == "无效票10张,超过收回选票90张的10%,请确认"


def test_k8_exactly_ten_percent_of_100() -> None:
    base = replace(GOOD, due=120, present=100, ballots_issued=100, ballots_returned=100, votes={})
    assert "K8" not in codes(replace(base, valid_ballots=90, invalid_ballots=10))
    assert "K8" in codes(replace(base, valid_ballots=89, invalid_ballots=11))


def test_k9_double_entry_lists_the_differing_fields() -> None:
    second = replace(GOOD, valid_ballots=87, invalid_ballots=3, votes={"王一": 80, "李二": 71, "张三": 60, "刘四": 30})
    findings = compare_entries(GOOD, second)
    assert [f.code for f in findings] == ["K9"]
    assert findings[0].kind == CheckKind.WARNING
    assert findings[0].message == "两次录入不一致(第一次/第二次):有效票(88/87)、无效票(2/3)、李二得票(70/71)"
    assert compare_entries(GOOD, replace(GOOD)) == []
    assert "K9" in codes(GOOD, second_entry=second)


def test_k9_a_name_only_in_one_entry() -> None:
    second = replace(GOOD, votes={**GOOD.votes, "赵五": 2})
    [finding] = compare_entries(GOOD, second)
    assert "赵五得票(0/2)" in finding.message


def test_k0_negative_numbers() -> None:
    findings = count_checks(replace(GOOD, invalid_ballots=-1, valid_ballots=91, votes={"王一": -3}))
    messages = [f.message for f in findings if f.code == "K0"]
    assert "无效票不能为负数,当前为-1" in messages and "王一的得票数不能为负数,当前为-3" in messages


def test_errors_come_before_warnings_and_void_first() -> None:
    totals = replace(GOOD, ballots_issued=89, ballots_returned=90, valid_ballots=80, invalid_ballots=9)
    kinds = [f.kind for f in count_checks(totals)]
    assert kinds == sorted(kinds, key=[CheckKind.VOID, CheckKind.ERROR, CheckKind.WARNING].index)
    assert kinds[0] == CheckKind.VOID
