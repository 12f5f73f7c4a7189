"""One organization's assessment of a campaign and what it is made of: the self report (附件1), the evaluation
meeting and its tally (附件2), the item scores of the secretary, the township and the district (附件3, 附件4).

The status moves are in ``grading.services.workflow``; saves in ``grading.services.assessments``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import models
from django.db.models import Case, F, Q, When

from grading.models.campaigns import Campaign, Item, ScoringTemplate
from grading.rules import grades as rules


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


# --- The status on a day (D1, D2): what pages read, whether or not the sweep has written the clock's moves ---------


def _clock_passed(source: str, today: date) -> Q:
    """The rows whose stored ``source`` status the clock has already moved on (``grading.rules.grades.status_on``)."""
    if source == rules.IN_NOTICE:
        return Q(status=source, notice__ends_on__lt=today)
    return Q(status=source, objection_due__lt=today)


def status_now_q(statuses: Iterable[str], today: date) -> Q:
    """Rows whose status on ``today`` is one of ``statuses``: the stored status, with the clock's moves applied."""
    wanted = {str(s) for s in statuses}
    q = Q(status__in=sorted(wanted - set(rules.CLOCK_MOVES)))
    for source, target in rules.CLOCK_MOVES.items():
        if source in wanted:
            q |= Q(status=source) & ~_clock_passed(source, today)
        if target in wanted:
            q |= _clock_passed(source, today)
    return q


def status_now(today: date) -> Case:
    """The status on ``today`` as an SQL expression (for annotations and GROUP BY)."""
    return Case(
        *(
            When(_clock_passed(source, today), then=models.Value(target))
            for source, target in rules.CLOCK_MOVES.items()
        ),
        default=F("status"),
        output_field=models.CharField(),
    )


# Statuses in which the branch secretary may still edit 附件1–3.
SECRETARY_EDITABLE = frozenset({AssessmentStatus.DRAFT, AssessmentStatus.RETURNED})


class Assessment(models.Model):
    """One organization in one campaign: its self-assessment, the township's scoring, the district's decision.

    ``status`` changes only through ``grading.services.workflow.transition``; ``version`` grows with every save so that
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
    # 附件2's 测评“好”票比例, kept by grading.services.assessments.self_assessment_save (the one writer of the tally
    # rows; the demo and scale loaders set it the same way): 附件5 of a city's 5,000 organizations reads it instead
    # of aggregating 40,000 tally rows (docs/performance.md). None: no ballot cast yet.
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
    district_cap_reason = models.TextField("区委组织部超出“好”等次比例的理由", blank=True)
    approved_at = models.DateTimeField("审定时间", null=True, blank=True)
    objection_due = models.DateField("异议截止日期", null=True, blank=True)
    # D3: the window reached a year whose holidays were not entered; the end is a Monday–Friday estimate (暂定),
    # recomputed from ``objection_counted_from`` when the year is entered (grading.services.deadlines).
    objection_due_provisional = models.BooleanField("异议截止日期为暂定", default=False)
    objection_counted_from = models.DateField("异议期起算日", null=True, blank=True)
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
        ordering = ["campaign", "organization__path", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organization"], name="grading_one_assessment_per_year"),
        ]
        indexes = [models.Index(fields=["campaign", "status"], name="assessment_campaign_status_idx")]

    def __str__(self) -> str:
        return f"{self.organization} · {self.campaign.year}年度"

    def as_of(self, today: date) -> Assessment:
        """This assessment as it reads on ``today`` (in memory, never saved): a notice that has ended shows 公示期满, an
        objection window that has passed shows 已定级 with the district's grade and its C6 consequences, exactly as
        the sweep (``workflow.catch_up``) or the next transition will write them. A page load writes nothing."""
        ends_on = self.notice.ends_on if self.notice_id is not None else None
        now = rules.status_on(self.status, notice_ends_on=ends_on, objection_due=self.objection_due, today=today)
        if now == self.status:
            return self
        self.status = now
        if now == rules.FINAL and self.district_grade:
            self.final_grade = self.final_grade or self.district_grade
            if self.final_score is None:
                self.final_score = self.township_score
            result = rules.consequences(self.final_grade)
            self.nominable_as_advanced = result.nominable_as_advanced
            self.secretary_promotable_next_year = result.secretary_promotable_next_year
            self.committee_appraisal_cap = result.committee_appraisal_cap or ""
        return self

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
