"""Annual classification (分类定级): the campaign of a year and its scoring templates.

A campaign holds the year's deadlines, notice length, objection window and 好 cap; its templates (a default
one, plus variants per 领域) hold five dimensions of items whose maxima sum to 100 (C2, C7). Writes go through
``grading.services.campaigns``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from grading.rules import grades as rules
from organizations.models import OrgField


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "筹备中"
    OPEN = "open", "进行中"
    CLOSED = "closed", "已结束"


class Campaign(models.Model):
    year = models.PositiveSmallIntegerField(
        "年度", unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField("名称", max_length=100)
    status = models.CharField("状态", max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    self_assessment_due = models.DateField("自查自评截止")
    township_review_due = models.DateField("乡镇初审截止")
    district_review_due = models.DateField("区委组织部审定截止")
    regrade_request_due = models.DateField("申请复核截止")
    regrade_due = models.DateField("复核定级截止")
    notice_days = models.PositiveSmallIntegerField(
        "公示天数",
        default=rules.NOTICE_DAYS_DEFAULT,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text="自公示发布次日起算",
    )
    objection_working_days = models.PositiveSmallIntegerField(
        "异议期(工作日)",
        default=rules.OBJECTION_WORKING_DAYS_DEFAULT,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    good_cap_percent = models.DecimalField(
        "“好”等次比例上限(%)",
        max_digits=4,
        decimal_places=1,
        default=rules.GOOD_CAP_PERCENT_DEFAULT,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "分类定级年度工作"
        verbose_name_plural = "分类定级年度工作"
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title or f"{self.year}年度基层党组织分类定级"

    @property
    def is_editable(self) -> bool:
        """Templates can change only while the campaign is being prepared."""
        return self.status == CampaignStatus.DRAFT


class ScoringTemplate(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="templates", verbose_name="年度")
    name = models.CharField("名称", max_length=100)
    field = models.CharField(
        "适用领域", max_length=20, choices=OrgField.choices, blank=True, help_text="留空为通用标准(适用于所有领域)"
    )

    class Meta:
        verbose_name = "评分标准"
        verbose_name_plural = "评分标准"
        ordering = ["campaign", "field"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "field"], name="grading_template_one_per_field"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def field_label(self) -> str:
        return self.get_field_display() if self.field else "通用"


class Dimension(models.Model):
    template = models.ForeignKey(
        ScoringTemplate, on_delete=models.CASCADE, related_name="dimensions", verbose_name="评分标准"
    )
    order = models.PositiveSmallIntegerField("序号", default=0)
    name = models.CharField("评价内容", max_length=50)
    max_points = models.DecimalField(
        "分值", max_digits=4, decimal_places=1, validators=[MinValueValidator(Decimal("0"))]
    )

    class Meta:
        verbose_name = "评价维度"
        verbose_name_plural = "评价维度"
        ordering = ["template", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="items", verbose_name="评价维度")
    order = models.PositiveSmallIntegerField("序号", default=0)
    text = models.CharField("评分项目", max_length=200)
    guidance = models.TextField("评分说明", blank=True)
    max_points = models.DecimalField(
        "满分",
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(rules.TEMPLATE_TOTAL)],
    )
    is_veto = models.BooleanField("一票否决项", default=False, help_text="一票否决项不计分(满分为0),触发即定为“较差”")

    class Meta:
        verbose_name = "评分项目"
        verbose_name_plural = "评分项目"
        ordering = ["dimension", "order", "pk"]

    def __str__(self) -> str:
        return self.text


# --- The yearly cycle of one organization -----------------------------------------------------------------


# --- Year-end (总结验收, source part 1 §三(三)) ------------------------------------------------------------------
