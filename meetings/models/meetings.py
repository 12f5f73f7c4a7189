"""Organizational life: a meeting of one organization (三会一课, 主题党日, 组织生活会, 民主评议党员, 民主生活会), its
attendance taken from the roster, its files; and the district's requirement for a year (M1–M8 adjusted)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from meetings.rules.frequency import MeetingKind, Rhythm
from meetings.rules.records import Mark
from organizations.models import Member, Organization


class Meeting(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="meetings", verbose_name="党组织"
    )
    kind = models.CharField("会议类型", max_length=24, choices=MeetingKind.choices)
    held_on = models.DateField("会议日期")
    topic = models.CharField("会议主题", max_length=200)
    presided_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="主持人"
    )
    recorded_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="记录人"
    )
    minutes = models.TextField("会议记录", blank=True)
    resolutions = models.TextField("决议事项", blank=True)
    entered_on = models.DateField("登记日期")
    imported = models.BooleanField("批量导入", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "组织生活记录"
        verbose_name_plural = "组织生活记录"
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["organization", "held_on"], name="meeting_org_date")]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.get_kind_display()}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name="会议")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="attendance", verbose_name="党员")
    mark = models.CharField("考勤", max_length=8, choices=Mark.choices, default=Mark.PRESENT)
    reason = models.CharField("原因", max_length=100, blank=True)

    class Meta:
        verbose_name = "考勤"
        verbose_name_plural = "考勤"
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")]
        indexes = [models.Index(fields=["member", "mark"], name="attendance_member_mark")]

    def __str__(self) -> str:
        return f"{self.member} {self.get_mark_display()}"


class MeetingFile(models.Model):
    """A photo, the minutes' scan or a file. ``file`` holds a random stored name; the original is for display."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="files", verbose_name="会议")
    file = models.FileField("文件", max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveIntegerField("大小(字节)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="上传人"
    )
    at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "会议附件"
        verbose_name_plural = "会议附件"
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.original_name


class Requirement(models.Model):
    """The district's requirement for one kind in one year; without a row, the file's default applies."""

    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("会议类型", max_length=24, choices=MeetingKind.choices)
    rhythm = models.CharField("频次", max_length=12, choices=Rhythm.choices)
    times = models.PositiveSmallIntegerField("每个周期至少次数", default=1)
    active = models.BooleanField("本年度要求", default=True)
    note = models.CharField("调整说明", max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="调整人"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "年度组织生活要求"
        verbose_name_plural = "年度组织生活要求"
        constraints = [models.UniqueConstraint(fields=["year", "kind"], name="requirement_once")]

    def __str__(self) -> str:
        return f"{self.year}年 {self.get_kind_display()}"
