"""The township's public notice (公示) of a batch of preliminary grades, and the objections raised during it or
against the district's result. Writes go through ``grading.services.notices`` and ``grading.services.objections``.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

from grading.models.assessments import Assessment
from grading.models.campaigns import Campaign
from grading.rules import grades as rules


class Notice(models.Model):
    """公示: a batch of a township's assessments published for N days (D1: from the day after publication).

    Open or closed is derived from the dates and today's date (``core.workdays``/``timezone.localdate``), not
    from a stored flag: the notice closes on time even if no worker ran.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="notices", verbose_name="年度")
    township = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="grading_notices", verbose_name="乡镇"
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("公示说明", blank=True)
    contact = models.CharField("异议受理联系方式", max_length=200, blank=True)
    published_on = models.DateField("发布日期")
    starts_on = models.DateField("公示开始")
    ends_on = models.DateField("公示结束")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="发布人"
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="创建时间")

    class Meta:
        verbose_name = "公示"
        verbose_name_plural = "公示"
        ordering = ["-published_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def is_open_on(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def is_closed_on(self, day: date) -> bool:
        return day > self.ends_on


class ObjectionStage(models.TextChoices):
    NOTICE = "notice", "公示期间"
    DISTRICT = "district", "审定后异议期"


class ObjectionOutcome(models.TextChoices):
    PENDING = "pending", "待处理"
    UPHELD = "upheld", "异议成立,已调整"
    REJECTED = "rejected", "异议不成立,维持原等次"


class Objection(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="objections", verbose_name="分类定级评定"
    )
    stage = models.CharField("阶段", max_length=10, choices=ObjectionStage.choices)
    raised_by_name = models.CharField("提出人", max_length=60)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="提出人",
    )
    content = models.TextField("异议内容")
    evidence = models.FileField("有关材料", upload_to="grading/objections/%Y/", blank=True)
    raised_on = models.DateField("提出日期")
    outcome = models.CharField(
        "处理结果", max_length=10, choices=ObjectionOutcome.choices, default=ObjectionOutcome.PENDING
    )
    answer = models.TextField("答复", blank=True)
    new_grade = models.CharField("调整后等次", max_length=12, choices=rules.Grade.choices, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="答复人",
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "异议"
        verbose_name_plural = "异议"
        ordering = ["assessment", "raised_on", "pk"]

    def __str__(self) -> str:
        return f"{self.assessment} 异议({self.get_outcome_display()})"

    @property
    def is_pending(self) -> bool:
        return self.outcome == ObjectionOutcome.PENDING
