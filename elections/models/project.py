"""The election project of one organization, the 32-step template (per year) and each project's steps."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from organizations.models import CommitteeTerm, Organization


class Phase(models.TextChoices):
    """The six phases of source part 5 §五, then closed. The project's status is its current phase."""

    PREPARING = "preparing", "前期准备"
    LAUNCHING = "launching", "部署启动"
    MOBILIZING = "mobilizing", "宣传动员"
    NOMINATING = "nominating", "确定人选"
    ELECTING = "electing", "大会选举"
    FOLLOWING_UP = "following_up", "后续工作"
    CLOSED = "closed", "已完成"


PHASE_ORDER: tuple[str, ...] = tuple(Phase.values)


class ElectionMethod(models.TextChoices):
    INDIRECT = "indirect", "间接选举(党员大会选委员,委员会选书记)"
    DIRECT = "direct", "直接选举(党员大会差额选委员,再选书记、副书记)"


class OwnerLevel(models.TextChoices):
    VILLAGE = "village", "村(社区)"
    TOWNSHIP = "township", "乡镇"
    COUNTY = "county", "县(区)"


class DocumentKind(models.TextChoices):
    REQUEST = "request", "请示"
    REPLY = "reply", "批复"
    NOTICE = "notice", "公示"
    MINUTES = "minutes", "会议记录"
    OTHER = "other", "其他"


class ElectionProject(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="election_projects", verbose_name="党组织"
    )
    township = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="township_election_projects", verbose_name="乡镇(街道)"
    )
    year = models.PositiveSmallIntegerField("年度")
    status = models.CharField("阶段", max_length=16, choices=Phase.choices, default=Phase.PREPARING)
    method = models.CharField(
        "选举方式", max_length=12, choices=ElectionMethod.choices, default=ElectionMethod.INDIRECT
    )
    seats = models.PositiveSmallIntegerField("应选委员名额")
    previous_seats = models.PositiveSmallIntegerField("上届委员职数", null=True, blank=True)
    election_date = models.DateField("选举日期")
    term = models.ForeignKey(
        CommitteeTerm,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="election_projects",
        verbose_name="届满的任期",
    )
    new_term = models.ForeignKey(
        CommitteeTerm, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="新一届任期"
    )
    version = models.PositiveIntegerField("版本", default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "换届选举项目"
        verbose_name_plural = "换届选举项目"
        ordering = ["township", "organization__path", "-year", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=~Q(status="closed"),
                name="election_one_running_project_per_org",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization.name}{self.year}年换届"

    @property
    def is_closed(self) -> bool:
        return self.status == Phase.CLOSED


class StepTemplate(models.Model):
    """One of the 32 steps for a year (the district may edit a year's list before projects use it)."""

    year = models.PositiveSmallIntegerField("年度")
    number = models.PositiveSmallIntegerField("序号")
    phase = models.CharField("阶段", max_length=16, choices=Phase.choices)
    title = models.CharField("环节", max_length=60)
    description = models.TextField("内容", blank=True)
    owner = models.CharField("责任层级", max_length=10, choices=OwnerLevel.choices)
    required_documents = models.JSONField("必备材料", default=list, blank=True)
    due_offset_days = models.SmallIntegerField("期限(相对选举日的天数)", default=0)

    class Meta:
        verbose_name = "换届环节模板"
        verbose_name_plural = "换届环节模板"
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="election_step_template_unique"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=32), name="election_step_number_1_32"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def required_labels(self) -> list[str]:
        labels = dict(DocumentKind.choices)
        return [labels.get(k, k) for k in self.required_documents]


class Step(models.Model):
    project = models.ForeignKey(
        ElectionProject, on_delete=models.CASCADE, related_name="steps", verbose_name="换届选举项目"
    )
    template = models.ForeignKey(StepTemplate, on_delete=models.PROTECT, related_name="+", verbose_name="换届环节模板")
    due_on = models.DateField("期限")
    done_on = models.DateField("完成日期", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="完成人",
    )
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "换届环节"
        verbose_name_plural = "换届环节"
        ordering = ["project", "template__number", "pk"]
        constraints = [models.UniqueConstraint(fields=["project", "template"], name="election_step_unique")]

    def __str__(self) -> str:
        return f"{self.project} {self.template}"

    def is_overdue(self, today: date) -> bool:
        return self.done_on is None and self.due_on < today


class StepDocument(models.Model):
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="documents", verbose_name="换届环节")
    kind = models.CharField("材料类别", max_length=10, choices=DocumentKind.choices)
    file = models.FileField("文件", upload_to="elections/steps/%Y/")
    original_name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小", default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="上传人",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "环节材料"
        verbose_name_plural = "环节材料"
        ordering = ["step", "kind", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"
