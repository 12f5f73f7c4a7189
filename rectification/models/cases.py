"""The rectification case (整顿) and its ledger (整改台账): source part 1 §三(二)4, part 2, part 4."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from grading.rules.grades import Category
from organizations.models import Education
from rectification.rules.cases import Phase
from rectification.rules.ledger import MeasureStatus, ProblemCategory, ProblemSource, TargetKind


class RegradeStatus(models.TextChoices):
    PENDING = "pending", "待年度等次确定后申请复核"
    FILED = "filed", "已报区委组织部复核"
    NOT_NEEDED = "not_needed", "无需复核"


class CaseSource(models.TextChoices):
    AUTO = "auto", "定为软弱涣散自动立案"
    HAND = "hand", "手工立案"


class Case(models.Model):
    """One rectification of one organization, from the problems found to a passed acceptance.

    ``phase`` changes only through ``rectification.services.cases.case_transition``; ``version`` grows with every
    save so a save from a stale page is refused. At most one open case per organization (database constraint).
    """

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="rectification_cases",
        verbose_name="党组织",
    )
    year = models.PositiveSmallIntegerField("年度")
    category = models.CharField("立案时类别", max_length=12, choices=Category.choices)
    source = models.CharField("立案方式", max_length=8, choices=CaseSource.choices)
    source_assessment = models.ForeignKey(
        "grading.Assessment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectification_cases",
        verbose_name="来源评定",
    )
    source_finalized_at = models.DateTimeField("来源定级时间", null=True, blank=True)
    reason = models.TextField("立案理由", blank=True)
    opened_on = models.DateField("立案日期")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="立案人",
    )
    phase = models.CharField(
        "阶段", max_length=20, choices=Phase.choices, default=Phase.FINDING_PROBLEMS, db_index=True
    )
    version = models.PositiveIntegerField("版本", default=1)

    # The people (part 1 §三(二)4; part 2 §五(一); part 4 §五(一))
    work_group_leader = models.CharField("工作组组长", max_length=40, blank=True)
    first_secretary = models.CharField("第一书记", max_length=40, blank=True)
    replaced_secretary = models.CharField("被调整的原书记", max_length=40, blank=True)
    new_secretary = models.CharField("新任书记", max_length=40, blank=True)
    liaison_leader = models.CharField("挂点领导", max_length=40, blank=True)

    # Phase dates: planned by the plan, actual set by the transitions (part 4 §四 gives each phase its period).
    finding_planned_from = models.DateField("查摆问题计划开始", null=True, blank=True)
    finding_planned_to = models.DateField("查摆问题计划结束", null=True, blank=True)
    rectifying_planned_from = models.DateField("整顿提高计划开始", null=True, blank=True)
    rectifying_planned_to = models.DateField("整顿提高计划结束", null=True, blank=True)
    accepting_planned_from = models.DateField("检查验收计划开始", null=True, blank=True)
    accepting_planned_to = models.DateField("检查验收计划结束", null=True, blank=True)
    rectifying_started_on = models.DateField("进入整顿提高日期", null=True, blank=True)
    accepting_started_on = models.DateField("申请检查验收日期", null=True, blank=True)
    closed_on = models.DateField("验收结案日期", null=True, blank=True)

    # Part 1 §三(三)1 / part 2 §六(二): a passed acceptance asks for re-grading. ``rectification.services.regrade``
    # files the request with grading (one per case) or keeps it pending until the organization's grade is final.
    regrade_requested_at = models.DateTimeField("申请重新定级时间", null=True, blank=True)
    regrade_status = models.CharField(
        "重新定级", max_length=12, choices=RegradeStatus.choices, blank=True, default="", db_index=True
    )
    regrade_request = models.ForeignKey(
        "grading.RegradeRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="复核申请",
    )
    regrade_note = models.CharField("重新定级说明", max_length=300, blank=True)

    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "整顿案件"
        verbose_name_plural = "整顿案件"
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"], condition=~Q(phase=Phase.ACCEPTED), name="rect_one_open_case_per_org"
            )
        ]
        indexes = [models.Index(fields=["phase", "opened_on"], name="rect_case_phase_idx")]

    def __str__(self) -> str:
        return f"{self.organization}整顿({self.year})"

    @property
    def is_open(self) -> bool:
        return self.phase != Phase.ACCEPTED


class WorkGroupMember(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="work_group", verbose_name="整顿案件")
    person_name = models.CharField("姓名", max_length=40)
    unit = models.CharField("单位及职务", max_length=80, blank=True)
    role = models.CharField("组内分工", max_length=40, blank=True)
    joined_on = models.DateField("进驻日期", null=True, blank=True)

    class Meta:
        verbose_name = "工作组成员"
        verbose_name_plural = "工作组成员"
        ordering = ["case", "pk"]

    def __str__(self) -> str:
        return self.person_name


class Problem(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="problems", verbose_name="整顿案件")
    category = models.CharField("问题类别", max_length=24, choices=ProblemCategory.choices)
    source = models.CharField("问题来源", max_length=12, choices=ProblemSource.choices)
    description = models.TextField("问题描述")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "查摆问题"
        verbose_name_plural = "查摆问题"
        ordering = ["case", "pk"]

    def __str__(self) -> str:
        return self.description[:40]


class Measure(models.Model):
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="measures", verbose_name="问题")
    text = models.TextField("整改措施")
    responsible = models.CharField("责任人", max_length=40)
    deadline = models.DateField("整改时限")
    budget = models.DecimalField("预算(万元)", max_digits=10, decimal_places=2, null=True, blank=True)
    spent = models.DecimalField("已支出(万元)", max_digits=10, decimal_places=2, default=0)
    status = models.CharField("状态", max_length=12, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED)
    percent = models.PositiveSmallIntegerField("完成进度(%)", default=0)
    done_on = models.DateField("完成日期", null=True, blank=True)
    # A record another app keeps that shows this measure's progress (rectification.panels trackers: e.g.
    # "meetings:committee", 每月按时召开支委会); empty: followed by progress reports only.
    tracks = models.CharField("对照记录", max_length=40, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "整改措施"
        verbose_name_plural = "整改措施"
        ordering = ["problem", "deadline", "pk"]
        indexes = [models.Index(fields=["status", "deadline"], name="rect_measure_due_idx")]

    def __str__(self) -> str:
        return self.text[:40]


class ProgressNote(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes", verbose_name="整顿案件")
    measure = models.ForeignKey(
        Measure, on_delete=models.SET_NULL, null=True, blank=True, related_name="notes", verbose_name="整改措施"
    )
    text = models.TextField("进展情况")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="报告人"
    )
    at = models.DateTimeField("报告时间", db_index=True)

    class Meta:
        verbose_name = "整改进展"
        verbose_name_plural = "整改进展"
        ordering = ["case", "-at", "-pk"]

    def __str__(self) -> str:
        return self.text[:40]


class Evidence(models.Model):
    """A photo, minutes or file. ``file`` holds a random stored name; the original name is for display only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence", verbose_name="整顿案件")
    measure = models.ForeignKey(
        Measure, on_delete=models.SET_NULL, null=True, blank=True, related_name="evidence", verbose_name="整改措施"
    )
    file = models.FileField("文件", max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveIntegerField("大小(字节)")
    description = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="上传人"
    )
    at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["case", "-at", "-pk"]

    def __str__(self) -> str:
        return self.original_name


class Project(models.Model):
    """A works project of the rectification (part 4 §五(三): roads, service centres, cleaning works; part 2 §五(三))."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="projects", verbose_name="整顿案件")
    name = models.CharField("项目名称", max_length=120)
    investment = models.DecimalField("投资(万元)", max_digits=10, decimal_places=2, null=True, blank=True)
    percent = models.PositiveSmallIntegerField("完成进度(%)", default=0)
    completed = models.BooleanField("已竣工", default=False)
    completed_on = models.DateField("竣工日期", null=True, blank=True)
    planned_completion = models.DateField("计划竣工日期", null=True, blank=True)

    class Meta:
        verbose_name = "整顿项目"
        verbose_name_plural = "整顿项目"
        ordering = ["case", "pk"]

    def __str__(self) -> str:
        return self.name


class DevelopmentTarget(models.Model):
    """Part 2 §五(六): the people trained toward membership (3 activists, 2 development targets, 1 new member)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="targets", verbose_name="整顿案件")
    kind = models.CharField("类别", max_length=20, choices=TargetKind.choices)
    person_name = models.CharField("姓名", max_length=40)
    birth_date = models.DateField("出生日期")
    education = models.CharField("文化程度", max_length=16, choices=Education.choices)
    since = models.DateField("确定日期")

    class Meta:
        verbose_name = "党员发展培养对象"
        verbose_name_plural = "党员发展培养对象"
        ordering = ["case", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.person_name}({self.get_kind_display()})"


class YearEndReport(models.Model):
    """The township committee's written report to the district committee on a weak organization whose rectification
    was not accepted by the year-end (source part 1 §三(三)1: "软弱涣散基层党组织整顿不力的需以党委或工委名义书面向区委
    报告"). One per case and year; uploading again replaces the file. ``file`` holds a random stored name."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="year_end_reports", verbose_name="整顿案件")
    year = models.PositiveSmallIntegerField("年度")
    file = models.FileField("文件", max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveIntegerField("大小(字节)")
    note = models.TextField("说明", blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="上传人"
    )
    at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = "年底整顿不力书面报告"
        verbose_name_plural = "年底整顿不力书面报告"
        ordering = ["case", "-year"]
        constraints = [models.UniqueConstraint(fields=["case", "year"], name="rect_one_yearend_report_per_year")]

    def __str__(self) -> str:
        return f"{self.case} {self.year}年底书面报告"
