"""Categories from grades and the management that follows them (source part 1 §三(二)1–3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from grading.rules.grades import Category


class CategorySource(models.TextChoices):
    GRADE = "grade", "按最终等次确定"
    HAND = "hand", "区委组织部认定"


class CategoryAssignment(models.Model):
    """One row per change of an organization's category: history is kept, the current one is the latest row."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="category_assignments",
        verbose_name="党组织",
    )
    year = models.PositiveSmallIntegerField("年度")
    category = models.CharField("类别", max_length=12, choices=Category.choices)
    since = models.DateField("认定日期")
    source = models.CharField("依据", max_length=8, choices=CategorySource.choices)
    source_assessment = models.ForeignKey(
        "grading.Assessment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="category_assignments",
        verbose_name="来源评定",
    )
    # Which finalization of the assessment this row answers (a year-end re-grade finalizes it again): the grade
    # event may be published twice, and the second time must create nothing.
    source_finalized_at = models.DateTimeField("来源定级时间", null=True, blank=True)
    grade = models.CharField("等次", max_length=12, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="认定人",
    )
    reason = models.TextField("理由", blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "分类认定"
        verbose_name_plural = "分类认定"
        ordering = ["organization", "-year", "-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "-year", "-created_at", "-id"], name="rect_category_current_idx")
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year} {self.get_category_display()}"


class Showcase(models.Model):
    """全区党建示范点: the district names a particularly good 红旗支部 (part 1 §三(二)1)."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="showcases", verbose_name="党组织"
    )
    year = models.PositiveSmallIntegerField("年度")
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="确定人"
    )
    designated_at = models.DateTimeField("确定时间", auto_now_add=True)
    note = models.TextField("推荐理由", blank=True)

    class Meta:
        verbose_name = "党建示范点"
        verbose_name_plural = "党建示范点"
        ordering = ["-year", "organization__path", "pk"]
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="rect_showcase_once_a_year")]

    def __str__(self) -> str:
        return f"{self.organization}({self.year}年示范点)"


class LiaisonKind(models.TextChoices):
    # Part 1 §三(二)3: "指定一名党员领导干部和一名机关干部挂点联系包干".
    LEADING_CADRE = "leading_cadre", "党员领导干部"
    ORGAN_CADRE = "organ_cadre", "机关干部"


class Liaison(models.Model):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="liaisons", verbose_name="党组织"
    )
    person_name = models.CharField("姓名", max_length=40)
    position = models.CharField("职务", max_length=60, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="系统账号",
        help_text="填写后授予“挂点联系领导”角色,可查看该组织并报告整改进展",
    )
    kind = models.CharField("类别", max_length=16, choices=LiaisonKind.choices)
    duties = models.TextField("包干责任")
    since = models.DateField("开始日期")
    until = models.DateField("结束日期", null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="指定人"
    )

    class Meta:
        verbose_name = "挂点联系干部"
        verbose_name_plural = "挂点联系干部"
        ordering = ["organization__path", "kind", "-since", "-pk"]

    def __str__(self) -> str:
        return f"{self.person_name}({self.get_kind_display()},{self.organization})"


class Pairing(models.Model):
    """结对共建: a 后进支部 paired with a 红旗支部 (part 1 §三(二)3)."""

    lagging = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="pairings", verbose_name="后进支部"
    )
    red_flag = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="pairings_leading", verbose_name="红旗支部"
    )
    since = models.DateField("开始日期")
    until = models.DateField("结束日期", null=True, blank=True)
    note = models.TextField("共建内容", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="创建人"
    )

    class Meta:
        verbose_name = "结对共建"
        verbose_name_plural = "结对共建"
        ordering = ["lagging__path", "-since", "-pk"]

    def __str__(self) -> str:
        return f"{self.lagging} ↔ {self.red_flag}"


class Helper(models.Model):
    """A named person who guides a 赶超支部 (part 1 §三(二)2: 可以指定专人负责)."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="helpers", verbose_name="党组织"
    )
    person_name = models.CharField("姓名", max_length=40)
    position = models.CharField("职务", max_length=60, blank=True)
    duties = models.TextField("帮扶内容", blank=True)
    since = models.DateField("开始日期")
    until = models.DateField("结束日期", null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="指派人"
    )

    class Meta:
        verbose_name = "赶超支部帮扶人"
        verbose_name_plural = "赶超支部帮扶人"
        ordering = ["organization__path", "-since", "-pk"]

    def __str__(self) -> str:
        return f"{self.person_name}({self.organization})"


class GradeApplication(models.Model):
    """Each finalization of a grade that rectification has applied: the subscriber's idempotence key and what the
    catch-up sweep compares against (a year-end re-grade finalizes the same assessment again, with a new time)."""

    assessment = models.ForeignKey(
        "grading.Assessment", on_delete=models.CASCADE, related_name="+", verbose_name="分类定级评定"
    )
    finalized_at = models.DateTimeField("定级时间")
    grade = models.CharField("等次", max_length=12)
    applied_at = models.DateTimeField("处理时间", auto_now_add=True)

    class Meta:
        verbose_name = "已处理的定级结果"
        verbose_name_plural = "已处理的定级结果"
        constraints = [models.UniqueConstraint(fields=["assessment", "finalized_at"], name="rect_grade_applied_once")]

    def __str__(self) -> str:
        return f"{self.assessment} {self.finalized_at:%Y-%m-%d %H:%M}"
