"""Forms of the dues pages. Amounts are typed in 元 to the fen; the rules give the Chinese refusals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from dues.rules.bands import CATEGORIES, Category
from dues.rules.ledger import MONTHS

MONTH_CHOICES = [(m, f"{m}月") for m in MONTHS]
MONEY = {"max_digits": 12, "decimal_places": 2}
_AMOUNT_MESSAGES = {"invalid": "请填写有效的金额", "max_decimal_places": "金额最多填到分(两位小数)"}


def _money(label: str, *, required: bool = False, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages={**_AMOUNT_MESSAGES, "required": f"请填写{label}"},
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal", "min": "0"}),
        **MONEY,
    )


def _category_help() -> str:
    parts = []
    for c in CATEGORIES.values():
        if c.bands:
            bands = ";".join(f"{'以上' if b.up_to is None else f'{b.up_to}元及以下'}{b.percent}%" for b in c.bands)
            parts.append(f"{c.label}:{bands}")
    return "。".join(parts) + "。农民每月0.2元至1元;学生、下岗失业、依靠抚恤或救济、领取低保的党员每月0.2元。"


class DeclarationForm(forms.Form):
    from_month = forms.TypedChoiceField(label="起始月份", choices=MONTH_CHOICES, coerce=int, initial=1)
    category = forms.ChoiceField(label="交纳类别", choices=Category.choices, help_text=_category_help())
    base = _money("计算基数(元)", help_text="在职党员填每月工资收入(税后),离退休党员填每月实际领取的离退休费或养老金")
    chosen = _money("每月交纳数额(元)", help_text="农民党员填写,0.2元至1元")
    reduced_to = _money(
        "批准少交后每月数额(元)", help_text="仅限经党支部研究、报上一级党委批准少交或免交的党员;免交填0"
    )
    reduction_reason = forms.CharField(label="少交或免交的批准情况", max_length=200, required=False)


class PaymentForm(forms.Form):
    month = forms.TypedChoiceField(label="所属月份", choices=MONTH_CHOICES, coerce=int)
    amount = _money("交纳金额(元)", required=True)
    paid_on = forms.DateField(
        label="交纳日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "请填写交纳日期", "invalid": "请填写有效的日期"},
    )
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args: Any, month: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()
        if month:
            self.fields["month"].initial = month


class PaymentDeleteForm(forms.Form):
    reason = forms.CharField(label="撤销原因", max_length=200, error_messages={"required": "请写明撤销的原因"})


class BatchForm(forms.Form):
    """One amount per member of the month (blank: not paying now), one date for all, and the page's version."""

    paid_on = forms.DateField(
        label="交纳日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "请填写交纳日期", "invalid": "请填写有效的日期"},
    )
    record_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, rows: list[Any], version: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.fields["paid_on"].initial = timezone.localdate()
        self.initial["record_version"] = version
        for row in rows:
            field = _money(row.member.name)
            field.widget.attrs["aria-label"] = f"{row.member.name}本次交纳金额"
            self.fields[f"amount_{row.member.pk}"] = field

    def amounts(self) -> dict[int, Decimal]:
        return {
            row.member.pk: self.cleaned_data[f"amount_{row.member.pk}"]
            for row in self.rows
            if self.cleaned_data.get(f"amount_{row.member.pk}") is not None
        }

    def pairs(self) -> list[tuple[Any, Any]]:
        """(row, bound field) for the template."""
        return [(row, self[f"amount_{row.member.pk}"]) for row in self.rows]


class ImportForm(forms.Form):
    file = forms.FileField(label="往年党费收缴表(.xlsx)", error_messages={"required": "请选择要导入的文件"})
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


def year_from(value: Any, today: date) -> int:
    """The year of a page (``?year=``), the current one when missing or unreadable; from 2008 (the regulation) to
    next year."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return today.year
    return year if 2008 <= year <= today.year + 1 else today.year
