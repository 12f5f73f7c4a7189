"""Annual classification (分类定级): the campaign of a year and its scoring templates.

A campaign holds the year's deadlines, notice length, objection window and 好 cap; its templates (a default
one, plus variants per 领域) hold five dimensions of items whose maxima sum to 100 (C2, C7). Writes go through
``grading.services``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from grading import rules
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


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "填报中"
    SUBMITTED = "submitted", "已提交乡镇"
    RETURNED = "returned", "已退回修改"
    SCORED = "scored", "乡镇已评分"
    IN_NOTICE = "in_notice", "公示中"
    NOTICE_CLOSED = "notice_closed", "公示期满"
    WITH_DISTRICT = "with_district", "已报区委组织部"
    APPROVED = "approved", "已审定(异议期内)"
    OBJECTED = "objected", "异议复核中"
    FINAL = "final", "已定级"
    REGRADE_REQUESTED = "regrade_requested", "申请复核中"


# Statuses in which the branch secretary may still edit 附件1–3.
SECRETARY_EDITABLE = frozenset({AssessmentStatus.DRAFT, AssessmentStatus.RETURNED})


class Assessment(models.Model):
    """One organization in one campaign: its self-assessment, the township's scoring, the district's decision.

    ``status`` changes only through ``grading.workflow.transition``; ``version`` grows with every save so that
    a save from a stale page (a second tab, an expired session) is refused instead of overwriting.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="assessments", verbose_name="年度")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="assessments", verbose_name="党组织"
    )
    template = models.ForeignKey(ScoringTemplate, on_delete=models.PROTECT, related_name="+", verbose_name="评分标准")
    status = models.CharField(
        "状态", max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField("版本", default=1)

    # 附件3: the committee's self-evaluation
    self_score = models.DecimalField("自评得分", max_digits=4, decimal_places=1, null=True, blank=True)
    self_grade = models.CharField("自评等次", max_length=12, choices=rules.Grade.choices, blank=True)
    # 附件2's 测评“好”票比例, kept by grading.assessments.self_assessment_save (the one writer of the tally rows; the
    # demo and scale loaders set it the same way): 附件5 of a city's 5,000 organizations reads it instead of
    # aggregating 40,000 tally rows (docs/performance.md). None: no ballot cast yet.
    good_share = models.DecimalField("测评“好”票比例(%)", max_digits=4, decimal_places=1, null=True, blank=True)
    committee_met_on = models.DateField("支委会日期", null=True, blank=True)
    committee_for = models.PositiveSmallIntegerField("赞成票", null=True, blank=True)
    committee_against = models.PositiveSmallIntegerField("反对票", null=True, blank=True)
    committee_abstain = models.PositiveSmallIntegerField("弃权票", null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    returned_reason = models.TextField("退回原因", blank=True)

    # 附件4: the township's preliminary rating
    township_score = models.DecimalField("乡镇评分", max_digits=4, decimal_places=1, null=True, blank=True)
    township_vetoed = models.BooleanField("触发一票否决", default=False)
    township_grade = models.CharField("初定等次", max_length=12, choices=rules.Grade.choices, blank=True)
    township_override_reason = models.TextField(
        "初定等次与分数段不一致的理由", blank=True, help_text="初定等次与得分对应等次不一致时必须填写"
    )
    township_opinion = models.TextField("乡镇党(工)委意见", blank=True)
    cap_exceed_reason = models.TextField("超出“好”等次比例的理由", blank=True)
    scored_at = models.DateTimeField("评分时间", null=True, blank=True)
    notice = models.ForeignKey(
        "Notice", on_delete=models.SET_NULL, null=True, blank=True, related_name="assessments", verbose_name="公示批次"
    )

    # District review and the result
    district_grade = models.CharField("审定等次", max_length=12, choices=rules.Grade.choices, blank=True)
    district_adjust_reason = models.TextField("调整理由", blank=True)
    approved_at = models.DateTimeField("审定时间", null=True, blank=True)
    objection_due = models.DateField("异议截止日期", null=True, blank=True)
    final_grade = models.CharField("最终等次", max_length=12, choices=rules.Grade.choices, blank=True, db_index=True)
    final_score = models.DecimalField("最终得分", max_digits=4, decimal_places=1, null=True, blank=True)
    finalized_at = models.DateTimeField("定级时间", null=True, blank=True)

    # C6 consequences, readable by other systems
    nominable_as_advanced = models.BooleanField("可推荐区级以上先进基层党组织", default=False)
    secretary_promotable_next_year = models.BooleanField("书记下年度可提拔使用", default=True)
    committee_appraisal_cap = models.CharField("班子成员年度考核最高等次", max_length=10, blank=True)

    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "分类定级评定"
        verbose_name_plural = "分类定级评定"
        ordering = ["campaign", "organization__path"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organization"], name="grading_one_assessment_per_year"),
        ]
        indexes = [models.Index(fields=["campaign", "status"], name="assessment_campaign_status_idx")]

    def __str__(self) -> str:
        return f"{self.organization} · {self.campaign.year}年度"

    @property
    def is_secretary_editable(self) -> bool:
        return self.status in SECRETARY_EDITABLE

    @property
    def grade_label(self) -> str:
        grade = self.final_grade or self.district_grade or self.township_grade
        return rules.Grade(grade).label if grade else ""


class SelfReport(models.Model):
    """附件1: the self-assessment report in its five sections (source part 1 §三(一)1(1))."""

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="report", verbose_name="分类定级评定"
    )
    basic_situation = models.TextField("基本情况", blank=True)
    self_building = models.TextField("自身建设情况", blank=True)
    role_played = models.TextField("发挥作用情况", blank=True)
    problems = models.TextField("存在问题及原因", blank=True)
    measures = models.TextField("改进措施", blank=True)

    class Meta:
        verbose_name = "自查自评报告(附件1)"
        verbose_name_plural = "自查自评报告(附件1)"

    def __str__(self) -> str:
        return f"{self.assessment} 自查自评报告"


class AttendeeCategory(models.TextChoices):
    """附件2 测评会 attendees (source part 1 §三(一)1(2))."""

    LEADER = "leader", "挂村领导"
    MEMBER = "member", "支部党员"
    MASSES = "masses", "群众代表"
    DEPUTIES = "deputies", "“两代表一委员”"


class EvaluationMeeting(models.Model):
    """附件2: the evaluation meeting of one assessment."""

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="meeting", verbose_name="分类定级评定"
    )
    held_on = models.DateField("测评会日期", null=True, blank=True)
    place = models.CharField("地点", max_length=100, blank=True)
    supervised_by = models.CharField("指导监督的挂村领导", max_length=60, blank=True)

    class Meta:
        verbose_name = "测评会(附件2)"
        verbose_name_plural = "测评会(附件2)"

    def __str__(self) -> str:
        return f"{self.assessment} 测评会"


class MeetingTallyRow(models.Model):
    """Ballots of one attendee category: how many attended and how many ballots chose each grade."""

    meeting = models.ForeignKey(
        EvaluationMeeting, on_delete=models.CASCADE, related_name="rows", verbose_name="测评会(附件2)"
    )
    category = models.CharField("参会人员类别", max_length=12, choices=AttendeeCategory.choices)
    attendees = models.PositiveSmallIntegerField("参会人数", default=0)
    good = models.PositiveSmallIntegerField("好", default=0)
    fairly_good = models.PositiveSmallIntegerField("较好", default=0)
    average = models.PositiveSmallIntegerField("一般", default=0)
    poor = models.PositiveSmallIntegerField("较差", default=0)

    class Meta:
        verbose_name = "测评票统计"
        verbose_name_plural = "测评票统计"
        ordering = ["meeting", "category"]
        constraints = [models.UniqueConstraint(fields=["meeting", "category"], name="grading_one_tally_per_category")]

    def __str__(self) -> str:
        return f"{self.meeting} {self.get_category_display()}"

    def ballots(self) -> dict[str, int]:
        return {g.value: getattr(self, g.value) for g in rules.Grade}


class ScoreLevel(models.TextChoices):
    SELF = "self", "自评"
    TOWNSHIP = "township", "乡镇评分"
    REGRADE = "regrade", "复核评分"


class ItemScore(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="item_scores", verbose_name="分类定级评定"
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name="评分项目")
    level = models.CharField("评分层级", max_length=10, choices=ScoreLevel.choices)
    points = models.DecimalField("得分", max_digits=4, decimal_places=1, null=True, blank=True)
    vetoed = models.BooleanField("触发否决", default=False)
    note = models.CharField("扣分说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "逐项评分"
        verbose_name_plural = "逐项评分"
        ordering = ["assessment", "level", "item"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item", "level"], name="grading_one_score_per_item_level")
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.item} {self.points}"


class Notice(models.Model):
    """公示: a batch of a township's assessments published for N days (D1: from the day after publication).

    Open or closed is derived from the dates and today's date (``partybuild.workdays``/``timezone.localdate``), not
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
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.assessment} {self.get_direction_display()}"


class GradeRecord(models.Model):
    """The grade history of an organization across years and stages (approved, final, re-graded)."""

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


# --- Year-end (总结验收, source part 1 §三(三)) ------------------------------------------------------------------


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
        ordering = ["campaign", "township__path"]
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
        ordering = ["campaign", "township__path"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "township"], name="grading_one_award_per_township"),
        ]

    def __str__(self) -> str:
        return f"{self.township} {self.campaign.year}年度优秀组织奖"
