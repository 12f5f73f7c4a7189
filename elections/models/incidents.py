"""What goes wrong during an election (第五篇 六 组织领导): incidents reported to the county (重大事件、重要舆情、
来信来访) with their follow-up, and the sanctions for 贿选 and other breaches of the election discipline: 取消候选人资格
and 宣布当选无效, each with its reason, who decided (which body) and the document."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from elections.models.meeting import Approval, BallotRound
from elections.models.people import Candidate
from elections.models.project import ElectionProject
from elections.rules.incidents import Ground


class IncidentKind(models.TextChoices):
    MAJOR_EVENT = "major_event", "重大事件"
    PUBLIC_OPINION = "public_opinion", "重要舆情"
    PETITION = "petition", "来信来访"
    OTHER = "other", "其他"


class IncidentState(models.TextChoices):
    OPEN = "open", "处理中"
    CLOSED = "closed", "已办结"


class Incident(models.Model):
    """One incident of a project, as the township reports it to the county (第五篇 六.1 "及时报县委组织部")."""

    project = models.ForeignKey(
        ElectionProject, on_delete=models.CASCADE, related_name="incidents", verbose_name="换届选举项目"
    )
    kind = models.CharField("类别", max_length=16, choices=IncidentKind.choices)
    occurred_on = models.DateField("发生日期")
    summary = models.TextField("情况摘要")
    reporter = models.CharField("反映人(来源)", max_length=60)
    reported_to_county_on = models.DateField("报县(区)委组织部日期", null=True, blank=True)
    reported_how = models.CharField("报送方式", max_length=60, blank=True)
    state = models.CharField("状态", max_length=8, choices=IncidentState.choices, default=IncidentState.OPEN)
    conclusion = models.TextField("处理结论", blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="办结人",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="登记人"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "换届重大事件和舆情"
        verbose_name_plural = "换届重大事件和舆情"
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["state", "occurred_on"], name="election_incident_state")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}:{self.summary[:20]}"

    @property
    def is_open(self) -> bool:
        return self.state == IncidentState.OPEN


class IncidentFollowUp(models.Model):
    """What was done about an incident (第五篇 六.3 "及时调查核实,妥善解决问题"): date, action, by whom."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="follow_ups", verbose_name="事件")
    done_on = models.DateField("日期")
    action = models.TextField("处理情况")
    done_by = models.CharField("经办人(单位)", max_length=60)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="登记人"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "事件跟进"
        verbose_name_plural = "事件跟进"
        ordering = ["incident", "done_on", "pk"]

    def __str__(self) -> str:
        return f"{self.done_on} {self.action[:20]}"


class SanctionKind(models.TextChoices):
    DISQUALIFY = "disqualify", "取消候选人资格"
    ANNUL = "annul", "宣布当选无效"


class DecidingBody(models.TextChoices):
    TOWNSHIP = "township", "乡镇党委"
    DISTRICT = "district", "区委组织部"
    LEADING_GROUP = "leading_group", "区换届工作领导小组"


class Sanction(models.Model):
    """取消候选人资格 or 宣布当选无效 (第五篇 六.2): who it strikes, why, who decided, the document. A disqualified
    candidate leaves the list; an annulled election frees the seat for a further ballot (A5)."""

    project = models.ForeignKey(
        ElectionProject, on_delete=models.CASCADE, related_name="sanctions", verbose_name="换届选举项目"
    )
    kind = models.CharField("处理方式", max_length=12, choices=SanctionKind.choices)
    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="候选人"
    )
    name = models.CharField("姓名", max_length=60)
    post = models.CharField("职务", max_length=12)  # CandidatePost value
    ballot_round = models.ForeignKey(
        BallotRound, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="当选轮次"
    )
    approval_undone = models.ForeignKey(
        Approval, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="被撤销的批复"
    )
    incident = models.ForeignKey(
        Incident, on_delete=models.SET_NULL, null=True, blank=True, related_name="sanctions", verbose_name="相关事件"
    )
    ground = models.CharField("违纪情形", max_length=16, choices=Ground.choices)
    reason = models.TextField("查实情况")
    body = models.CharField("决定机关", max_length=16, choices=DecidingBody.choices)
    decided_by_name = models.CharField("决定人", max_length=60)
    document_number = models.CharField("决定文号", max_length=60)
    decided_on = models.DateField("决定日期")
    file = models.FileField("决定文件", upload_to="elections/sanctions/%Y/", blank=True)
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="录入人"
    )
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "取消资格和当选无效"
        verbose_name_plural = "取消资格和当选无效"
        ordering = ["project", "decided_on", "pk"]

    def __str__(self) -> str:
        return f"{self.name}{self.get_kind_display()}"
