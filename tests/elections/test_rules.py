"""elections.rules: A2, A9–A13, B3/B5 with every RULES.md example and the edges of each threshold."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from elections.rules.failures import Severity
from elections.rules.terms import (
    SECRETARY_MOVES,
    PostStatus,
    add_months,
    check_committee_size,
    check_postponement,
    reminder_date,
    secretary_electorate,
    status_after_election,
)
from elections.rules.votes import (
    VoterFacts,
    check_margin,
    check_proxy,
    check_scrutineers,
    counts_toward_due,
    due_count,
    min_candidates,
)

# --- A2 -------------------------------------------------------------------------------------------------------


def test_a2_ten_full_and_two_probationary_make_due_ten() -> None:
    voters = [VoterFacts(f"正式{i}", True) for i in range(10)] + [VoterFacts(f"预备{i}", False) for i in range(2)]
    assert due_count(voters) == 10


def test_a2_member_under_party_probation_does_not_count() -> None:
    assert not counts_toward_due(VoterFacts("甲", True, under_party_probation=True))
    assert counts_toward_due(VoterFacts("乙", True))


# --- A9 / A10 -------------------------------------------------------------------------------------------------


def test_a9_a_proxy_ballot_is_refused() -> None:
    [failure] = check_proxy(is_proxy=True)
    assert failure.rule == "A9" and "不得委托他人代为投票" in failure.message
    assert check_proxy(is_proxy=False) == []
    assert check_proxy(is_proxy=False, voter_present=False)[0].rule == "A9"


def test_a10_a_candidate_as_scrutineer_is_refused() -> None:
    failures = check_scrutineers(["王一", "赵五"], ["王一", "李二"])
    assert [f.message for f in failures] == ["王一是候选人,不得担任监票人"]
    assert check_scrutineers(["赵五"], ["王一", "李二"]) == []


# --- A11 ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("seats", "needed"), [(1, 2), (3, 4), (5, 6), (6, 8), (7, 9), (9, 11), (10, 12), (11, 14)])
def test_a11_min_candidates(seats: int, needed: int) -> None:
    assert min_candidates(seats) == needed


@given(st.integers(1, 500))
def test_a11_margin_is_at_least_twenty_percent_and_minimal(seats: int) -> None:
    needed = min_candidates(seats)
    assert 5 * (needed - seats) >= seats  # at least 20 %
    assert 5 * (needed - 1 - seats) < seats  # one fewer is below 20 %


def test_a11_seven_seats_eight_candidates_is_only_fourteen_percent() -> None:
    [failure] = check_margin(7, 8)
    assert failure.rule == "A11"
    assert failure.message.startswith("应选7名,候选人8名,差额不足20%:至少应有9名候选人")
    assert check_margin(7, 9) == []


def test_a11_zero_seats_refused() -> None:
    with pytest.raises(ValueError):
        min_candidates(0)


# --- A12 ------------------------------------------------------------------------------------------------------


def test_a12_secretary_pending_until_approved_member_filed() -> None:
    assert status_after_election(is_secretary_or_deputy=True) == PostStatus.PENDING_APPROVAL
    assert PostStatus.PENDING_APPROVAL.label == "待上级党组织批准"
    assert status_after_election(is_secretary_or_deputy=False) == PostStatus.FILED
    assert SECRETARY_MOVES[PostStatus.PENDING_APPROVAL] == {PostStatus.APPROVED, PostStatus.REFUSED}
    assert SECRETARY_MOVES[PostStatus.APPROVED] == frozenset()


def test_a12_who_elects_the_secretary() -> None:
    assert secretary_electorate(has_committee=True) == "新一届委员会全体会议"
    assert secretary_electorate(has_committee=False) == "党员大会"


# --- A13 ------------------------------------------------------------------------------------------------------


def test_a13_delay_past_one_year_refused() -> None:
    failures = check_postponement(date(2025, 6, 30), date(2026, 7, 1), approved=True)
    assert [f.rule for f in failures] == ["A13"]
    assert "延期至2026-07-01超过一年" in failures[0].message


def test_a13_delay_of_exactly_one_year_allowed_with_approval() -> None:
    assert check_postponement(date(2025, 6, 30), date(2026, 6, 30), approved=True) == []
    [failure] = check_postponement(date(2025, 6, 30), date(2026, 6, 30))
    assert "须报上级党组织批准" in failure.message


def test_a13_advance_at_most_one_year() -> None:
    assert check_postponement(date(2025, 6, 30), date(2024, 6, 30), approved=True) == []
    [failure] = check_postponement(date(2025, 6, 30), date(2024, 6, 29), approved=True)
    assert "提前" in failure.message


def test_a13_on_time_needs_nothing() -> None:
    assert check_postponement(date(2025, 6, 30), date(2025, 6, 30)) == []


def test_a13_leap_day_term() -> None:
    assert check_postponement(date(2024, 2, 29), date(2025, 2, 28), approved=True) == []
    assert check_postponement(date(2024, 2, 29), date(2025, 3, 1), approved=True) != []


def test_a13_reminder_six_months_ahead() -> None:
    assert reminder_date(date(2026, 11, 30)) == date(2026, 5, 30)
    assert reminder_date(date(2026, 8, 31)) == date(2026, 2, 28)
    assert add_months(date(2025, 12, 15), 1) == date(2026, 1, 15)


# --- B3 / B5 --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "seats", "previous", "rule"),
    [
        ("rural", 3, None, None),
        ("rural", 5, None, None),
        ("rural", 6, None, "B5"),  # RULES.md: village 6 seats → refused
        ("rural", 2, None, "B5"),
        ("community", 4, None, "B5"),  # RULES.md: community 4 → refused
        ("community", 5, None, None),
        ("community", 9, None, None),
        ("community", 10, None, "B5"),
        ("rural", 5, 3, "B5"),  # above the previous term's size
        ("rural", 3, 3, None),
        ("community", 7, 9, None),
        ("organ", 7, None, None),
        ("organ", 8, None, "B3"),  # RULES.md: an 8-seat committee → refused
    ],
)
def test_b3_b5_committee_size(field: str, seats: int, previous: int | None, rule: str | None) -> None:
    kind = "committee" if field in {"rural", "community"} else "branch"
    failures = check_committee_size(kind=kind, field=field, full_members=10, seats=seats, previous_seats=previous)
    assert [f.rule for f in failures] == ([rule] if rule else [])
    for failure in failures:
        assert failure.severity == Severity.ERROR and f"{seats}" in failure.message


def test_b5_message_names_the_range() -> None:
    [failure] = check_committee_size(kind="committee", field="rural", full_members=30, seats=6)
    assert failure.message == (
        "村党组织委员会委员职数应为3至5名,当前为6名(依据《2018年村(社区)党组织换届选举试点工作方案》“四、职数配备”)"
    )


@pytest.mark.parametrize(("full", "seats", "refused"), [(7, 3, False), (6, 3, True), (6, 2, False), (6, 1, False)])
def test_b3_fewer_than_seven_full_members_secretary_only(full: int, seats: int, refused: bool) -> None:
    failures = check_committee_size(kind="branch", field="organ", seats=seats, full_members=full)
    assert bool(failures) is refused
    if refused:
        assert failures[0].rule == "B3" and "不足7名" in failures[0].message


@pytest.mark.parametrize(
    ("field", "seats", "refused"), [("state_enterprise", 2, True), ("rural", 2, True), ("organ", 3, False)]
)
def test_b3_a_branch_of_ten_full_members_elects_a_committee_zhibu_tiaoli_art20(
    field: str, seats: int, refused: bool
) -> None:
    """Issue 14: a branch of 10 full members could elect 2 seats while its page asked for a committee of 3–5
    (《中国共产党支部工作条例(试行)》第二十条: 正式党员7人以上的党支部,应当设立党支部委员会)."""
    failures = check_committee_size(kind="branch", field=field, seats=seats, full_members=10)
    assert bool(failures) is refused
    if refused:
        assert failures[0].rule == "B3"
        assert "应设立支部委员会" in failures[0].message and "B3" not in failures[0].message
