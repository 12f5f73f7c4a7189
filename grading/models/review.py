"""How the district checked a township's submission (第一篇 三(一)3(1): "采取实地了解、召开座谈会、个别访谈、
听取纪检部门意见等形式,对基层党(工)委的评价意见进行评估"): one row per check,
with its method, date, notes and an attachment. Writes go through ``grading.services.review_evidence``."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from grading.models.assessments import Assessment
from grading.models.campaigns import Campaign


class ReviewMethod(models.TextChoices):
    SITE_VISIT = "site_visit", "实地了解"
    FORUM = "forum", "召开座谈会"
    INTERVIEW = "interview", "个别访谈"
    DISCIPLINE = "discipline", "听取纪检部门意见"


class ReviewEvidence(models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="review_evidence", verbose_name="年度分类定级"
    )
    township = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="乡镇(街道)"
    )
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="review_evidence",
        verbose_name="涉及的党组织",
    )
    method = models.CharField("考评方式", max_length=12, choices=ReviewMethod.choices)
    held_on = models.DateField("日期")
    notes = models.TextField("情况记录")
    file = models.FileField("附件", upload_to="grading/review/%Y/", blank=True)
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="记录人"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "综合考评记录"
        verbose_name_plural = "综合考评记录"
        ordering = ["township__path", "held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.township} {self.get_method_display()} {self.held_on}"
