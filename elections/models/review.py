"""The joint qualification review (资格联审, 第五篇 五 step 15; rules Q1, Q2): each department's opinion on each
candidate, as the township's clerk copies it from the returned review form, and the county group's re-review."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from elections.models.people import Candidate


class JointReviewOpinion(models.Model):
    """One department's opinion (同意 / 不同意 with the reason) on one candidate. ``department`` is a code of
    ``fixtures/joint_review_departments.json``; its name is kept beside it as the clerk saw it."""

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="joint_opinions", verbose_name="候选人"
    )
    department = models.CharField("联审部门", max_length=40)
    department_name = models.CharField("部门名称", max_length=60)
    agreed = models.BooleanField("同意")
    reason = models.CharField("不同意的理由", max_length=200, blank=True)
    given_on = models.DateField("意见日期")
    reviewer = models.CharField("审核人", max_length=40)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="录入人",
    )
    recorded_at = models.DateTimeField("录入时间", auto_now=True)

    class Meta:
        verbose_name = "资格联审部门意见"
        verbose_name_plural = "资格联审部门意见"
        ordering = ["candidate", "department"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "department"], name="election_joint_opinion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.department_name}:{'同意' if self.agreed else '不同意'}"


class JointReReview(models.Model):
    """Q2: the county's election group (县村(社区)“两委”换届工作领导小组) re-reviews a candidate, recorded by the
    district."""

    candidate = models.OneToOneField(
        Candidate, on_delete=models.CASCADE, related_name="joint_rereview", verbose_name="候选人"
    )
    agreed = models.BooleanField("复审同意")
    reason = models.CharField("复审意见", max_length=200, blank=True)
    reviewed_on = models.DateField("复审日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="录入人",
    )
    recorded_at = models.DateTimeField("录入时间", auto_now=True)

    class Meta:
        verbose_name = "资格联审复审"
        verbose_name_plural = "资格联审复审"

    def __str__(self) -> str:
        return "复审同意" if self.agreed else "复审不同意"
