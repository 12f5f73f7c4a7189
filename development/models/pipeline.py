"""A person on the way to membership (发展党员): from the application to 转正, one row with the date of each stage
(F1–F5 of docs/domain.md). Admission creates the roster's member (status 预备党员), linked here; 转正 is that
member's 转正日期."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

from development.rules.pipeline import Stage, probation_ends_on
from organizations.models import Education, Gender, mask_id_number


class Applicant(models.Model):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="applicants", verbose_name="所在党组织"
    )
    name = models.CharField("姓名", max_length=40)
    gender = models.CharField("性别", max_length=8, choices=Gender.choices)
    birth_date = models.DateField("出生日期")
    education = models.CharField("学历", max_length=16, choices=Education.choices)
    occupation = models.CharField("职业", max_length=60, blank=True)
    id_number = models.CharField("身份证号", max_length=18, unique=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    stage = models.CharField("所处阶段", max_length=16, choices=Stage.choices, default=Stage.APPLICANT)
    applied_on = models.DateField("申请入党日期")
    activist_on = models.DateField("确定为积极分子日期", null=True, blank=True)
    contacts = models.ManyToManyField(
        "organizations.Member", related_name="cultivated_applicants", blank=True, verbose_name="培养联系人"
    )
    target_on = models.DateField("列为发展对象日期", null=True, blank=True)
    admitted_on = models.DateField("接收为预备党员日期", null=True, blank=True)
    member = models.OneToOneField(
        "organizations.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="development_record",
        verbose_name="党员名册记录",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "发展党员记录"
        verbose_name_plural = "发展党员记录"
        ordering = ["organization", "applied_on", "pk"]
        indexes = [models.Index(fields=["organization", "stage"], name="dev_applicant_org_stage_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def full_on(self) -> date | None:
        """转正日期: the roster's (the member's 转正日期)."""
        return self.member.full_member_on if self.member is not None else None

    @property
    def probation_ends_on(self) -> date | None:
        return probation_ends_on(self.admitted_on) if self.admitted_on else None
