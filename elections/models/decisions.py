"""Decisions an election needs besides its ballots: the higher body's approval of a postponed or advanced election
(A13), the consent and the congress's vote on excusing members from "due" (A1a), the congress's vote to reduce the
seats when too few pass (A5). Each records who decided, when, and the document or the count."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from elections.models.project import ElectionProject


class DecisionStatus(models.TextChoices):
    PENDING = "pending", "待上级党组织批准"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "不予批准"


class DateChange(models.Model):
    """A13 选举条例 Art. 3: an election away from the term's end (延期 or 提前) is requested with a reason and
    approved by the higher body; the project waits until then."""

    project = models.OneToOneField(
        ElectionProject, on_delete=models.CASCADE, related_name="date_change", verbose_name="换届选举项目"
    )
    term_ends = models.DateField("任期届满日期")
    election_date = models.DateField("拟选举日期")
    reason = models.TextField("申请理由")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="申请人"
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    status = models.CharField("审批状态", max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审批人",
    )
    decided_on = models.DateField("批复日期", null=True, blank=True)
    document = models.CharField("批复文号", max_length=60, blank=True)
    note = models.CharField("审批意见", max_length=200, blank=True)

    class Meta:
        verbose_name = "换届延期(提前)审批"
        verbose_name_plural = "换届延期(提前)审批"

    def __str__(self) -> str:
        return f"{self.project}{self.kind}申请"

    @property
    def kind(self) -> str:
        return "延期" if self.election_date > self.term_ends else "提前"

    @property
    def is_pending(self) -> bool:
        return self.status == DecisionStatus.PENDING


class ExcusalDecision(models.Model):
    """A1a 选举条例 Art. 16: the higher body's consent to the members left out of "due" (the list it saw, who, when,
    the document) and the congress's vote on it (for, against, abstained)."""

    project = models.OneToOneField(
        ElectionProject, on_delete=models.CASCADE, related_name="excusal", verbose_name="换届选举项目"
    )
    consented = models.JSONField("上级党组织同意不计入的登记", default=list)
    consented_names = models.JSONField("同意不计入的党员", default=list)
    consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="同意人"
    )
    consent_on = models.DateField("同意日期")
    consent_document = models.CharField("同意文号或说明", max_length=100)
    votes_for = models.PositiveIntegerField("赞成", null=True, blank=True)
    votes_against = models.PositiveIntegerField("反对", default=0)
    abstained = models.PositiveIntegerField("弃权", default=0)
    voted_on = models.DateField("表决日期", null=True, blank=True)
    vote_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="表决录入人",
    )

    class Meta:
        verbose_name = "不计入应到会人数的决定"
        verbose_name_plural = "不计入应到会人数的决定"

    def __str__(self) -> str:
        return f"{self.project}不计入应到会人数的决定"


class SeatReduction(models.Model):
    """A5 (1990条例 Art. 22): when fewer pass than the seats and the number is close to them, the congress may agree
    by vote to reduce the seats instead of a further ballot; recorded as its own action, with its count."""

    project = models.OneToOneField(
        ElectionProject, on_delete=models.CASCADE, related_name="seat_reduction", verbose_name="换届选举项目"
    )
    seats_before = models.PositiveSmallIntegerField("原应选名额")
    seats_after = models.PositiveSmallIntegerField("减少后名额")
    present = models.PositiveIntegerField("实到会有选举权人数")
    votes_for = models.PositiveIntegerField("同意")
    votes_against = models.PositiveIntegerField("不同意", default=0)
    abstained = models.PositiveIntegerField("弃权", default=0)
    passed = models.BooleanField("表决通过")
    voted_on = models.DateField("表决日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="录入人"
    )
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "减少名额表决"
        verbose_name_plural = "减少名额表决"

    def __str__(self) -> str:
        return f"{self.project}减少名额至{self.seats_after}名"
