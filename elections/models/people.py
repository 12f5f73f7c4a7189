"""Who votes, who was recommended, who stands, the eligibility checklist, the pledges and the candidate notice."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

from elections.models.project import ElectionProject
from organizations.models import Member


class VoterStatus(models.TextChoices):
    DUE = "due", "应到会"
    EXCUSED = "excused", "经批准不计入应到会人数"
    INELIGIBLE = "ineligible", "无选举权"


class ExcuseReason(models.TextChoices):
    """A1a: the grounds on which the congress may, with the higher body's consent, leave a member out of "due"."""

    INCAPABLE = "incapable", "因患有精神病或其他疾病导致不能表达本人意志"
    ABROAD = "abroad", "出国半年以上"
    SENTENCED = "sentenced", "虽未受到留党察看以上党纪处分,但正在服刑"
    BEDRIDDEN = "bedridden", "年老体弱卧床不起和长期生病生活不能自理"
    AWAY = "away", "外出半年以上,无法参加选举且未转出组织关系"


class Voter(models.Model):
    project = models.ForeignKey(
        ElectionProject, on_delete=models.CASCADE, related_name="voters", verbose_name="换届选举项目"
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name="党员")
    status = models.CharField("登记情况", max_length=12, choices=VoterStatus.choices, default=VoterStatus.DUE)
    excuse_reason = models.CharField("不计入原因", max_length=12, choices=ExcuseReason.choices, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    is_migrant = models.BooleanField("流动党员(需通知返乡)", default=False)
    notified_on = models.DateField("已通知日期", null=True, blank=True)
    present = models.BooleanField("到会", default=False)

    class Meta:
        verbose_name = "选举登记"
        verbose_name_plural = "选举登记"
        ordering = ["project", "member__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["project", "member"], name="election_voter_unique")]

    def __str__(self) -> str:
        return f"{self.member.name}({self.get_status_display()})"


class RecommendationRound(models.TextChoices):
    MEMBERS = "members", "党员推荐"
    RESIDENTS = "residents", "群众推荐"
    TOWNSHIP = "township", "乡镇党委推荐"


class Recommendation(models.Model):
    project = models.ForeignKey(
        ElectionProject, on_delete=models.CASCADE, related_name="recommendations", verbose_name="换届选举项目"
    )
    round = models.CharField("推荐方式", max_length=12, choices=RecommendationRound.choices)
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name="被推荐人")
    count = models.PositiveIntegerField("得票(推荐)数", default=0)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="录入人",
    )

    class Meta:
        verbose_name = "推荐情况"
        verbose_name_plural = "推荐情况"
        ordering = ["project", "round", "-count", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "round", "member"], name="election_recommendation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_round_display()} {self.member_id}:{self.count}"


class CandidatePost(models.TextChoices):
    COMMITTEE = "committee", "委员"
    SECRETARY = "secretary", "书记"
    DEPUTY = "deputy", "副书记"


class ListStage(models.TextChoices):
    """Source part 5 steps 12–17: 初步人选 → 考察名单 → 候选人预备人选."""

    INITIAL = "initial", "初步人选"
    INSPECTION = "inspection", "考察对象"
    FINAL = "final", "候选人预备人选"


class CandidateStatus(models.TextChoices):
    PENDING = "pending", "待资格审查"
    ELIGIBLE = "eligible", "资格审查通过"
    REFUSED = "refused", "资格审查未通过"
    APPROVED = "approved", "已批准为候选人"
    WITHDRAWN = "withdrawn", "已退出"
    DISQUALIFIED = "disqualified", "已取消候选人资格"  # 第五篇 六.2, elections.services.annulment


class Discipline(models.TextChoices):
    NONE = "none", "无处分"
    IMPACT_ENDED = "impact_ended", "受处分影响期已满"
    IMPACT_ONGOING = "impact_ongoing", "受处分影响期未满"


class Candidate(models.Model):
    project = models.ForeignKey(
        ElectionProject, on_delete=models.CASCADE, related_name="candidates", verbose_name="换届选举项目"
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name="党员")
    post = models.CharField("拟任职务", max_length=10, choices=CandidatePost.choices, default=CandidatePost.COMMITTEE)
    stage = models.CharField("人选阶段", max_length=12, choices=ListStage.choices, default=ListStage.INITIAL)
    status = models.CharField(
        "审查状态", max_length=12, choices=CandidateStatus.choices, default=CandidateStatus.PENDING
    )
    healthy = models.BooleanField("身体健康", default=True)
    age_exception_approved = models.BooleanField("超龄提名已经乡镇研究、县审定", default=False)
    discipline = models.CharField("处分情况", max_length=16, choices=Discipline.choices, default=Discipline.NONE)
    discipline_review_approved = models.BooleanField("受处分人选已经乡镇研究、县领导小组同意", default=False)
    findings = models.JSONField("审查结论", default=list, blank=True)  # [{"rule", "message", "severity"}]
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审查人",
    )
    reviewed_at = models.DateTimeField("审查时间", null=True, blank=True)

    class Meta:
        verbose_name = "候选人"
        verbose_name_plural = "候选人"
        ordering = ["project", "post", "member__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["project", "member", "post"], name="election_candidate_unique")]

    def __str__(self) -> str:
        return f"{self.member.name}({self.get_post_display()})"

    @property
    def name(self) -> str:
        return self.member.name

    @property
    def errors(self) -> list[dict[str, str]]:
        return [f for f in self.findings if f.get("severity") == "error"]

    @property
    def warnings(self) -> list[dict[str, str]]:
        return [f for f in self.findings if f.get("severity") == "warning"]


class EligibilityCheck(models.Model):
    """One item of the joint review (资格联审): a barring ground or a secretary ground, who checked it, where, when."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="checks", verbose_name="候选人")
    rule = models.CharField("审查事项", max_length=24)  # "barring:1".."barring:11", "secretary:1".."secretary:9"
    passed = models.BooleanField("通过(不存在该情形)", default=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审查人",
    )
    department = models.CharField("审查部门", max_length=40)
    checked_at = models.DateTimeField("审查时间")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "资格联审事项"
        verbose_name_plural = "资格联审事项"
        ordering = ["candidate", "rule"]
        constraints = [models.UniqueConstraint(fields=["candidate", "rule"], name="election_check_unique")]

    def __str__(self) -> str:
        return f"{self.rule} {'通过' if self.passed else '未通过'}"


class PledgeKind(models.TextChoices):
    DISCIPLINE = "discipline", "纪律承诺"
    CANDIDACY = "candidacy", "竞职承诺"
    ENTREPRENEURSHIP = "entrepreneurship", "创业承诺"
    INTEGRITY = "integrity", "廉政承诺"
    RESIGNATION = "resignation", "辞职承诺"


class Pledge(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="pledges", verbose_name="候选人")
    kind = models.CharField("承诺类别", max_length=20, choices=PledgeKind.choices)
    text = models.TextField("承诺内容", blank=True)
    signed_on = models.DateField("签订日期")

    class Meta:
        verbose_name = "承诺"
        verbose_name_plural = "承诺"
        ordering = ["candidate", "kind"]
        constraints = [models.UniqueConstraint(fields=["candidate", "kind"], name="election_pledge_unique")]

    def __str__(self) -> str:
        return self.get_kind_display()


class CandidateNotice(models.Model):
    """Source part 5 step 17: the candidate list in public; open is derived from the dates, never stored."""

    project = models.OneToOneField(
        ElectionProject, on_delete=models.CASCADE, related_name="notice", verbose_name="换届选举项目"
    )
    title = models.CharField("标题", max_length=120)
    body = models.TextField("公示说明", blank=True)
    contact = models.CharField("联系方式", max_length=120, blank=True)
    working_days = models.PositiveSmallIntegerField("公示期(工作日)", default=5)
    starts_on = models.DateField("公示开始")
    ends_on = models.DateField("公示结束")
    # D3: computed Monday–Friday because a year it reaches had no holidays entered (暂定), recomputed when it is
    ends_on_provisional = models.BooleanField("公示结束日期暂定", default=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布人",
    )
    published_at = models.DateTimeField("发布时间", auto_now_add=True)

    class Meta:
        verbose_name = "候选人预备人选公示"
        verbose_name_plural = "候选人预备人选公示"

    def __str__(self) -> str:
        return self.title

    def is_open(self, today: date) -> bool:
        return self.starts_on <= today <= self.ends_on

    def has_ended(self, today: date) -> bool:
        return self.ends_on < today
