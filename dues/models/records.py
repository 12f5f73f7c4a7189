"""Party dues records (党费): a member's declared category and base, the resulting month-by-month ledger, and the
payments recorded against each month (P1–P6 of docs/domain.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dues.rules.bands import Category


class Declaration(models.Model):
    """党费基数核定: a member's category and base for a year from a month on (usually January, for the whole year;
    a pay change applies from the month the new pay is received). The monthly due is computed by the rules and kept
    with the row; the months it governs are the ``DuesMonth`` rows from ``from_month`` to the next declaration."""

    member = models.ForeignKey(
        "organizations.Member", on_delete=models.CASCADE, related_name="dues_declarations", verbose_name="党员"
    )
    year = models.PositiveSmallIntegerField("年度")
    from_month = models.PositiveSmallIntegerField("起始月份", default=1)
    category = models.CharField("交纳类别", max_length=16, choices=Category.choices)
    base = models.DecimalField("计算基数(元)", max_digits=12, decimal_places=2, null=True, blank=True)
    chosen = models.DecimalField("每月自报数额(元)", max_digits=6, decimal_places=2, null=True, blank=True)
    reduced_to = models.DecimalField("批准少交后每月数额(元)", max_digits=10, decimal_places=2, null=True, blank=True)
    reduction_reason = models.CharField("少交或免交的批准情况", max_length=200, blank=True)
    monthly_due = models.DecimalField("每月应交(元)", max_digits=10, decimal_places=2)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="核定人",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "党费基数核定"
        verbose_name_plural = "党费基数核定"
        ordering = ["member", "year", "from_month"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year", "from_month"], name="dues_declaration_once_per_month"),
            models.CheckConstraint(condition=models.Q(from_month__gte=1, from_month__lte=12), name="dues_decl_month"),
        ]

    def __str__(self) -> str:
        return f"{self.member.name} {self.year}年{self.from_month}月起 {self.get_category_display()}"

    @property
    def organization(self):  # for core.audit.record_on
        return self.member.organization


class DuesMonth(models.Model):
    """One member's month in the ledger: what is due (from the declaration in force) and what has been paid for it
    (the sum of its payments). The organization is the member's when the month was set up, so a member who moves
    leaves the months already kept in the organization that kept them."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="dues_months", verbose_name="党组织"
    )
    member = models.ForeignKey(
        "organizations.Member", on_delete=models.CASCADE, related_name="dues_months", verbose_name="党员"
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    due = models.DecimalField("应交(元)", max_digits=10, decimal_places=2)
    paid = models.DecimalField("已交(元)", max_digits=12, decimal_places=2, default=0)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "党费月度台账"
        verbose_name_plural = "党费月度台账"
        ordering = ["member", "year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year", "month"], name="dues_month_once"),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="dues_month_month"),
        ]
        indexes = [models.Index(fields=["organization", "year", "month"], name="dues_month_org_year_idx")]

    def __str__(self) -> str:
        return f"{self.member.name} {self.year}年{self.month}月"


class PaymentVia(models.TextChoices):
    SINGLE = "single", "逐人登记"
    BATCH = "batch", "按支部批量登记"
    IMPORT = "import", "导入往年记录"


class Payment(models.Model):
    """党费收缴记录: one payment for one member's month (several for a month paid in parts)."""

    dues_month = models.ForeignKey(DuesMonth, on_delete=models.CASCADE, related_name="payments", verbose_name="月份")
    amount = models.DecimalField("金额(元)", max_digits=10, decimal_places=2)
    paid_on = models.DateField("交纳日期")
    via = models.CharField("登记方式", max_length=8, choices=PaymentVia.choices, default=PaymentVia.SINGLE)
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "党费收缴记录"
        verbose_name_plural = "党费收缴记录"
        ordering = ["dues_month", "paid_on", "pk"]

    def __str__(self) -> str:
        return f"{self.dues_month} {self.amount}元"
