"""Shared infrastructure models: the audit trail, background jobs, notifications and the holiday calendar.

This app knows nothing of organizations: scoped rows carry ``org_path`` (the materialized path of the
organization they concern), so "events of this subtree" is a prefix query without a foreign key.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from core.rules.delivery import Channel, DeliveryStatus, masked_address


class Event(models.Model):
    """One row per change a person (or the system) made: who, when, from where, what, before and after.

    Written only by ``core.audit.record``; the app offers no way to edit or delete it.
    """

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="操作人"
    )
    actor_name = models.CharField("操作人", max_length=150, blank=True)  # 姓名(账号) at the time
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    verb = models.CharField("操作", max_length=60, db_index=True)
    summary = models.CharField("摘要", max_length=300)
    target_type = models.CharField("对象类型", max_length=60, blank=True)
    target_id = models.CharField("对象编号", max_length=40, blank=True)
    target_label = models.CharField("对象", max_length=200, blank=True)
    org_path = models.CharField("组织路径", max_length=255, blank=True)
    before = models.JSONField("变更前", default=dict, blank=True)
    after = models.JSONField("变更后", default=dict, blank=True)

    class Meta:
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "-at"], name="event_target_idx"),
            models.Index(fields=["org_path"], name="event_org_path_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.summary}"

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for the timeline and the log."""
        keys = list(dict.fromkeys([*self.before.keys(), *self.after.keys()]))
        return [(k, self.before.get(k, ""), self.after.get(k, "")) for k in keys]


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class Job(models.Model):
    """A long export or import run in the background; the page polls its progress."""

    kind = models.CharField("任务类型", max_length=60)
    title = models.CharField("名称", max_length=200)
    params = models.JSONField("参数", default=dict, blank=True)
    status = models.CharField("状态", max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField("进度", default=0)
    message = models.CharField("说明", max_length=300, blank=True)
    file = models.FileField("结果文件", upload_to="jobs/%Y/%m/", blank=True)
    filename = models.CharField("下载文件名", max_length=200, blank=True)
    org_path = models.CharField("组织路径", max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="jobs", verbose_name="发起人"
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.FAILED}


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name="接收人"
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title


class CalendarYear(models.Model):
    """A year whose official holiday calendar has been entered (D3): without it, working-day sums refuse."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField("来源", max_length=60, default="chinesecalendar")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="录入人"
    )
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "节假日年度"
        verbose_name_plural = "节假日年度"
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class Holiday(models.Model):
    """A day that differs from the Monday–Friday rule: a statutory holiday on a weekday, or a weekend made a
    working day (调休)."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否上班", default=False)
    name = models.CharField("名称", max_length=40, blank=True)

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class ChannelChoice(models.Model):
    """A user's choice of one channel besides the in-app notification (接收方式): on or off, and where to.

    ``address``: the mobile number for 短信, the mailbox for 邮件 (empty: the account's e-mail), the group robot's
    webhook address for 政务微信/企业微信群. Without a row, e-mail is on when the account has an address (what
    reminders did before channels existed) and the others are off.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_choices", verbose_name="用户"
    )
    channel = models.CharField("方式", max_length=12, choices=Channel.choices)
    enabled = models.BooleanField("接收", default=False)
    address = models.CharField("地址", max_length=500, blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "接收方式"
        verbose_name_plural = "接收方式"
        ordering = ["user", "channel", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "channel"], name="channel_choice_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.get_channel_display()}"


class Delivery(models.Model):
    """One notification sent through one outside channel (邮件, 短信, 群机器人), with its status and attempts.

    Created by ``core.notifications.reminders_deliver`` for every channel the recipient chose; sent by the task
    ``core.deliver`` (``core.deliveries.delivery_attempt``), which tries again on a busy or unreachable gateway.
    """

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries", verbose_name="通知"
    )
    channel = models.CharField("方式", max_length=12, choices=Channel.choices)
    address = models.CharField("地址", max_length=500)
    status = models.CharField(
        "状态", max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.CharField("最近一次错误", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "发送记录"
        verbose_name_plural = "发送记录"
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} #{self.pk}"

    @property
    def masked_address(self) -> str:
        return masked_address(self.channel, self.address)
