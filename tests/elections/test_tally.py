"""elections.rules.tally: every example of RULES.md A1–A8, the edges on each side of each threshold, and properties.

No database: the tally is plain values in, plain values out.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from elections.rules.tally import Ballot, Mark, TallyInput, TallyInputError, read_ballot, tally, tally_totals
from elections.rules.votes import has_majority, majority_needed, quorum_met, quorum_needed

F, A, X = Mark.FOR, Mark.AGAINST, Mark.ABSTAIN
NAMES = ("王一", "李二", "张三", "刘四")


def ballots(*specs: tuple[dict[str, Mark], tuple[str, ...]] | dict[str, Mark], times: int = 1) -> tuple[Ballot, ...]:
    out: list[Ballot] = []
    for spec in specs:
        if isinstance(spec, dict):
            out.append(Ballot(spec))
        else:
            out.append(Ballot(spec[0], spec[1]))
    return tuple(out) * times


def totals(votes: dict[str, int], *, seats: int = 3, present: int = 80, due: int = 90, **kw: int):
    """A valid meeting of ``present`` with every ballot returned and valid unless told otherwise."""
    issued = kw.pop("issued", present)
    returned = kw.pop("returned", issued)
    invalid = kw.pop("invalid", 0)
    return tally_totals(
        seats=seats,
        due=due,
        present=present,
        ballots_issued=issued,
        ballots_returned=returned,
        valid_ballots=returned - invalid,
        invalid_ballots=invalid,
        votes=votes,
        candidates=tuple(votes),
        **kw,
    )


# --- A1 quorum ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "excused", "present", "valid"),
    [
        (100, 0, 80, False),
        (100, 0, 81, True),
        (10, 0, 8, False),
        (10, 0, 9, True),
        (50, 2, 38, False),
        (50, 2, 39, True),
        (50, 0, 40, False),  # without the excused two, 40 of 50 is exactly 4/5: not more
        (5, 0, 4, False),
        (5, 0, 5, True),
    ],
)
def test_a1_quorum_is_strictly_more_than_four_fifths(due: int, excused: int, present: int, valid: bool) -> None:
    assert quorum_met(due=due, present=present, excused=excused) is valid
    result = totals({"甲": present}, seats=1, due=due, present=present, excused=excused)
    assert result.valid is valid
    assert result.reason.endswith("选举无效") is not valid or "收回选票" in result.reason


@pytest.mark.parametrize(("due", "excused", "needed"), [(100, 0, 81), (10, 0, 9), (50, 2, 39), (48, 0, 39), (1, 0, 1)])
def test_a1_quorum_needed(due: int, excused: int, needed: int) -> None:
    assert quorum_needed(due=due, excused=excused) == needed


def test_a1_reason_names_the_rule_and_the_numbers() -> None:
    ok = totals({"甲": 81}, seats=1, due=100, present=81)
    assert "到会有选举权的党员81人,超过应到会人数100人的五分之四,选举有效" in ok.reason
    void = totals({"甲": 80}, seats=1, due=100, present=80)
    assert void.reason == "到会有选举权的党员80人,未超过应到会人数100人的五分之四(至少需81人),选举无效"
    assert void.elected == () and void.seats_left == 1 and void.next_ballot_rule == "A1"


def test_a1a_excused_are_subtracted_from_due_and_named() -> None:
    result = totals({"甲": 39}, seats=1, due=50, present=39, excused=2)
    assert result.valid
    assert "应到会人数50人(经批准不计入2人后为48人)" in result.reason
    assert result.due_effective == 48 and result.quorum_needed == 39


# --- A3 majority of those present -----------------------------------------------------------------------------


@pytest.mark.parametrize(("present", "needed"), [(80, 41), (81, 41), (9, 5), (10, 6), (1, 1)])
def test_a3_majority_needed(present: int, needed: int) -> None:
    assert majority_needed(present) == needed
    assert has_majority(needed, present) and not has_majority(needed - 1, present)


def test_a3_forty_of_eighty_fails_forty_one_wins() -> None:
    result = totals({"甲": 41, "乙": 40}, seats=2, present=80)
    assert result.elected == ("甲",)
    assert result.passed_majority("甲") and not result.passed_majority("乙")
    assert result.majority_needed == 41


def test_a3_counts_those_present_not_valid_ballots() -> None:
    # 80 present, 60 ballots returned: 35 is more than half of the valid ballots but not of those present.
    result = totals({"甲": 35, "乙": 41}, seats=2, present=80, issued=80, returned=60)
    assert result.elected == ("乙",)


# --- A4 more pass than seats; a tie at the last seat ---------------------------------------------------------


def test_a4_example_tie_at_last_seat_goes_to_another_ballot() -> None:
    result = totals({"A": 60, "B": 55, "C": 50, "D": 50}, seats=3, present=80)
    assert result.elected == ("A", "B")
    assert set(result.next_ballot_candidates) == {"C", "D"}
    assert result.seats_left == 1 and result.next_ballot_rule == "A4"
    assert any("另行投票" in note for note in result.notes)


def test_a4_more_pass_than_seats_take_by_votes() -> None:
    result = totals({"A": 60, "B": 55, "C": 50, "D": 45}, seats=3, present=80)
    assert result.elected == ("A", "B", "C") and result.seats_left == 0 and result.next_ballot_candidates == ()


def test_a4_tie_within_the_seats_elects_both() -> None:
    result = totals({"A": 60, "B": 55, "C": 55, "D": 45}, seats=3, present=80)
    assert set(result.elected) == {"A", "B", "C"} and result.seats_left == 0


def test_a4_tie_reaching_above_the_cut_sends_all_tied() -> None:
    result = totals({"A": 60, "B": 50, "C": 50, "D": 50}, seats=3, present=80)
    assert result.elected == ("A",) and result.seats_left == 2
    assert set(result.next_ballot_candidates) == {"B", "C", "D"}


def test_a4_tie_with_exactly_seats_passing_is_no_tie() -> None:
    result = totals({"A": 60, "B": 50, "C": 50, "D": 30}, seats=3, present=80)
    assert set(result.elected) == {"A", "B", "C"} and result.seats_left == 0


# --- A5 fewer pass than seats ---------------------------------------------------------------------------------


def test_a5_five_seats_three_pass_two_seat_further_ballot() -> None:
    votes = {"A": 70, "B": 60, "C": 50, "D": 40, "E": 30, "F": 20}
    result = totals(votes, seats=5, present=80)
    assert result.elected == ("A", "B", "C")
    assert result.seats_left == 2 and result.next_ballot_rule == "A5"
    assert result.next_ballot_candidates == ("D", "E", "F")  # the others, by votes
    assert "D" not in result.elected  # 40 of 80 is never elected
    # A11 margin on the further ballot: 2 seats → at least 3 names, by votes.
    assert result.further_ballot_shortlist == ("D", "E", "F")
    assert any("减少名额" in note for note in result.notes)


def test_a5_shortlist_keeps_ties_at_the_margin_cut() -> None:
    votes = {"A": 70, "B": 30, "C": 20, "D": 20, "E": 10}
    result = totals(votes, seats=2, present=80)
    assert result.elected == ("A",)
    assert result.further_ballot_shortlist[:1] == ("B",) and set(result.further_ballot_shortlist) == {"B", "C", "D"}


def test_a5_nobody_passes() -> None:
    result = totals({"A": 40, "B": 40}, seats=1, present=80)
    assert result.elected == () and result.seats_left == 1 and set(result.next_ballot_candidates) == {"A", "B"}


# --- A6 ballots returned --------------------------------------------------------------------------------------


def test_a6_returned_above_issued_voids() -> None:
    result = totals({"甲": 50}, seats=1, present=80, issued=80, returned=81)
    assert not result.valid
    assert result.reason == "收回选票81张,多于发出选票80张,选举无效,应重新选举"
    assert result.next_ballot_rule == "A6" and result.seats_left == 1 and result.elected == ()
    assert any(f.code == "K4" for f in result.findings)


def test_a6_returned_below_issued_is_valid_with_k7_warning() -> None:
    result = totals({"甲": 50}, seats=1, present=80, issued=80, returned=79)
    assert result.valid and result.elected == ("甲",)
    assert [f.code for f in result.findings] == ["K7"]


def test_a1_and_a6_both_listed_when_both_fail() -> None:
    inp = TallyInput(1, 100, 80, 80, 81, ("甲",), ())
    result = tally(inp)
    assert ["五分之四" in result.void_reasons[0], "收回选票" in result.void_reasons[1]] == [True, True]


# --- A7 / A8 per ballot ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("marks", "write_ins", "valid"),
    [
        ({"王一": F, "李二": F, "张三": F, "刘四": A}, (), True),  # 3 for, 3 seats
        ({"王一": X, "李二": A, "张三": X, "刘四": A}, (), True),  # 0 for
        ({}, (), True),  # a blank ballot: every name abstains
        ({"王一": F, "李二": F, "张三": F, "刘四": F}, (), False),  # 4 for → A7
        ({"王一": F, "李二": F, "张三": A, "刘四": X}, ("赵五",), True),  # 2 for + 1 write-in = 3
        ({"王一": F, "李二": F, "张三": F, "刘四": A}, ("赵五",), False),  # 3 for + 1 write-in → A7
        ({"王一": F, "李二": X, "张三": X, "刘四": X}, ("赵五",), True),  # write-in with no 不赞成: the write-in void
        ({"王一": A, "李二": X, "张三": X, "刘四": X}, ("赵五", "钱六"), True),  # 2 write-ins, 1 不赞成: both void
        ({"王一": A, "李二": A, "张三": F, "刘四": X}, ("赵五", "钱六"), True),
        ({"王一": A, "李二": X, "张三": X, "刘四": X}, ("  ",), True),  # an empty write-in line is no write-in
    ],
)
def test_a7_a8_ballot_validity(marks: dict[str, Mark], write_ins: tuple[str, ...], valid: bool) -> None:
    reading = read_ballot(Ballot(marks, write_ins), seats=3, candidates=NAMES)
    assert reading.valid is valid
    if not valid:
        assert "多于" in reading.reason and not re.search(r"[AK][0-9]", reading.reason)


def test_a8_reasons_name_the_rule() -> None:
    """A void write-in is explained, the ballot stays valid (see tests/elections/test_write_ins.py); A7's reason."""
    unbacked = read_ballot(Ballot({"王一": F}, ("赵五",)), seats=3, candidates=NAMES)
    assert unbacked.valid and "《中国共产党基层组织选举工作条例》第二十五条" in unbacked.note
    over = read_ballot(Ballot(dict.fromkeys(NAMES, F)), seats=3, candidates=NAMES)
    assert over.reason == "赞成4人(含另选他人),多于应选名额3名"


def test_a8_a_name_voted_twice_on_one_ballot_counts_once() -> None:
    reading = read_ballot(Ballot({"王一": F, "李二": A}, ("王一",)), seats=3, candidates=NAMES)
    assert reading.valid and reading.votes_for == ("王一",)


def test_a8_write_in_who_passes_and_ranks_is_elected() -> None:
    good = Ballot({"王一": F, "李二": A, "张三": X, "刘四": X}, ("赵五",))
    other = Ballot({"王一": F, "李二": F, "张三": X, "刘四": X})
    result = tally(TallyInput(2, 10, 10, 10, 10, NAMES, (good,) * 6 + (other,) * 4))
    assert result.votes["赵五"] == 6 and result.votes["王一"] == 10
    assert result.elected == ("王一", "赵五")
    assert result.next_ballot_candidates == ()
    assert any("另选他人" in note for note in result.notes)


def test_invalid_ballots_count_for_nobody_and_are_explained() -> None:
    bad = Ballot(dict.fromkeys(NAMES, F))
    good = Ballot({"王一": F})
    result = tally(TallyInput(3, 10, 10, 10, 10, NAMES, (bad,) + (good,) * 9))
    assert result.valid_ballots == 9 and result.invalid_ballots == 1
    assert result.votes == {"王一": 9, "李二": 0, "张三": 0, "刘四": 0}
    assert result.invalid_ballot_reasons == ("第1张:赞成4人(含另选他人),多于应选名额3名",)
    assert result.elected == ("王一",) and result.seats_left == 2


def test_against_and_abstain_counted_per_name() -> None:
    result = tally(TallyInput(1, 3, 3, 3, 3, ("甲", "乙"), (Ballot({"甲": F, "乙": A}), Ballot({"甲": A}), Ballot({}))))
    assert result.votes == {"甲": 1, "乙": 0}
    assert result.against == {"甲": 1, "乙": 1} and result.abstain == {"甲": 1, "乙": 2}


# --- Impossible input -----------------------------------------------------------------------------------------


def test_ballots_entered_must_match_returned() -> None:
    with pytest.raises(TallyInputError) as info:
        tally(TallyInput(1, 10, 10, 10, 10, ("甲",), (Ballot({"甲": F}),)))
    assert info.value.findings[0].code == "K3"


@pytest.mark.parametrize(
    ("due", "excused", "present", "issued", "code"),
    [(10, 0, 11, 10, "K1"), (10, 2, 9, 9, "K1"), (10, 0, 10, 11, "K2"), (2, 2, 0, 0, "K1")],
)
def test_impossible_numbers_raise(due: int, excused: int, present: int, issued: int, code: str) -> None:
    with pytest.raises(TallyInputError) as info:
        tally(TallyInput(1, due, present, issued, 0, ("甲",), (), excused=excused))
    assert code in [f.code for f in info.value.findings]
    assert str(info.value) and code not in str(info.value)  # the rule in words, not its code


def test_unknown_name_on_a_ballot_is_an_input_error() -> None:
    with pytest.raises(ValueError, match="不在候选人名单中"):
        read_ballot(Ballot({"无名": F}), seats=1, candidates=NAMES)


def test_duplicate_candidates_refused() -> None:
    with pytest.raises(TallyInputError):
        tally(TallyInput(1, 10, 10, 10, 0, ("甲", "甲"), ()))


def test_totals_with_blocking_errors_raise() -> None:
    with pytest.raises(TallyInputError) as info:
        tally_totals(
            seats=1,
            due=10,
            present=10,
            ballots_issued=10,
            ballots_returned=10,
            valid_ballots=9,
            invalid_ballots=0,
            votes={"甲": 9},
        )
    assert [f.code for f in info.value.findings] == ["K3"]


# --- Properties -----------------------------------------------------------------------------------------------

CANDIDATE_POOL = ("王一", "李二", "张三", "刘四", "陈五", "周六")
WRITE_IN_POOL = ("赵七", "黄八")


@st.composite
def meetings(draw: st.DrawFn) -> TallyInput:
    candidates = tuple(draw(st.lists(st.sampled_from(CANDIDATE_POOL), min_size=1, max_size=6, unique=True)))
    seats = draw(st.integers(1, len(candidates)))
    present = draw(st.integers(1, 25))
    due = draw(st.integers(present, present * 5 // 4))  # keeps 5 * present > 4 * due: the vote stands
    if not 5 * present > 4 * due:
        due = present
    issued = draw(st.integers(0, present))
    returned = draw(st.integers(0, issued))
    ballot = st.builds(
        Ballot,
        st.dictionaries(st.sampled_from(candidates), st.sampled_from(list(Mark)), max_size=len(candidates)),
        st.lists(st.sampled_from(WRITE_IN_POOL + candidates), max_size=2).map(tuple),
    )
    cast = tuple(draw(st.lists(ballot, min_size=returned, max_size=returned)))
    return TallyInput(seats, due, present, issued, returned, candidates, cast)


@settings(max_examples=300, deadline=None)
@given(meetings())
def test_property_never_more_than_seats_never_at_or_below_half(inp: TallyInput) -> None:
    result = tally(inp)
    assert result.valid
    assert len(result.elected) <= inp.seats
    assert len(result.elected) + result.seats_left == inp.seats
    for name in result.elected:
        assert 2 * result.votes[name] > inp.present
    assert set(result.elected) <= {name for name, count in result.votes.items() if count > 0}
    assert sum(result.votes.values()) <= result.valid_ballots * inp.seats
    assert result.valid_ballots + result.invalid_ballots == inp.ballots_returned
    assert not set(result.elected) & set(result.next_ballot_candidates)


@settings(max_examples=200, deadline=None)
@given(meetings(), st.randoms(use_true_random=False))
def test_property_invariant_to_ballot_order(inp: TallyInput, rnd) -> None:
    shuffled = list(inp.ballots)
    rnd.shuffle(shuffled)
    a = tally(inp)
    b = tally(
        TallyInput(
            inp.seats, inp.due, inp.present, inp.ballots_issued, inp.ballots_returned, inp.candidates, tuple(shuffled)
        )
    )

    # Everything but the ballot numbers in the explanations (invalid ballots, void write-ins) is the same.
    def general(r):
        return replace(r, invalid_ballot_reasons=(), notes=tuple(n for n in r.notes if not n.startswith("第")))

    def per_ballot(r):
        return sorted(line.split(":", 1)[1] for line in (*r.invalid_ballot_reasons, *r.notes) if line.startswith("第"))

    assert general(a) == general(b)
    assert per_ballot(a) == per_ballot(b)


@settings(max_examples=200, deadline=None)
@given(meetings())
def test_property_a_tie_at_the_cut_elects_none_of_the_tied(inp: TallyInput) -> None:
    result = tally(inp)
    if result.next_ballot_rule == "A4":
        tied = result.next_ballot_candidates
        assert len({result.votes[name] for name in tied}) == 1
        assert len(tied) > result.seats_left
        assert not set(tied) & set(result.elected)
        assert all(result.votes[e] > result.votes[tied[0]] for e in result.elected)
    # Whatever the rule: no elected name has as few votes as a passing name left out.
    left_out = [n for n in result.passed if n not in result.elected]
    for name in left_out:
        assert all(result.votes[e] > result.votes[name] for e in result.elected)


@settings(max_examples=200, deadline=None)
@given(meetings())
def test_property_ballots_and_totals_agree(inp: TallyInput) -> None:
    by_ballot = tally(inp)
    by_totals = tally_totals(
        seats=inp.seats,
        due=inp.due,
        present=inp.present,
        ballots_issued=inp.ballots_issued,
        ballots_returned=inp.ballots_returned,
        valid_ballots=by_ballot.valid_ballots,
        invalid_ballots=by_ballot.invalid_ballots,
        votes=by_ballot.votes,
        candidates=inp.candidates,
    )
    assert by_totals.elected == by_ballot.elected
    assert by_totals.next_ballot_candidates == by_ballot.next_ballot_candidates
    assert by_totals.seats_left == by_ballot.seats_left
    assert by_totals.reason == by_ballot.reason
