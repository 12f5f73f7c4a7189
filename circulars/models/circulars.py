"""Circulars (通知公告): a notice a district or township sends to organizations under it, one receipt per recipient
organization (read, replied, reminded), and the files of both (the circular's attachments, a reply's files)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from circulars.rules.receipts import CircularState
from organizations.models import Organization


class Circular(models.Model):
    sender = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="circulars_sent", verbose_name="发文党组织"
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    reply_required = models.BooleanField("要求回复", default=True)
    deadline = models.DateField("回复截止日期", null=True, blank=True)
    audience = models.CharField("接收范围", max_length=200, blank=True)
    state = models.CharField("状态", max_length=12, choices=CircularState.choices, default=CircularState.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="起草人"
    )
    created_at = models.DateTimeField("起草时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="发送人"
    )
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知公告"
        verbose_name_plural = "通知公告"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["sender", "state"], name="circular_sender_state")]

    def __str__(self) -> str:
        return self.title

    @property
    def organization(self) -> Organization:
        """The organization the circular's events belong to (``core.audit.record_on``): its sender."""
        return self.sender


class Receipt(models.Model):
    """One recipient organization of a circular: who read it for the organization and when, its reply."""

    circular = models.ForeignKey(Circular, on_delete=models.CASCADE, related_name="receipts", verbose_name="通知")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="circular_receipts", verbose_name="接收党组织"
    )
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="阅读人"
    )
    replied_at = models.DateTimeField("回复时间", null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="回复人"
    )
    reply = models.TextField("回复内容", blank=True)
    reminded_on = models.DateField("最近提醒日期", null=True, blank=True)
    remind_count = models.PositiveSmallIntegerField("提醒次数", default=0)

    class Meta:
        verbose_name = "通知回执"
        verbose_name_plural = "通知回执"
        ordering = ["circular", "pk"]
        constraints = [models.UniqueConstraint(fields=["circular", "organization"], name="receipt_once")]
        indexes = [models.Index(fields=["organization", "circular"], name="receipt_org_circular")]

    def __str__(self) -> str:
        return f"{self.organization}:{self.circular}"


class CircularFile(models.Model):
    """An attachment of the circular (no receipt) or a file of one organization's reply. ``file`` holds a random
    stored name; the original is for display."""

    circular = models.ForeignKey(Circular, on_delete=models.CASCADE, related_name="files", verbose_name="通知")
    receipt = models.ForeignKey(
        Receipt, on_delete=models.CASCADE, null=True, blank=True, related_name="files", verbose_name="回执"
    )
    file = models.FileField("文件", max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveIntegerField("大小(字节)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="上传人"
    )
    at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "通知附件"
        verbose_name_plural = "通知附件"
        ordering = ["circular", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def organization(self) -> Organization:
        return self.receipt.organization if self.receipt_id else self.circular.sender
