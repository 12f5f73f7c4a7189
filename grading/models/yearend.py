"""Year-end (总结验收): re-grading requests and their supplements, the grade history of every organization, the
district's year-end settings, the township summaries with their experience papers, and the excellence award.
Writes go through ``grading.services.yearend``, ``grading.services.regrade`` and
``grading.services.yearend_summaries``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from grading.models.assessments import Assessment
from grading.models.campaigns import Campaign
from grading.rules import grades as rules


class RegradeDirection(models.TextChoices):
    UP = "up", "提档升级"
    DOWN = "down", "降级"


class RegradeRequest(models.Model):
    """Year-end re-grading (source part 1 §三(三)): the township asks by 10 Dec, the district decides by 20 Dec."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="regrade_requests", verbose_name="分类定级评定"
    )
    direction = models.CharField("方向", max_length=6, choices=RegradeDirection.choices)
    reason = models.TextField("理由")
    evidence = models.FileField("佐证材料", upload_to="grading/regrade/%Y/", blank=True)
    proposed_score = models.DecimalField("重新量化考核得分", max_digits=4, decimal_places=1, null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="申请人"
    )
    requested_at = models.DateTimeField(auto_now_add=True, verbose_name="申请时间")
    decided_grade = models.CharField("复核等次", max_length=12, choices=rules.Grade.choices, blank=True)
    decision_note = models.TextField("复核意见", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="决定人",
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name="决定时间")

    class Meta:
        verbose_name = "复核申请"
        verbose_name_plural = "复核申请"
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.assessment} {self.get_direction_display()}"


class GradeRecord(models.Model):
    """The grade history of an organization across years and stages (approved, final, re-graded)."""

    # The stages of the history (``stage``), as the pages print them.
    APPROVED = "区委组织部审定"
    WINDOW_PASSED = "异议期满定级"  # no objection inside the window (D2): the approved grade is final
    OBJECTION_REVIEWED = "异议复核定级"
    YEAR_END_REGRADE = "年底复核定级"
    # 第一篇 三(一)3(2): "如有重大信息遗漏、重大判断失误等情况,由区委组织部对原评价结果作出重新调整"
    READJUSTED = "区委组织部重新调整"

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="grade_records", verbose_name="党组织"
    )
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="grade_records", verbose_name="分类定级评定"
    )
    year = models.PositiveSmallIntegerField("年度")
    stage = models.CharField("环节", max_length=20)
    grade = models.CharField("等次", max_length=12, choices=rules.Grade.choices)
    score = models.DecimalField("得分", max_digits=4, decimal_places=1, null=True, blank=True)
    reason = models.TextField("说明", blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True, verbose_name="记录时间")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="记录人",
    )

    class Meta:
        verbose_name = "等次记录"
        verbose_name_plural = "等次记录"
        ordering = ["organization", "-year", "-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organization} {self.year} {self.get_grade_display()}"

    @property
    def is_year_end_regrade(self) -> bool:
        """The district's year-end re-grade: its item-by-item re-scoring can be read beside the township's."""
        return self.stage == self.YEAR_END_REGRADE


class RegradeSupplement(models.Model):
    """What a year-end re-grading request carries beyond ``RegradeRequest``: the township committee's written report
    to the district committee when a weak (较差) organization's rectification failed (source part 1 §三(三)1
    "软弱涣散基层党组织整顿不力的需以党委或工委名义书面向区委报告"), and the district's reason when its decision
    takes the 好 share above the (widened) cap (C5)."""

    request = models.OneToOneField(
        RegradeRequest, on_delete=models.CASCADE, related_name="supplement", verbose_name="复核申请"
    )
    written_report = models.FileField("党(工)委书面报告", upload_to="grading/regrade-reports/%Y/", blank=True)
    cap_exceed_reason = models.TextField("超出“好”等次比例的理由", blank=True)

    class Meta:
        verbose_name = "复核申请补充材料"
        verbose_name_plural = "复核申请补充材料"

    def __str__(self) -> str:
        return f"{self.request} 补充材料"


class YearEndReview(models.Model):
    """The district's year-end settings of a campaign: the widened 好 cap (C5, the plan §四.2 "年底复核评定时方可
    适当扩大'好'等级党组织比例") with its written reason, and the share of townships given the excellence award."""

    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, related_name="year_end", verbose_name="分类定级年度工作"
    )
    widened_cap_percent = models.DecimalField(
        "年底复核“好”等次比例上限(%)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    reason = models.TextField("扩大比例的理由", blank=True)
    award_share_percent = models.DecimalField(
        "优秀组织奖评选比例(%)",
        max_digits=4,
        decimal_places=1,
        default=Decimal("20"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="决定人",
    )
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)

    class Meta:
        verbose_name = "年底复核设置"
        verbose_name_plural = "年底复核设置"

    def __str__(self) -> str:
        return f"{self.campaign} 年底复核"


class TownshipSummary(models.Model):
    """The township committee's written summary of the year, due by 20 Dec (source part 1 §三(三)3)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="township_summaries", verbose_name="分类定级年度工作"
    )
    township = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="grading_summaries", verbose_name="乡镇"
    )
    report = models.FileField("书面总结材料", upload_to="grading/summaries/%Y/")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="报送人",
    )
    submitted_at = models.DateTimeField("报送时间")

    class Meta:
        verbose_name = "乡镇总结材料"
        verbose_name_plural = "乡镇总结材料"
        ordering = ["campaign", "township__path", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "township"], name="grading_one_summary_per_township"),
        ]

    def __str__(self) -> str:
        return f"{self.township} {self.campaign.year}年度总结"


class ExperiencePaper(models.Model):
    """One of the 1–2 experience papers (经验材料) sent with the summary."""

    summary = models.ForeignKey(
        TownshipSummary, on_delete=models.CASCADE, related_name="papers", verbose_name="乡镇总结材料"
    )
    title = models.CharField("标题", max_length=200)
    file = models.FileField("文件", upload_to="grading/papers/%Y/")

    class Meta:
        verbose_name = "经验材料"
        verbose_name_plural = "经验材料"
        ordering = ["summary", "pk"]

    def __str__(self) -> str:
        return self.title


class ExcellenceAward(models.Model):
    """优秀组织奖: townships chosen by the district by a set share (source part 1 §三(三)3 "按一定比例评选")."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="excellence_awards", verbose_name="分类定级年度工作"
    )
    township = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="grading_awards", verbose_name="乡镇"
    )
    note = models.TextField("评选说明", blank=True)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="评选人",
    )
    chosen_at = models.DateTimeField("评选时间", auto_now_add=True)

    class Meta:
        verbose_name = "优秀组织奖"
        verbose_name_plural = "优秀组织奖"
        ordering = ["campaign", "township__path", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "township"], name="grading_one_award_per_township"),
        ]

    def __str__(self) -> str:
        return f"{self.township} {self.campaign.year}年度优秀组织奖"
