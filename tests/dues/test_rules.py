"""The dues rules P1–P6 (docs/domain.md): every band on each side of each limit, rounding, arrears, the rate and the
six-month signal. Source: 《关于中国共产党党费收缴、使用和管理的规定》(中组发〔2008〕3号); 党章 Art. 9. No database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from dues.rules import bands, ledger
from dues.rules.bands import DuesRuleError, monthly_due
from dues.rules.ledger import Month, MonthState

# --- P1: the bands ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "percent", "due"),
    [
        # 在职: 3000元以下(含3000元) 0.5%; 3000元以上至5000元(含5000元) 1%; 至10000元(含) 1.5%; 10000元以上 2%
        ("0.01", "0.5", "0.00"),
        ("1", "0.5", "0.01"),  # 0.005 → 0.01 (half up)
        ("2999.99", "0.5", "15.00"),  # 14.99995 → 15.00
        ("3000", "0.5", "15.00"),
        ("3000.01", "1", "30.00"),
        ("4999.99", "1", "50.00"),
        ("5000", "1", "50.00"),
        ("5000.01", "1.5", "75.00"),  # 75.00015 → 75.00
        ("9999.99", "1.5", "150.00"),  # 149.99985 → 150.00
        ("10000", "1.5", "150.00"),
        ("10000.01", "2", "200.00"),
        ("25000", "2", "500.00"),
        ("4321", "1", "43.21"),
        ("6543.21", "1.5", "98.15"),  # 98.14815 → 98.15
    ],
)
def test_employed_members_pay_the_percent_of_their_band(base, percent, due) -> None:
    assert bands.percent_for("employed", D(base)) == D(percent)
    assert monthly_due("employed", D(base)) == D(due)


@pytest.mark.parametrize(
    ("base", "percent", "due"),
    [
        # 离退休: 5000元以下(含5000元) 0.5%, 5000元以上 1%
        ("1200", "0.5", "6.00"),
        ("4999.99", "0.5", "25.00"),
        ("5000", "0.5", "25.00"),
        ("5000.01", "1", "50.00"),
        ("8000", "1", "80.00"),
        ("3333.33", "0.5", "16.67"),  # 16.66665 → 16.67
    ],
)
def test_retired_members_pay_the_percent_of_their_pension(base, percent, due) -> None:
    assert bands.percent_for("retired", D(base)) == D(percent)
    assert monthly_due("retired", D(base)) == D(due)


@pytest.mark.parametrize("category", ["student", "unemployed", "relief", "low_income"])
def test_students_and_members_in_difficulty_pay_twenty_fen(category) -> None:
    assert monthly_due(category) == D("0.20")
    assert monthly_due(category, D("9000")) == D("0.20")  # a base typed by mistake changes nothing


@pytest.mark.parametrize(("chosen", "due"), [("0.2", "0.20"), ("0.5", "0.50"), ("1", "1.00"), ("1.00", "1.00")])
def test_farmers_pay_what_they_chose_between_twenty_fen_and_one_yuan(chosen, due) -> None:
    assert monthly_due("farmer", chosen=D(chosen)) == D(due)


@pytest.mark.parametrize("chosen", ["0.19", "1.01", "0", "0.555"])
def test_a_farmers_amount_outside_the_range_is_refused_with_the_range(chosen) -> None:
    with pytest.raises(DuesRuleError, match="农民党员每月交纳0.2元至1元"):
        monthly_due("farmer", chosen=D(chosen))


def test_a_farmer_without_an_amount_is_asked_for_one() -> None:
    with pytest.raises(DuesRuleError, match="请填写每月交纳数额"):
        monthly_due("farmer")


@pytest.mark.parametrize(
    ("base", "message"),
    [
        (None, "在职党员应填写计算基数(每月工资收入(税后))"),
        ("0", "应大于0元"),
        ("-5", "应大于0元"),
        ("3000.001", "最多填到分"),
        ("10000000.01", "超出合理范围"),
    ],
)
def test_an_employed_member_needs_a_positive_base_to_the_fen(base, message) -> None:
    with pytest.raises(DuesRuleError, match=message.replace("(", r"\(").replace(")", r"\)")):
        monthly_due("employed", None if base is None else D(base))


def test_an_unknown_category_is_refused() -> None:
    with pytest.raises(DuesRuleError, match="请选择党员的交纳类别"):
        monthly_due("cadre", D("3000"))


def test_probationary_members_pay_like_full_members() -> None:
    """The regulation: 预备党员从支部大会通过其为预备党员之日起交纳党费, by the same bands (the status is no input)."""
    assert "status" not in monthly_due.__code__.co_varnames


def test_the_categories_come_from_the_fixture_with_chinese_labels() -> None:
    assert dict(bands.Category.choices) == {
        "employed": "在职",
        "retired": "离退休",
        "farmer": "农民",
        "student": "学生",
        "unemployed": "下岗失业",
        "relief": "依靠抚恤或救济生活",
        "low_income": "领取最低生活保障金",
    }
    assert bands.takes_base("employed") and bands.takes_base("retired") and not bands.takes_base("farmer")
    assert bands.chooses_amount("farmer") and not bands.chooses_amount("student")
    assert "中组发〔2008〕3号" in bands.SOURCE


# --- P2: rounding ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "fen"), [("0.125", "0.13"), ("0.124", "0.12"), ("0.005", "0.01"), ("0.0049", "0.00")]
)
def test_amounts_round_to_the_fen_half_up(value, fen) -> None:
    assert bands.to_fen(D(value)) == D(fen)


@pytest.mark.parametrize("typed", ["abc", "", "1..2", "NaN", "Infinity"])
def test_what_is_not_an_amount_is_refused(typed) -> None:
    with pytest.raises(DuesRuleError, match="不是有效的金额"):
        bands.money(typed)


def test_an_amount_with_a_thousands_separator_reads() -> None:
    assert bands.money(" 3,000.50 ") == D("3000.50")


# --- P3: 少交或免交, 自愿多交 --------------------------------------------------------------------------------------


def test_a_reduction_approved_replaces_the_band_amount() -> None:
    assert monthly_due("employed", D("4000"), reduced_to=D("10")) == D("10")
    assert monthly_due("retired", D("4000"), reduced_to=D("0")) == D("0")  # 免交


@pytest.mark.parametrize(
    ("reduced", "message"), [("40", "应少于按标准应交的40.00元"), ("-1", "不小于0"), ("1.234", "最多到分")]
)
def test_a_reduction_must_be_less_than_the_band_amount(reduced, message) -> None:
    with pytest.raises(DuesRuleError, match=message):
        monthly_due("employed", D("4000"), reduced_to=D(reduced))


def test_paying_more_than_due_is_voluntary_and_owes_nothing_elsewhere() -> None:
    assert ledger.month_state(D("30"), D("100"), closed=True) == MonthState.PAID
    assert ledger.shortfall(D("30"), D("100")) == D("0")
    assert ledger.collected_toward_due(D("30"), D("100")) == D("30")


# --- P4: months, states, arrears, making up ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "today", "closed"),
    [
        (2026, date(2026, 12, 3), 11),
        (2025, date(2026, 12, 3), 12),
        (2027, date(2026, 12, 3), 0),
        (2026, date(2026, 1, 31), 0),
        (2026, date(2026, 2, 1), 1),
    ],
)
def test_a_month_is_owed_once_it_has_ended(year, today, closed) -> None:
    assert ledger.closed_months(year, today) == closed


@pytest.mark.parametrize(
    ("due", "paid", "closed", "state"),
    [
        ("30", "30", True, MonthState.PAID),
        ("30", "29.99", True, MonthState.PARTIAL),
        ("30", "0.01", True, MonthState.PARTIAL),
        ("30", "0", True, MonthState.UNPAID),
        ("30", "0", False, MonthState.OPEN),
        ("0", "0", True, MonthState.EXEMPT),
        (None, "0", True, MonthState.NONE),
    ],
)
def test_the_state_of_a_month(due, paid, closed, state) -> None:
    assert ledger.month_state(None if due is None else D(due), D(paid), closed=closed) == state


def test_arrears_count_closed_months_only_and_what_each_still_owes() -> None:
    months = [
        Month(2026, 9, D("30"), D("30")),
        Month(2026, 10, D("30"), D("10")),
        Month(2026, 11, D("30"), D("0")),
        Month(2026, 12, D("30"), D("0")),  # not closed on 2026-12-03
    ]
    total, owing = ledger.arrears(months, date(2026, 12, 3))
    assert total == D("50")
    assert [m.month for m in owing] == [10, 11]


@pytest.mark.parametrize(
    ("year", "month", "paid_on", "allowed"),
    [
        (2026, 1, date(2026, 7, 31), True),
        (2026, 1, date(2026, 8, 1), False),
        (2025, 9, date(2026, 3, 31), True),
        (2025, 9, date(2026, 4, 1), False),
        (2026, 12, date(2026, 3, 1), True),
    ],
)
def test_a_month_may_be_made_up_within_six_months(year, month, paid_on, allowed) -> None:
    assert ledger.make_up_allowed(year, month, paid_on) is allowed


# --- P5: the collection rate ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "collected", "rate"),
    [
        ("300", "300", "100.0"),
        ("3", "2", "66.7"),
        ("2000", "1999", "100.0"),
        ("2000", "1997", "99.9"),
        ("100", "0", "0.0"),
    ],
)
def test_the_collection_rate_is_collected_toward_due_over_due(due, collected, rate) -> None:
    assert ledger.collection_rate(D(due), D(collected)) == D(rate)


def test_no_rate_when_nothing_was_due() -> None:
    assert ledger.collection_rate(D("0"), D("5")) is None
    assert ledger.collection_rate(None, None) is None


# --- P6: six consecutive months unpaid (党章第九条) ------------------------------------------------------------------


def _months(pattern: str, start=(2025, 12)) -> list[Month]:
    """x: due and unpaid; p: paid; h: partly paid; e: exempt; -: no record."""
    year, month = start
    found = []
    for ch in pattern:
        due = None if ch == "-" else D("0") if ch == "e" else D("30")
        paid = D("30") if ch == "p" else D("5") if ch == "h" else D("0")
        found.append(Month(year, month, due, paid))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def test_five_unpaid_months_are_no_signal_six_are() -> None:
    assert ledger.signal_run(_months("ppppppxxxxxp")) is None
    run = ledger.signal_run(_months("pppppxxxxxxp"))
    assert run is not None and run.length == 6 and run.start == (2026, 5) and run.end == (2026, 10)
    assert not run.ongoing
    assert ledger.months_span(run) == "2026年5月—2026年10月(6个月)"


def test_a_run_reaching_the_last_closed_month_is_ongoing_and_may_cross_the_year() -> None:
    run = ledger.signal_run(_months("xxxxxxxxxxxx"))
    assert run is not None and run.length == 12 and run.start == (2025, 12) and run.ongoing


@pytest.mark.parametrize("breaker", ["p", "h", "e", "-"])
def test_a_paid_partly_paid_exempt_or_unrecorded_month_ends_a_run(breaker) -> None:
    assert ledger.signal_run(_months(f"xxx{breaker}xxx" + "ppppp")) is None


def test_the_longest_run_is_reported() -> None:
    run = ledger.signal_run(_months("xxxxxxpxxxxxxx")[:14])
    assert run is not None and run.length == 7


def test_the_window_is_the_last_twelve_closed_months() -> None:
    assert ledger.window(date(2026, 12, 3)) == [(2025, 12)] + [(2026, m) for m in range(1, 12)]
    assert ledger.window(date(2026, 1, 15), 2) == [(2025, 11), (2025, 12)]
