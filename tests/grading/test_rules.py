"""grading.rules: every example of RULES.md part C and the edges of each band; no database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grading.rules.counting import (
    DimensionSpec,
    ItemSpec,
    good_cap_check,
    rank_within_grades,
    tally_meeting,
    validate_item_score,
    validate_template,
)
from grading.rules.grades import (
    ATTENDEE_CATEGORIES,
    GRADE_ORDER,
    Category,
    Grade,
    RuleViolation,
    category_for_grade,
    consequences,
    fmt,
    grade_for_score,
    grade_order,
)

D = Decimal

# --- C1 bands / C4 veto ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        ("100", Grade.GOOD),
        ("90", Grade.GOOD),
        ("90.0", Grade.GOOD),
        ("89.9", Grade.FAIRLY_GOOD),
        ("89.5", Grade.FAIRLY_GOOD),
        ("80", Grade.FAIRLY_GOOD),
        ("79.9", Grade.AVERAGE),
        ("60", Grade.AVERAGE),
        ("59.9", Grade.POOR),
        ("0", Grade.POOR),
    ],
)
def test_c1_bands(score: str, grade: Grade) -> None:
    assert grade_for_score(D(score)) == grade


def test_grade_labels_are_chinese() -> None:
    assert [g.label for g in GRADE_ORDER] == ["好", "较好", "一般", "较差"]
    assert [g.value for g in GRADE_ORDER] == ["good", "fairly_good", "average", "poor"]


@pytest.mark.parametrize("score", ["-0.1", "100.1", "-1", "101", "NaN", "Infinity"])
def test_outside_0_100_raises_value_error(score: str) -> None:
    with pytest.raises(ValueError, match="总分"):
        grade_for_score(D(score))


def test_out_of_range_message_names_numbers() -> None:
    with pytest.raises(RuleViolation) as exc:
        grade_for_score(D("100.1"))
    assert exc.value.messages == ["总分应在0至100分之间,当前为100.1分"]


def test_c4_vetoed_95_is_poor() -> None:
    assert grade_for_score(D("95"), vetoed=True) == Grade.POOR
    assert grade_for_score(D("100"), vetoed=True) == Grade.POOR


def test_vetoed_does_not_excuse_an_invalid_score() -> None:
    with pytest.raises(ValueError):
        grade_for_score(D("100.1"), vetoed=True)


one_decimal_scores = st.integers(min_value=0, max_value=1000).map(lambda n: Decimal(n) / 10)


@given(one_decimal_scores, one_decimal_scores)
def test_monotonic_higher_score_never_lower_grade(a: Decimal, b: Decimal) -> None:
    low, high = min(a, b), max(a, b)
    assert grade_order(grade_for_score(high)) <= grade_order(grade_for_score(low))


@given(one_decimal_scores)
def test_every_one_decimal_score_falls_in_exactly_one_band(score: Decimal) -> None:
    bands = {
        Grade.GOOD: D(90) <= score <= D(100),
        Grade.FAIRLY_GOOD: D(80) <= score < D(90),
        Grade.AVERAGE: D(60) <= score < D(80),
        Grade.POOR: D(0) <= score < D(60),
    }
    assert sum(bands.values()) == 1
    assert bands[grade_for_score(score)]


@given(one_decimal_scores)
def test_veto_always_poor(score: Decimal) -> None:
    assert grade_for_score(score, vetoed=True) == Grade.POOR


# --- C2 item scores and templates -------------------------------------------------------------------------------


def test_item_21_of_20_is_refused() -> None:
    with pytest.raises(RuleViolation) as exc:
        validate_item_score(D(21), D(20))
    assert exc.value.messages == ["得分21分超过该项满分20分"]


@pytest.mark.parametrize("points", ["0", "20", "19.5", "0.1"])
def test_item_scores_within_maximum(points: str) -> None:
    assert validate_item_score(D(points), D(20)) == D(points)


@pytest.mark.parametrize(("points", "needle"), [("-0.5", "负数"), ("20.1", "超过"), ("3.25", "一位小数")])
def test_item_score_refusals(points: str, needle: str) -> None:
    with pytest.raises(RuleViolation, match=needle):
        validate_item_score(D(points), D(20))


def _template(*maxima: str, veto: tuple[str, ...] = ()) -> list[DimensionSpec]:
    items = [ItemSpec(f"第{n}项", D(m)) for n, m in enumerate(maxima, start=1)]
    items += [ItemSpec(f"否决{n}", D(m), is_veto=True) for n, m in enumerate(veto, start=1)]
    return [DimensionSpec("领导班子好", items)]


def test_template_of_100_is_valid() -> None:
    assert validate_template(_template("20", "20", "20", "20", "20")) == D(100)


def test_template_of_99_is_refused_with_c2_message() -> None:
    with pytest.raises(RuleViolation) as exc:
        validate_template(_template("20", "20", "20", "20", "19"))
    assert exc.value.messages == ["评分标准合计应为100分,当前为99分"]


def test_template_decimal_total_message() -> None:
    with pytest.raises(RuleViolation, match=r"当前为99\.5分"):
        validate_template(_template("20", "20", "20", "20", "19.5"))


def test_template_item_max_must_be_positive() -> None:
    with pytest.raises(RuleViolation) as exc:
        validate_template(_template("50", "50", "0"))
    assert exc.value.messages == ["“领导班子好”中的“第3项”的满分应大于0分,当前为0分"]


def test_veto_items_carry_no_points_and_do_not_count() -> None:
    assert validate_template(_template("60", "40", veto=("0", "0"))) == D(100)
    with pytest.raises(RuleViolation, match="一票否决项"):
        validate_template(_template("60", "40", veto=("5",)))


def test_template_reports_every_problem() -> None:
    with pytest.raises(RuleViolation) as exc:
        validate_template(_template("50", "-1"))
    assert len(exc.value.messages) == 2


def test_dimension_items_must_match_its_share() -> None:
    dims = [
        DimensionSpec("领导班子好", [ItemSpec("a", D(25))], max_points=D(20)),
        DimensionSpec("党员队伍好", [ItemSpec("b", D(75))], max_points=D(80)),
    ]
    with pytest.raises(RuleViolation) as exc:
        validate_template(dims)
    assert exc.value.messages == [
        "“领导班子好”各项满分合计25分,与该维度分值20分不符",
        "“党员队伍好”各项满分合计75分,与该维度分值80分不符",
    ]


def test_deadline_defaults_and_order() -> None:
    from datetime import date

    from grading.rules.grades import deadline_order_problems, default_deadlines

    d = default_deadlines(2026)
    assert list(d.values()) == [
        date(2026, 3, 31),
        date(2026, 4, 10),
        date(2026, 4, 20),
        date(2026, 12, 10),
        date(2026, 12, 20),
    ]
    assert deadline_order_problems(d) == []
    d["township_review_due"] = date(2026, 3, 1)
    assert deadline_order_problems(d) == ["乡镇初审截止(2026-03-01)不能早于自查自评截止(2026-03-31)"]


def test_empty_template_is_refused() -> None:
    with pytest.raises(RuleViolation, match="当前为0分"):
        validate_template([])


# --- C5 the 好 cap -----------------------------------------------------------------------------------------------


def test_c5_ten_organizations_two_good_ok() -> None:
    result = good_cap_check(10, 2)
    assert result.allowed == 2
    assert not result.exceeds
    assert not result.reason_required
    assert result.message is None


def test_c5_ten_organizations_three_good_needs_reason() -> None:
    result = good_cap_check(10, 3)
    assert result.exceeds and result.reason_required
    assert result.message is not None
    assert "3个" in result.message and "10个" in result.message and "20%" in result.message
    assert "C5" not in result.message


@pytest.mark.parametrize(
    ("total", "cap", "allowed"),
    [
        (0, "20", 0),
        (4, "20", 0),
        (5, "20", 1),
        (9, "20", 1),
        (14, "20", 2),
        (30, "20", 6),
        (10, "25", 2),
        (10, "30", 3),
    ],
)
def test_c5_allowed_is_floor(total: int, cap: str, allowed: int) -> None:
    assert good_cap_check(total, 0, D(cap)).allowed == allowed


def test_c5_zero_organizations() -> None:
    assert not good_cap_check(0, 0).exceeds


def test_c5_widened_cap() -> None:
    assert not good_cap_check(10, 3, D(30)).exceeds


@pytest.mark.parametrize(("total", "good"), [(10, 11), (-1, 0), (5, -1)])
def test_c5_impossible_counts(total: int, good: int) -> None:
    with pytest.raises(ValueError):
        good_cap_check(total, good)


# --- 倒排 ranking ------------------------------------------------------------------------------------------------


def test_ranking_lowest_first_within_grade_and_competition_ranks() -> None:
    rows = [
        ("a", D("95"), Grade.GOOD),
        ("b", D("91"), Grade.GOOD),
        ("c", D("85"), Grade.FAIRLY_GOOD),
        ("d", D("85"), Grade.FAIRLY_GOOD),
        ("e", D("82"), Grade.FAIRLY_GOOD),
        ("f", D("50"), Grade.POOR),
    ]
    ranked = rank_within_grades(rows)
    assert [r.key for r in ranked] == ["b", "a", "e", "c", "d", "f"]
    assert {r.key: r.rank for r in ranked} == {"a": 1, "b": 2, "c": 3, "d": 3, "e": 5, "f": 6}
    assert {r.key: r.rank_in_grade for r in ranked} == {"a": 1, "b": 2, "c": 1, "d": 1, "e": 3, "f": 1}


def test_ranking_ties_share_rank_1_2_2_4() -> None:
    rows = [("w", D(90), Grade.GOOD), ("x", D(80), Grade.FAIRLY_GOOD), ("y", D(80), Grade.FAIRLY_GOOD)]
    rows.append(("z", D(70), Grade.AVERAGE))
    assert [r.rank for r in sorted(rank_within_grades(rows), key=lambda r: r.key)] == [1, 2, 2, 4]


def test_ranking_keeps_given_grade_after_veto() -> None:
    ranked = rank_within_grades([("v", D(95), Grade.POOR), ("g", D(91), Grade.GOOD)])
    assert [(r.key, r.rank) for r in ranked] == [("g", 2), ("v", 1)]


def test_ranking_empty() -> None:
    assert rank_within_grades([]) == []


# --- 附件2 tally --------------------------------------------------------------------------------------------------


def test_tally_per_category_and_total() -> None:
    tally = tally_meeting(
        {
            "village_leader": {Grade.GOOD: 1},
            "member": {Grade.GOOD: 10, Grade.FAIRLY_GOOD: 5, Grade.AVERAGE: 1},
            "public": {"good": 3, "poor": 1},
        },
        {"village_leader": 1, "member": 18, "public": 5, "deputies": 2},
    )
    assert tally.totals == {Grade.GOOD: 14, Grade.FAIRLY_GOOD: 5, Grade.AVERAGE: 1, Grade.POOR: 1}
    assert tally.ballots == 21
    assert tally.attendee_total == 26
    assert tally.category_ballots("member") == 16
    assert tally.by_category["deputies"] == {g: 0 for g in GRADE_ORDER}
    assert tally.shares[Grade.GOOD] == D("66.7")
    assert tally.shares[Grade.POOR] == D("4.8")


def test_tally_refuses_more_ballots_than_attendees() -> None:
    with pytest.raises(RuleViolation) as exc:
        tally_meeting({"member": {Grade.GOOD: 8, Grade.AVERAGE: 4}}, {"member": 10})
    assert exc.value.messages == ["“党员”收回测评票12张,多于参会人数10人(附件2)"]


def test_tally_refuses_ballots_of_an_absent_category() -> None:
    with pytest.raises(RuleViolation, match="两代表一委员"):
        tally_meeting({"deputies": {Grade.GOOD: 1}}, {"member": 10})


def test_tally_refuses_negative_counts() -> None:
    with pytest.raises(RuleViolation, match="负数"):
        tally_meeting({"member": {Grade.GOOD: -1}}, {"member": 10})


def test_tally_no_ballots_shares_zero() -> None:
    tally = tally_meeting({}, {"member": 3})
    assert tally.ballots == 0
    assert all(s == 0 for s in tally.shares.values())


def test_attendee_categories_follow_the_plan() -> None:
    assert list(ATTENDEE_CATEGORIES.values()) == ["挂村领导", "党员", "群众代表", "两代表一委员"]


# --- C3 / C6 -----------------------------------------------------------------------------------------------------


def test_c6_only_good_is_nominable() -> None:
    assert consequences(Grade.GOOD).nominable_as_advanced
    assert not consequences(Grade.AVERAGE).nominable_as_advanced  # RULES.md C6 example
    assert not consequences(Grade.FAIRLY_GOOD).nominable_as_advanced


def test_c6_poor_secretary_not_promotable_committee_capped() -> None:
    c = consequences(Grade.POOR)
    assert c.secretary_promotable_next_year is False
    assert c.committee_appraisal_cap == "称职"
    assert not c.nominable_as_advanced


@pytest.mark.parametrize("grade", [Grade.GOOD, Grade.FAIRLY_GOOD, Grade.AVERAGE])
def test_c6_no_penalty_above_poor(grade: Grade) -> None:
    c = consequences(grade)
    assert c.secretary_promotable_next_year and c.committee_appraisal_cap is None


def test_categories() -> None:
    assert category_for_grade(Grade.GOOD) == Category.RED_FLAG == "red_flag"
    assert category_for_grade("fairly_good") == Category.CATCH_UP
    assert category_for_grade(Grade.AVERAGE) == Category.LAGGING
    assert category_for_grade(Grade.POOR) == Category.WEAK  # C3: 较差 = 软弱涣散
    assert [c.label for c in Category] == ["红旗支部", "赶超支部", "后进支部", "软弱涣散支部"]


def test_fmt() -> None:
    assert [fmt(D(x)) for x in ("99", "99.0", "89.50", "100", "0")] == ["99", "99", "89.5", "100", "0"]
