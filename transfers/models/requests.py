"""A transfer request and the letter sequence behind its number.

The request is the workflow in front of the tree's own history: a confirmed move within the district goes through
``organizations.services.tree.members_move`` (a ``MemberTransfer`` row, the counts); the request keeps the letter,
the dates, who did what, and the member's particulars as the letter printed them (the receiving side reads only
these, never the member's record).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from organizations.models import Education, Gender, Member, MemberStatus, Organization


class TransferKind(models.TextChoices):
    WITHIN = "within", "区内转接"
    OUT = "out", "转出区外"
    IN = "in", "从区外转入"


class TransferState(models.TextChoices):
    REVIEW = "review", "待转出审核"
    AWAITING = "awaiting", "待接收"
    LETTER_OUT = "letter_out", "已开出介绍信"
    RECEIVED = "received", "已接收"
    RECEIPTED = "receipted", "回执已收"
    RETURNED = "returned", "已退回"
    WITHDRAWN = "withdrawn", "已撤销"


# A member is "in transit" while a request of theirs is in one of these states.
OPEN_STATES = (TransferState.REVIEW, TransferState.AWAITING, TransferState.LETTER_OUT)


class TransferRequest(models.Model):
    kind = models.CharField("转接类型", max_length=12, choices=TransferKind.choices)
    state = models.CharField("状态", max_length=12, choices=TransferState.choices, default=TransferState.REVIEW)
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="transfer_requests", verbose_name="党员"
    )
    from_org = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfer_requests_out",
        verbose_name="转出党组织",
    )
    from_name = models.CharField("转出党组织名称", max_length=120)
    to_org = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfer_requests_in",
        verbose_name="接收党组织",
    )
    to_name = models.CharField("接收党组织名称", max_length=120)
    reason = models.CharField("转接原因", max_length=200)
    # The member's particulars as the letter prints them (copied at the start; typed in for a transfer in).
    person_name = models.CharField("姓名", max_length=40)
    gender = models.CharField("性别", max_length=8, choices=Gender.choices)
    ethnicity = models.CharField("民族", max_length=20, default="汉族")
    birth_date = models.DateField("出生日期")
    education = models.CharField("学历", max_length=16, choices=Education.choices)
    joined_on = models.DateField("入党日期")
    status = models.CharField("党员类别", max_length=16, choices=MemberStatus.choices)
    id_number = models.CharField("身份证号", max_length=18)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    # The letter
    letter_number = models.CharField("介绍信编号", max_length=40, blank=True)
    issuing_committee = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfer_letters",
        verbose_name="开具介绍信的党委",
    )
    letter_year = models.PositiveSmallIntegerField("介绍信年度", null=True, blank=True)
    letter_seq = models.PositiveIntegerField("介绍信序号", null=True, blank=True)
    letter_issued_on = models.DateField("介绍信开具日期", null=True, blank=True)
    valid_days = models.PositiveSmallIntegerField("有效期(天)", null=True, blank=True)
    dues_paid_to = models.CharField("党费交到", max_length=12, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Dates and the end
    started_on = models.DateField("发起日期")
    ended_on = models.DateField("办结日期", null=True, blank=True)
    end_note = models.CharField("办结说明", max_length=200, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "组织关系转接"
        verbose_name_plural = "组织关系转接"
        ordering = ["-started_on", "-pk"]
        constraints = [
            # X1: one number per committee and year.
            models.UniqueConstraint(
                fields=["issuing_committee", "letter_year", "letter_seq"],
                condition=Q(letter_seq__isnull=False),
                name="transfer_letter_number_unique",
            ),
            # A member in transit is not transferred again.
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(state__in=["review", "awaiting", "letter_out"]),
                name="transfer_one_open_per_member",
            ),
        ]
        indexes = [models.Index(fields=["state", "to_org"], name="transfer_state_to_idx")]

    def __str__(self) -> str:
        return f"{self.person_name} {self.from_name} → {self.to_name}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class LetterSequence(models.Model):
    """X1: the last number a committee has given in a year (allocated under a row lock)."""

    committee = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name="党委")
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用序号", default=0)

    class Meta:
        verbose_name = "介绍信编号"
        verbose_name_plural = "介绍信编号"
        ordering = ["committee", "year"]
        constraints = [models.UniqueConstraint(fields=["committee", "year"], name="transfer_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.committee} {self.year}年 {self.last}"
