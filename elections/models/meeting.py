"""The congress (党员大会), its ballot rounds, the count entries and the stored results, and the township's approval.

Like OpenSlides' analog polls: a round has explicit states (open → counted → valid/void) and a snapshot of the
electorate (due, excused, present) when it was counted, so a later change to the roll cannot rewrite a result.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from elections.models.project import ElectionProject


class Meeting(models.Model):
    project = models.OneToOneField(
        ElectionProject, on_delete=models.CASCADE, related_name="meeting", verbose_name="换届选举项目"
    )
    held_on = models.DateField("开会日期")
    present_count = models.PositiveIntegerField("实到会人数", default=0)
    scrutineers = models.JSONField("监票人", default=list, blank=True)  # names (A10)
    counters = models.JSONField("计票人", default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name="更新时间")

    class Meta:
        verbose_name = "党员大会"
        verbose_name_plural = "党员大会"

    def __str__(self) -> str:
        return f"{self.project} 党员大会"


class RoundPurpose(models.TextChoices):
    COMMITTEE = "committee", "选举委员会委员"
    SECRETARY = "secretary", "选举书记"
    DEPUTY = "deputy", "选举副书记"
    FURTHER = "further", "另行选举/再次投票"


class RoundStatus(models.TextChoices):
    OPEN = "open", "投票中"
    COUNTED = "counted", "已计票"
    VALID = "valid", "选举有效"
    VOID = "void", "选举无效"


class EntryMode(models.TextChoices):
    BALLOTS = "ballots", "逐张录入选票"
    TOTALS = "totals", "录入计票结果"


class BallotRound(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rounds", verbose_name="党员大会")
    number = models.PositiveSmallIntegerField("轮次")
    purpose = models.CharField("投票事项", max_length=12, choices=RoundPurpose.choices)
    follows = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="follow_ups", verbose_name="接续轮次"
    )
    follows_post = models.CharField("接续事项", max_length=12, choices=RoundPurpose.choices, blank=True)
    seats = models.PositiveSmallIntegerField("应选名额")
    names = models.JSONField("选票上的姓名(姓氏笔画为序)", default=list)
    due = models.PositiveIntegerField("应到会人数", default=0)
    excused = models.PositiveIntegerField("经批准不计入人数", default=0)
    present = models.PositiveIntegerField("实到会人数", default=0)
    issued = models.PositiveIntegerField("发出选票", default=0)
    returned = models.PositiveIntegerField("收回选票", default=0)
    mode = models.CharField("录入方式", max_length=8, choices=EntryMode.choices, default=EntryMode.TOTALS)
    status = models.CharField("状态", max_length=8, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    # Who last stored the count (finished the ballot-by-ballot entry, or saved totals): not the one to check it.
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="计票录入人",
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="创建时间")

    class Meta:
        verbose_name = "投票轮次"
        verbose_name_plural = "投票轮次"
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="election_round_number_unique")]

    def __str__(self) -> str:
        return f"第{self.number}轮 {self.get_purpose_display()}"

    @property
    def project(self) -> ElectionProject:
        return self.meeting.project

    @property
    def post(self) -> str:
        """What the round fills: committee, secretary or deputy (a further ballot fills what its first round did)."""
        return self.follows_post or self.purpose


class BallotEntry(models.Model):
    """One ballot as read out: a mark per printed name and the write-ins (A8)."""

    round = models.ForeignKey(BallotRound, on_delete=models.CASCADE, related_name="ballots", verbose_name="投票轮次")
    number = models.PositiveIntegerField("票号")
    marks = models.JSONField("标记", default=dict)
    write_ins = models.JSONField("另选他人", default=list, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="录入人",
    )

    class Meta:
        verbose_name = "选票"
        verbose_name_plural = "选票"
        ordering = ["round", "number"]
        constraints = [models.UniqueConstraint(fields=["round", "number"], name="election_ballot_number_unique")]

    def __str__(self) -> str:
        return f"第{self.number}张选票"


class TotalsEntry(models.Model):
    """The counters' per-name totals; a second entry by another person is compared with the first (K9)."""

    round = models.ForeignKey(BallotRound, on_delete=models.CASCADE, related_name="totals", verbose_name="投票轮次")
    sequence = models.PositiveSmallIntegerField("录入次序", default=1)
    valid_ballots = models.PositiveIntegerField("有效票")
    invalid_ballots = models.PositiveIntegerField("无效票")
    votes = models.JSONField("得票", default=dict)
    confirmed_warnings = models.JSONField("已确认的提示", default=list, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="录入人",
    )
    entered_at = models.DateTimeField(auto_now_add=True, verbose_name="录入时间")

    class Meta:
        verbose_name = "计票录入"
        verbose_name_plural = "计票录入"
        ordering = ["round", "sequence"]
        constraints = [models.UniqueConstraint(fields=["round", "sequence"], name="election_totals_sequence_unique")]

    def __str__(self) -> str:
        return f"第{self.sequence}次录入"


class BallotCheck(models.Model):
    """核对: the per-name totals read off the paper tally sheet (计票单, the board of 唱票/计票) by a second person,
    after a round's ballots were entered one by one. Compared with the totals of the stored ballots (K9); a
    difference must be confirmed by whoever publishes the round. The round's result is always read from the ballots;
    re-entering the check replaces it (the audit trail keeps the earlier numbers)."""

    round = models.OneToOneField(
        BallotRound, on_delete=models.CASCADE, related_name="tally_check", verbose_name="投票轮次"
    )
    valid_ballots = models.PositiveIntegerField("有效票")
    invalid_ballots = models.PositiveIntegerField("无效票")
    votes = models.JSONField("得票", default=dict)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="录入人",
    )
    entered_at = models.DateTimeField("录入时间")

    class Meta:
        verbose_name = "计票单核对"
        verbose_name_plural = "计票单核对"

    def __str__(self) -> str:
        return f"{self.round} 计票单核对"


class RoundResult(models.Model):
    """``elections.rules.tally.TallyResult`` as stored: what was decided and why."""

    round = models.OneToOneField(BallotRound, on_delete=models.CASCADE, related_name="result", verbose_name="投票轮次")
    valid = models.BooleanField("选举有效")
    reason = models.TextField("说明")
    valid_ballots = models.PositiveIntegerField("有效票", default=0)
    invalid_ballots = models.PositiveIntegerField("无效票", default=0)
    votes = models.JSONField("得票", default=dict)
    elected = models.JSONField("当选", default=list)
    next_ballot_candidates = models.JSONField("再次投票人选", default=list)
    seats_left = models.PositiveSmallIntegerField("尚缺名额", default=0)
    next_ballot_rule = models.CharField("再次投票依据", max_length=4, blank=True)
    majority_needed = models.PositiveIntegerField("当选最低票数", default=0)
    quorum_needed = models.PositiveIntegerField("有效到会最低人数", default=0)
    notes = models.JSONField("说明事项", default=list, blank=True)
    invalid_ballot_reasons = models.JSONField("废票原因", default=list, blank=True)
    warnings = models.JSONField("已确认的提示", default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="决定人",
    )
    decided_at = models.DateTimeField(auto_now_add=True, verbose_name="决定时间")

    class Meta:
        verbose_name = "计票结果"
        verbose_name_plural = "计票结果"

    def __str__(self) -> str:
        return f"{self.round} {'有效' if self.valid else '无效'}"

    # Why there is a further ballot, in words (the stored value is the rule's internal code).
    NEXT_BALLOT_WORDS = {
        "A1": "到会人数未超过五分之四,重新选举",
        "A6": "收回选票多于发出选票,重新选举",
        "A4": "得票相等,就剩余名额另行投票",
        "A5": "得票过半数的人数不足,另行选举",
    }

    @property
    def next_ballot_words(self) -> str:
        return self.NEXT_BALLOT_WORDS.get(self.next_ballot_rule, "")


class ApprovalKind(models.TextChoices):
    RESULT = "result", "选举结果批复"


class Approval(models.Model):
    """The township's 批复 of the election result (source part 5 step 27; A12 for the secretary)."""

    project = models.ForeignKey(
        ElectionProject, on_delete=models.CASCADE, related_name="approvals", verbose_name="换届选举项目"
    )
    kind = models.CharField("类别", max_length=10, choices=ApprovalKind.choices, default=ApprovalKind.RESULT)
    approved = models.BooleanField("同意")
    note = models.CharField("批复意见", max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="决定人",
    )
    decided_on = models.DateField("批复日期")
    elected = models.JSONField("批准的班子", default=list)  # [{"member": id, "name", "post"}]

    class Meta:
        verbose_name = "批复"
        verbose_name_plural = "批复"
        ordering = ["project", "-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.project} {self.get_kind_display()}"
