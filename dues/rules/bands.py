"""Party dues (党费): each member's monthly amount from their category and base, by the bands of
《关于中国共产党党费收缴、使用和管理的规定》(中组发〔2008〕3号, "the regulation" below; P1–P3 of docs/domain.md).

Pure: plain values in, plain values out. Money is ``Decimal`` to the fen (分, two places); every amount is rounded
once, at the end, half up (P2: the regulation gives no rounding rule; rounding to the nearest fen, a half fen up, is
the common practice and what a cashier's calculator does). The bands themselves are data: ``fixtures/dues_bands.json``,
checked by ``fixtures/reader.py``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db.models import TextChoices

from fixtures import reader

FEN = Decimal("0.01")
HUNDRED = Decimal(100)
MAX_BASE = Decimal("10000000")  # a monthly income above ten million 元 is a typing error, not a base

_BANDS = reader.dues_bands()
SOURCE = _BANDS.source
CATEGORIES: dict[str, reader.DuesCategory] = {c.code: c for c in _BANDS.categories}

Category = TextChoices(  # type: ignore[misc]
    "Category", [(c.code.upper(), (c.code, c.label)) for c in _BANDS.categories]
)


class DuesRuleError(ValueError):
    """A declaration the rules refuse; the message is Chinese and names the rule and the numbers."""


def to_fen(value: Decimal) -> Decimal:
    """P2: rounded to the fen, half up (0.125 → 0.13; 0.124 → 0.12)."""
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def money(value: Any) -> Decimal:
    """A typed amount as Decimal (refusing what is not a number), not yet rounded."""
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise DuesRuleError(f"“{value}”不是有效的金额") from None
    if not number.is_finite():
        raise DuesRuleError(f"“{value}”不是有效的金额")
    return number


def takes_base(category: str) -> bool:
    """P1: the categories whose dues are a percent of a monthly base (在职, 离退休)."""
    return bool(CATEGORIES[category].bands)


def chooses_amount(category: str) -> bool:
    """P1: the categories that choose their monthly amount within a range (农民: 0.2–1 元)."""
    return CATEGORIES[category].minimum is not None


def percent_for(category: str, base: Decimal) -> Decimal:
    """P1: the percent of the base a member of a percent category pays. A band's upper limit belongs to it
    ("3000元以下(含3000元)"): 3000.00 → 0.5 %, 3000.01 → 1 %."""
    bands = CATEGORIES[category].bands
    if not bands:
        raise DuesRuleError(f"“{CATEGORIES[category].label}”党员按固定数额交纳党费,不按比例计算")
    for band in bands:
        if band.up_to is None or base <= band.up_to:
            return band.percent
    raise AssertionError("the last band has no upper limit (fixtures/reader.py checks it)")


def check_declaration(category: str, base: Decimal | None, chosen: Decimal | None) -> None:
    """P1: what a declaration needs for its category, refused with the rule in words."""
    if category not in CATEGORIES:
        raise DuesRuleError("请选择党员的交纳类别")
    spec = CATEGORIES[category]
    if spec.bands:
        if base is None:
            raise DuesRuleError(f"{spec.label}党员应填写计算基数({spec.base})")
        if base <= 0:
            raise DuesRuleError(f"{spec.label}党员的计算基数({spec.base})应大于0元")
        if base > MAX_BASE:
            raise DuesRuleError(f"计算基数{base}元超出合理范围,请核对")
        if base != to_fen(base):
            raise DuesRuleError("计算基数最多填到分(两位小数)")
    if spec.minimum is not None and spec.maximum is not None:
        if chosen is None:
            raise DuesRuleError(f"{spec.label}党员每月交纳{spec.minimum}元至{spec.maximum}元,请填写每月交纳数额")
        if not spec.minimum <= chosen <= spec.maximum or chosen != to_fen(chosen):
            raise DuesRuleError(
                f"{spec.label}党员每月交纳{spec.minimum}元至{spec.maximum}元({SOURCE}),填写的{chosen}元不在此范围内"
            )


def monthly_due(
    category: str,
    base: Decimal | None = None,
    *,
    chosen: Decimal | None = None,
    reduced_to: Decimal | None = None,
) -> Decimal:
    """P1–P3: the amount due each month, to the fen.

    * a percent category (在职, 离退休): the base × the band's percent, rounded once (P2);
    * 农民: the amount chosen within 0.2–1 元; 学生, 下岗失业, 依靠抚恤或救济, 低保: 0.2 元;
    * ``reduced_to``: 少交或免交 (交纳党费确有困难,经党支部研究、报上一级党委批准, P3): that amount, never more than
      the band's (0 for 免交). Paying more than due is 自愿多交 and never owed (P3), so it is no part of this amount.
    """
    check_declaration(category, base, chosen)
    spec = CATEGORIES[category]
    if spec.bands:
        assert base is not None
        due = to_fen(base * percent_for(category, base) / HUNDRED)
    elif spec.amount is not None:
        due = spec.amount
    else:
        assert chosen is not None
        due = to_fen(chosen)
    if reduced_to is not None:
        if reduced_to < 0 or reduced_to != to_fen(reduced_to):
            raise DuesRuleError("少交后的数额应为不小于0、最多到分的金额(免交填0)")
        if reduced_to >= due:
            raise DuesRuleError(f"少交后的数额{reduced_to}元应少于按标准应交的{due}元")
        due = reduced_to
    return due
