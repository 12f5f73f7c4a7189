"""elections.rules eligibility: source 第五篇 §三 (age, education, A2, the eleven and nine grounds, discipline)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from elections.rules.eligibility import (
    HIGH_SCHOOL_OR_ABOVE,
    BarringGround,
    CandidateFacts,
    Discipline,
    MemberFacts,
    SecretaryGround,
    age_on,
    check_candidate,
    check_discipline_cap,
    composition_warnings,
    discipline_cap,
    needs_discipline_review,
)
from elections.rules.failures import Severity, errors

ELECTION = date(2026, 10, 15)
OK = CandidateFacts(name="王一", birth_date=date(1980, 1, 1), election_date=ELECTION)


def born_aged(years: int, *, day_after_birthday: bool) -> date:
    """The birth date whose ``years``-th birthday is the day before ELECTION (aged ``years`` on election day), or
    ELECTION itself (still ``years - 1``: a year of age completes the day after the birthday)."""
    birthday = date(ELECTION.year - years, ELECTION.month, ELECTION.day)
    return birthday.replace(day=birthday.day - 1) if day_after_birthday else birthday


def test_a_plain_nominee_passes() -> None:
    assert check_candidate(OK) == []


def test_education_values_match_the_member_model() -> None:
    from organizations.models import Education

    assert HIGH_SCHOOL_OR_ABOVE <= set(Education.values)


# --- A2 -------------------------------------------------------------------------------------------------------


def test_a2_probationary_candidate_refused() -> None:
    [failure] = check_candidate(replace(OK, is_full_member=False))
    assert failure.rule == "A2"
    assert failure.message == "王一是预备党员,没有被选举权(《中国共产党基层组织选举工作条例》第五条)"


def test_a2_under_party_probation_refused() -> None:
    [failure] = check_candidate(replace(OK, under_party_probation=True))
    assert failure.rule == "A2" and "留党察看" in failure.message


# --- Age ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(1970, 10, 1), date(2025, 10, 1), 54),  # 55th birthday itself: the year completes the day after
        (date(1970, 10, 1), date(2025, 10, 2), 55),
        (date(1970, 10, 1), date(2026, 10, 1), 55),
        (date(1970, 10, 1), date(2026, 10, 2), 56),
        (date(1972, 2, 29), date(2027, 2, 28), 54),
        (date(1972, 2, 29), date(2027, 3, 1), 55),
        (date(1972, 2, 29), date(2028, 2, 29), 55),
        (date(1972, 2, 29), date(2028, 3, 1), 56),
    ],
)
def test_age_in_full_years(birth: date, on: date, age: int) -> None:
    assert age_on(birth, on) == age


@pytest.mark.parametrize(
    ("secretary", "years", "after", "refused"),
    [
        (False, 55, True, False),
        (False, 56, False, False),  # the 56th birthday is election day: still 55 until the day after
        (False, 56, True, True),
        (True, 60, True, False),
        (True, 61, False, False),
        (True, 61, True, True),
        (True, 56, True, False),  # a secretary nominee is held to 60, not 55
    ],
)
def test_age_limits_new_member_55_new_secretary_60(secretary: bool, years: int, after: bool, refused: bool) -> None:
    facts = replace(OK, birth_date=born_aged(years, day_after_birthday=after), nominated_as_secretary=secretary)
    failures = check_candidate(facts)
    assert bool(errors(failures)) is refused
    if refused:
        limit = 60 if secretary else 55
        assert failures[0].rule == "三(四)年龄"
        assert f"不超过{limit}岁" in failures[0].message and "新任" in failures[0].message


def test_age_exception_with_recorded_approval_is_a_warning() -> None:
    facts = replace(OK, birth_date=date(1960, 1, 1), currently_member=True, age_exception_approved=True)
    [failure] = check_candidate(facts)
    assert failure.severity == Severity.WARNING and "继续提名" in failure.message and "审定同意" in failure.message


def test_continuing_secretary_over_sixty_without_approval_refused() -> None:
    facts = replace(
        OK, birth_date=date(1960, 1, 1), nominated_as_secretary=True, currently_secretary=True, currently_member=True
    )
    [failure] = check_candidate(facts)
    assert failure.is_error and "66周岁" in failure.message and "继续提名村党组织书记" in failure.message


def test_age_limits_are_for_villages_only() -> None:
    # The plan states the age limits for 村党组织 only; a community nominee gets none.
    assert check_candidate(replace(OK, birth_date=date(1950, 1, 1), field="community")) == []


# --- Education and health -------------------------------------------------------------------------------------


def test_new_nominee_below_high_school_is_a_warning() -> None:
    [failure] = check_candidate(replace(OK, education="junior"))
    assert failure.severity == Severity.WARNING and "高中以上文化程度" in failure.message


def test_continuing_member_education_not_checked() -> None:
    assert check_candidate(replace(OK, education="junior", currently_member=True)) == []


def test_health_warning_for_new_nominee() -> None:
    [failure] = check_candidate(replace(OK, healthy=False))
    assert failure.severity == Severity.WARNING and failure.rule == "三(四)健康"


# --- The eleven barring grounds, the nine secretary grounds ----------------------------------------------------


def test_eleven_barring_grounds_from_the_source() -> None:
    assert len(BarringGround) == 11
    assert BarringGround(1).label == "违反法律法规,曾受过刑事处罚或劳动教养的"
    assert BarringGround(11).label == "其他不得作为村(社区)“两委”成员候选人的情形"


@pytest.mark.parametrize("ground", list(BarringGround))
def test_each_barring_ground_refuses_with_its_text(ground: BarringGround) -> None:
    [failure] = check_candidate(replace(OK, barring_grounds=frozenset({ground})))
    assert failure.is_error and failure.rule == f"三(五)({ground.value})"
    assert ground.label in failure.message and f"第{ground.value}项" in failure.message


def test_several_barring_grounds_all_listed_in_order() -> None:
    facts = replace(OK, barring_grounds=frozenset({BarringGround(8), BarringGround(2)}))
    assert [f.rule for f in check_candidate(facts)] == ["三(五)(2)", "三(五)(8)"]


def test_nine_secretary_grounds_from_the_source() -> None:
    assert len(SecretaryGround) == 9
    assert SecretaryGround(8).label.startswith("村党组织书记在一个任期内,集体经济收入未达到5万元以上")


@pytest.mark.parametrize("ground", list(SecretaryGround))
def test_secretary_grounds_refuse_a_sitting_secretary(ground: SecretaryGround) -> None:
    facts = replace(
        OK,
        nominated_as_secretary=True,
        currently_secretary=True,
        currently_member=True,
        secretary_grounds=frozenset({ground}),
    )
    [failure] = check_candidate(facts)
    assert failure.is_error and "不宜继续担任党组织书记" in failure.message and ground.label in failure.message


def test_secretary_grounds_do_not_apply_to_a_member_nomination() -> None:
    facts = replace(
        OK, currently_secretary=True, currently_member=True, secretary_grounds=frozenset({SecretaryGround.PERFORMANCE})
    )
    assert check_candidate(facts) == []


# --- Discipline and the township cap --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("continuing", "discipline", "review"),
    [
        (False, Discipline.NONE, False),
        (False, Discipline.IMPACT_ENDED, False),
        (False, Discipline.IMPACT_ONGOING, True),
        (True, Discipline.NONE, False),
        (True, Discipline.IMPACT_ENDED, True),  # the plan: continuing nominees with an ended impact too
        (True, Discipline.IMPACT_ONGOING, True),
    ],
)
def test_who_needs_a_discipline_review(continuing: bool, discipline: Discipline, review: bool) -> None:
    facts = replace(OK, currently_member=continuing, discipline=discipline)
    assert needs_discipline_review(facts) is review
    failures = check_candidate(facts)
    assert bool(failures) is review
    if review:
        assert failures[0].is_error and "须经乡镇党委审慎研究" in failures[0].message
        approved = check_candidate(replace(facts, discipline_review_approved=True))
        assert [f.severity for f in approved] == [Severity.WARNING] and "15%" in approved[0].message


@pytest.mark.parametrize(("villages", "cap"), [(6, 0), (7, 1), (10, 1), (13, 1), (14, 2), (20, 3), (100, 15)])
def test_discipline_cap_is_at_most_fifteen_percent_rounded_down(villages: int, cap: int) -> None:
    assert discipline_cap(villages) == cap
    assert check_discipline_cap(villages, cap) == []
    [failure] = check_discipline_cap(villages, cap + 1)
    assert failure.is_error and f"至多{cap}名" in failure.message


# --- Composition ----------------------------------------------------------------------------------------------


def member(name: str, born: date, female: bool = False) -> MemberFacts:
    return MemberFacts(name, born, female)


def test_village_committee_needs_a_young_member_and_a_woman() -> None:
    old_men = [member("甲", date(1970, 1, 1)), member("乙", date(1972, 1, 1)), member("丙", date(1975, 1, 1))]
    failures = composition_warnings(old_men, ELECTION)
    assert [f.severity for f in failures] == [Severity.WARNING, Severity.WARNING]
    assert "35岁以下" in failures[0].message and "女党员" in failures[1].message


def test_village_member_aged_exactly_35_counts_as_young() -> None:
    # ELECTION is 2026-10-15. 以下 includes 35; a year of age completes the day after the birthday.
    for born in (date(1991, 10, 14), date(1990, 10, 15)):  # 35 (the second turns 36 only on 2026-10-16)
        assert age_on(born, ELECTION) == 35
        assert composition_warnings([member("甲", born, True)], ELECTION) == []
    assert age_on(date(1990, 10, 14), ELECTION) == 36
    assert len(composition_warnings([member("甲", date(1990, 10, 14), True)], ELECTION)) == 1


def test_community_only_a_woman_warning() -> None:
    men = [member("甲", date(1970, 1, 1))]
    [failure] = composition_warnings(men, ELECTION, field="community")
    assert "女性委员" in failure.message
    assert composition_warnings([member("乙", date(1970, 1, 1), True)], ELECTION, field="community") == []
