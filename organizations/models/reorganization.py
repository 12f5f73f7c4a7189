"""A reorganization (组织设置调整) as the source runs it (第三篇 五): the plan drafted, circulated to every member for
comments (征求意见), the organization's request (请示) to the higher committee, its reply (批复), the members' meeting
that hears the reply, then the change itself through ``organization_upgrade`` / ``sub_branch_create``.

Writes go through ``organizations.services.reorganization`` (one transition service, the table ``MOVES``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from organizations.models.kinds import OrgKind


class ReorgKind(models.TextChoices):
    UPGRADE = "upgrade", "升格或改设(党总支、党委)"
    SUB_UNITS = "sub_units", "设立下属党支部或党小组"


class ReorgState(models.TextChoices):
    DRAFT = "draft", "起草方案"
    CONSULTING = "consulting", "征求意见"
    REQUESTED = "requested", "已请示,待批复"
    APPROVED = "approved", "已批复同意,待召开党员大会"
    REFUSED = "refused", "批复不同意"
    MET = "met", "已召开党员大会,待实施"
    IMPLEMENTING = "implementing", "实施中"
    DONE = "done", "已完成"
    WITHDRAWN = "withdrawn", "已撤回"


OPEN_STATES = (
    ReorgState.DRAFT,
    ReorgState.CONSULTING,
    ReorgState.REQUESTED,
    ReorgState.APPROVED,
    ReorgState.MET,
    ReorgState.IMPLEMENTING,
)


class Reorganization(models.Model):
    """One request to change how an organization is set up, from the draft plan to the change done."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="reorganizations", verbose_name="党组织"
    )
    kind = models.CharField("调整方式", max_length=12, choices=ReorgKind.choices)
    new_kind = models.CharField("拟改设的类别", max_length=24, choices=OrgKind.choices, blank=True)
    new_name = models.CharField("拟改设后的名称", max_length=120, blank=True)
    units_planned = models.TextField("拟设立的下属组织", blank=True, help_text="每行一个,例如:松脂协会党支部")
    plan = models.TextField("设置方案")
    state = models.CharField("状态", max_length=14, choices=ReorgState.choices, default=ReorgState.DRAFT)
    version = models.PositiveIntegerField("版本", default=1)
    # 征求意见: the plan handed to every member (第三篇 五 征求意见 "发放到每位党员手中")
    consult_started_on = models.DateField("发放征求意见日期", null=True, blank=True)
    members_consulted = models.PositiveIntegerField("征求意见党员人数", null=True, blank=True)
    members_total = models.PositiveIntegerField("党员总数(请示时)", null=True, blank=True)
    # 请示 (第三篇 五 组织实施 2)
    request_number = models.CharField("请示文号", max_length=60, blank=True)
    request_date = models.DateField("请示日期", null=True, blank=True)
    # 批复 (第三篇 五 组织实施 3)
    reply_number = models.CharField("批复文号", max_length=60, blank=True)
    reply_date = models.DateField("批复日期", null=True, blank=True)
    reply_note = models.TextField("批复意见", blank=True)
    reply_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="批复人"
    )
    reply_body = models.CharField("批复机关", max_length=120, blank=True)
    # 党员大会 (第三篇 五 组织实施 1): hears the reply and the plan
    meeting_on = models.DateField("党员大会日期", null=True, blank=True)
    meeting_due = models.PositiveIntegerField("应到会党员", null=True, blank=True)
    meeting_present = models.PositiveIntegerField("实到会党员", null=True, blank=True)
    meeting_note = models.TextField("会议情况", blank=True)
    implemented_on = models.DateField("实施日期", null=True, blank=True)
    created_units = models.ManyToManyField(
        "organizations.Organization", blank=True, related_name="+", verbose_name="已设立的下属组织"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="发起人"
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "组织设置调整"
        verbose_name_plural = "组织设置调整"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organization}:{self.title}"

    @property
    def title(self) -> str:
        if self.kind == ReorgKind.UPGRADE and self.new_kind:
            return f"改设为{OrgKind(self.new_kind).label}"
        return "设立下属组织"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class ReorganizationComment(models.Model):
    """One comment on the draft plan from a member or a department (征求意见), and how it was handled."""

    reorganization = models.ForeignKey(
        Reorganization, on_delete=models.CASCADE, related_name="comments", verbose_name="组织设置调整"
    )
    author_name = models.CharField("提出人(单位)", max_length=60)
    content = models.TextField("意见")
    handling = models.TextField("处理情况", blank=True)
    received_on = models.DateField("收到日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="登记人"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "征求意见"
        verbose_name_plural = "征求意见"
        ordering = ["received_on", "pk"]

    def __str__(self) -> str:
        return f"{self.author_name}:{self.content[:20]}"
