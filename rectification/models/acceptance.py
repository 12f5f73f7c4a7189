"""Acceptance (检查验收, part 4 §四(三)) and supervision (督查, part 1 §三(二)4; part 4 §五(二))."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from rectification.models.cases import Case, Measure


class Acceptance(models.Model):
    """One acceptance attempt. Never edited: a failed one stays in the history and a new attempt is a new row."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="acceptances", verbose_name="整顿案件")
    held_on = models.DateField("验收日期")
    self_check = models.TextField("对照方案自查自纠情况")
    # Member and resident representatives' evaluation (党员代表和村民代表会议测评)
    representatives_total = models.PositiveSmallIntegerField("参加测评代表人数")
    satisfied = models.PositiveSmallIntegerField("满意")
    basically_satisfied = models.PositiveSmallIntegerField("基本满意")
    unsatisfied = models.PositiveSmallIntegerField("不满意")
    # The organization department's inspection: 听汇报、查资料、看现场、访群众
    report_passed = models.BooleanField("听汇报通过", default=False)
    report_findings = models.TextField("听汇报情况", blank=True)
    records_passed = models.BooleanField("查资料通过", default=False)
    records_findings = models.TextField("查资料情况", blank=True)
    site_passed = models.BooleanField("看现场通过", default=False)
    site_findings = models.TextField("看现场情况", blank=True)
    masses_passed = models.BooleanField("访群众通过", default=False)
    masses_findings = models.TextField("访群众情况", blank=True)
    passed = models.BooleanField("验收通过")
    reasons = models.TextField("未通过原因", blank=True)
    opinion = models.TextField("验收意见", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="验收人"
    )
    decided_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "检查验收"
        verbose_name_plural = "检查验收"
        ordering = ["case", "-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.held_on} {'通过' if self.passed else '未通过'}"


class AcceptanceIssue(models.Model):
    """An item the representatives were not satisfied with: rectified within a deadline (限期整改)."""

    acceptance = models.ForeignKey(Acceptance, on_delete=models.CASCADE, related_name="issues", verbose_name="验收")
    text = models.TextField("不满意事项")
    deadline = models.DateField("整改期限")
    # The ledger measure that carries the item back into 整顿提高, so overdue checks and progress see it.
    measure = models.OneToOneField(
        Measure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="acceptance_issue",
        verbose_name="整改措施",
    )

    class Meta:
        verbose_name = "验收不满意事项"
        verbose_name_plural = "验收不满意事项"
        ordering = ["acceptance", "deadline", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class SupervisionLevel(models.TextChoices):
    DISTRICT = "district", "区委组织部督查"  # part 1 §三(二)4
    TOWNSHIP = "township", "街道(乡镇)党委督导"  # part 4 §五(二)


class SupervisionVisit(models.Model):
    """A supervision visit to one case, or to a township's rectification work as a whole."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="supervision_visits",
        verbose_name="督查对象",
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervision_visits",
        verbose_name="整顿案件",
    )
    level = models.CharField("督查层级", max_length=10, choices=SupervisionLevel.choices)
    visited_on = models.DateField("督查日期")
    findings = models.TextField("督查发现")
    follow_up = models.TextField("整改要求", blank=True)
    follow_up_due = models.DateField("整改期限", null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="督查人"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "督查记录"
        verbose_name_plural = "督查记录"
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.organization} {self.visited_on}督查"
