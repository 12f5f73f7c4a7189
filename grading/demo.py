"""Demo data of annual classification (分类定级) on top of the demo district (``organizations.demo``).

Two campaigns, created and opened through ``grading.services`` as the ``district`` account: 2025, finished, with a
final grade for every graded organization (the grade history shows two years); 2026, copied from 2025, in which
T01–T10 are finished (notices in April, approved in April, final after the objection window) and T11–T12 are
at every stage of the live workflow, with one notice open today on the public page.

The hundreds of rows are written in bulk, but they are the rows the services would have written: statuses and
versions counted move by move, scores that are the sums of their item scores, preliminary grades that are the
band of the score (C1) or 较差 after a veto (C4) unless a reason is recorded, at most 20% 好 per township (C5),
grade records, C6 flags, notices with their D1 windows and objection windows in working days (D2). The audit
trail gets one event per township and step instead of one per organization.

Every random choice comes from one seeded ``random.Random`` and every date of a finished year is fixed; only the
live townships' dates are counted back from today, so that their notice is open whenever the demo is loaded.
"""

from __future__ import annotations

import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from grading import rules, services
from grading.assessments import assessments_ensure, good_share_of
from grading.models import (
    Assessment,
    AssessmentStatus,
    Campaign,
    CampaignStatus,
    EvaluationMeeting,
    GradeRecord,
    Item,
    ItemScore,
    MeetingTallyRow,
    Notice,
    Objection,
    ObjectionOutcome,
    ObjectionStage,
    ScoreLevel,
    SelfReport,
)
from organizations.demo.district import demo_root
from organizations.models import CommitteeTerm, Member, Organization, OrgField
from partybuild.models import Event
from partybuild.names import account_label
from partybuild.workdays import CalendarMissing, window_end

SEED = 20260401
PREVIOUS_YEAR = 2025
CURRENT_YEAR = 2026
LIVE_TOWNSHIPS = ("T11", "T12")  # still at work in the current year; every other township is finished
G = rules.Grade
S = AssessmentStatus
HALF = Decimal("0.5")

# Versions as the services count them: every save and every move adds one (grading.workflow, grading.assessments).
SELF_SAVES = 4  # 附件1, 附件2, 附件3 scores, 附件3 committee opinion
V_SUBMITTED = 1 + SELF_SAVES + 1
V_SCORED = V_SUBMITTED + 2  # one 附件4 save, then 完成评分
V_IN_NOTICE = V_SCORED + 1
V_WITH_DISTRICT = V_IN_NOTICE + 2  # closed by the clock, then submitted
V_APPROVED = V_WITH_DISTRICT + 1
V_FINAL = V_APPROVED + 1  # the clock finalizes after the objection window (one more save)
V_FINAL_OBJECTED = V_APPROVED + 3  # an objection (+1), its re-review (+1) and the finalization inside it (+1)

# Shares of the live townships' organizations per stage (largest remainder; T11 always has an open notice).
LIVE_STAGES: dict[str, list[tuple[str, float]]] = {
    "T11": [
        ("approved", 0.1),
        ("with_district", 0.15),
        ("in_notice", 0.25),
        ("scored", 0.15),
        ("submitted", 0.12),
        ("returned", 0.03),
        ("drafting", 0.1),
        ("untouched", 0.1),
    ],
    "T12": [("scored", 0.2), ("submitted", 0.3), ("returned", 0.05), ("drafting", 0.2), ("untouched", 0.25)],
}
STAGE_ORDER = [
    "untouched",
    "drafting",
    "returned",
    "submitted",
    "scored",
    "in_notice",
    "with_district",
    "approved",
    "final",
]
BAND_RANGES = {G.GOOD: (90, 97.5), G.FAIRLY_GOOD: (80, 89.5), G.AVERAGE: (61, 79.5), G.POOR: (46, 59.5)}
MEETING_PLACES = {OrgField.RURAL: "村委会会议室", OrgField.COMMUNITY: "社区党群服务中心"}


@dataclass
class GradingDemoSummary:
    created: bool
    message: str = ""
    seconds: float = 0.0
    final_grades: dict[int, Counter[str]] = field(default_factory=dict)
    statuses: Counter[str] = field(default_factory=Counter)
    open_notice: Notice | None = None
    rectification_applied: int | None = None


def already_built(root: Organization) -> bool:
    return (
        Assessment.objects.filter(campaign__year=CURRENT_YEAR, organization__path__startswith=root.path)
        .exclude(status=S.DRAFT)
        .exists()
    )


def build_grading_demo(*, seed: int = SEED, today: date | None = None) -> GradingDemoSummary:
    """Build both campaigns once; change nothing when the current year already has work in the demo tree."""
    started = time.perf_counter()
    root = demo_root()
    if root is None:
        return GradingDemoSummary(False, "尚未载入演示组织树,请先运行 manage.py load_demo")
    if already_built(root):
        return summarize(root, created=False)
    district = get_user_model().objects.filter(username="district").first()
    if district is None:
        return GradingDemoSummary(False, "缺少演示账号 district,请用 manage.py load_demo --reset 重建演示数据")
    _ensure_holidays()
    today = today or timezone.localdate()
    with transaction.atomic():
        builder = _Builder(random.Random(seed), root, district, today)
        previous = _campaign(district, PREVIOUS_YEAR, copy_from=None)
        builder.fill(previous, live=())
        Campaign.objects.filter(pk=previous.pk).update(status=CampaignStatus.CLOSED)  # no service closes a year yet
        current = _campaign(district, CURRENT_YEAR, copy_from=previous)
        builder.fill(current, live=LIVE_TOWNSHIPS)
    applied = _rectification_catch_up()
    summary = summarize(root, created=True)
    summary.seconds = time.perf_counter() - started
    summary.rectification_applied = applied
    return summary


def summarize(root: Organization, *, created: bool) -> GradingDemoSummary:
    mine = Assessment.objects.filter(organization__path__startswith=root.path)
    finals: dict[int, Counter[str]] = defaultdict(Counter)
    for year, grade, n in (
        mine.exclude(final_grade="").values_list("campaign__year", "final_grade").annotate(n=Count("pk"))
    ):
        finals[year][grade] = n
    statuses = Counter(dict(mine.filter(campaign__year=CURRENT_YEAR).values_list("status").annotate(n=Count("pk"))))
    today = timezone.localdate()
    open_notice = Notice.objects.filter(
        campaign__year=CURRENT_YEAR, township__path__startswith=root.path, starts_on__lte=today, ends_on__gte=today
    ).first()
    return GradingDemoSummary(created, final_grades=dict(finals), statuses=statuses, open_notice=open_notice)


def _ensure_holidays() -> None:
    """Objection windows count working days (D2): the years used must be in the holiday table (seeded as
    ``make run`` does; a year entered by hand is left alone)."""
    from partybuild.calendar_services import calendar_year_import
    from partybuild.management.commands.seed_holidays import differing_days
    from partybuild.models import CalendarYear

    for year in (PREVIOUS_YEAR, CURRENT_YEAR):
        if not CalendarYear.objects.filter(year=year).exists():
            calendar_year_import(year=year, days=differing_days(year))


def _campaign(actor: Any, year: int, *, copy_from: Campaign | None) -> Campaign:
    campaign = Campaign.objects.filter(year=year).first()
    if campaign is None:
        campaign = services.campaign_create(actor=actor, year=year, copy_from=copy_from)
        # The year was prepared in January, not today: the campaign's own date and its events say so.
        Campaign.objects.filter(pk=campaign.pk).update(created_at=_at(date(year, 1, 8), 10))
        Event.objects.filter(
            verb="grading.campaign_create", target_type="grading.campaign", target_id=str(campaign.pk)
        ).update(at=_at(date(year, 1, 8), 10))
    if campaign.status == CampaignStatus.DRAFT:
        campaign = services.campaign_open(actor=actor, campaign=campaign)
        Event.objects.filter(
            verb="grading.campaign_open", target_type="grading.campaign", target_id=str(campaign.pk)
        ).update(at=_at(date(year, 1, 15), 9))
        return campaign
    assessments_ensure(campaign)  # the year outlived a reset of the tree: give the new organizations theirs
    return campaign


def _rectification_catch_up() -> int | None:
    """Rectification applies final grades it has not seen (categories, a case per 较差); it is optional here."""
    try:
        from rectification.services.subscriber import grades_catch_up
    except ImportError:
        try:
            from rectification.services.subscriber import grades_catch_up
        except ImportError:
            return None
    # One transaction for all of them: a commit per organization (the handler's own) costs more than the work.
    with transaction.atomic():
        return grades_catch_up()


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def _half(value: float) -> Decimal:
    return Decimal(round(value * 2)) / 2


@dataclass
class _Plan:
    """What happens to one assessment, decided before anything is written."""

    a: Assessment
    stage: str
    grade: str = ""  # the township's preliminary grade
    score: Decimal | None = None  # the township's total
    vetoed: bool = False
    override: bool = False  # the township chose another grade than the band, with a reason
    adjusted: str = ""  # the district's grade when it differs
    objection: str = ""  # "", "notice", "rejected", "upheld"
    notice: Notice | None = None


class _Builder:
    def __init__(self, rng: random.Random, root: Organization, district: Any, today: date) -> None:
        self.rng = rng
        self.root = root
        self.district = district
        self.today = today
        users = get_user_model().objects.filter(username__startswith="township")
        self.township_users = {u.username: u for u in users}
        self.townships = list(Organization.objects.filter(path__startswith=root.path, depth=root.depth + 1))
        seats = CommitteeTerm.objects.filter(organization__path__startswith=root.path).values_list(
            "organization_id", "seats"
        )
        self.seats = dict(seats)
        counts = Member.objects.filter(organization__path__startswith=root.path, left_on__isnull=True)
        self.members = dict(counts.values_list("organization_id").annotate(n=Count("pk")))

    def township_user(self, township: Organization) -> Any:
        return self.township_users.get(f"township{township.code[1:]}", self.district)

    # --- plans --------------------------------------------------------------------------------------------

    def fill(self, campaign: Campaign, *, live: tuple[str, ...]) -> None:
        items: dict[int, list[Item]] = defaultdict(list)
        for item in (
            Item.objects.filter(dimension__template__campaign=campaign)
            .order_by("dimension__order", "order", "pk")
            .select_related("dimension")
        ):
            items[item.dimension.template_id].append(item)
        self.items = items
        self.campaign = campaign
        assessments = list(
            Assessment.objects.filter(campaign=campaign, organization__path__startswith=self.root.path)
            .select_related("organization")
            .order_by("organization__path")
        )
        by_township: dict[str, list[Assessment]] = defaultdict(list)
        for a in assessments:
            by_township[a.organization.code[:3]].append(a)
        plans: list[_Plan] = []
        vetoes = overrides = adjustments = 0
        # one of each kind of objection a year, spread over the townships (see _objections)
        self.quota = {"pending", "upheld", "rejected", "notice", "notice2"}
        for index, township in enumerate(self.townships):
            group = by_township.get(township.code, [])
            if not group:
                continue
            stages = self._stages(township.code, len(group)) if township.code in live else ["final"] * len(group)
            self.rng.shuffle(stages)
            township_plans = [_Plan(a, s) for a, s in zip(group, stages, strict=True)]
            self._grades(township_plans, len(group))
            finished = [p for p in township_plans if p.stage == "final"]
            # Rare cases, once per year each, in the first township big enough to show them.
            if not vetoes and index >= 2 and self._veto(township_plans):
                vetoes += 1
            if not overrides and index >= 4 and self._override(finished):
                overrides += 1
            if not adjustments and index >= 1 and self._adjust(finished):
                adjustments += 1
            self._objections(finished)
            plans += township_plans
            self._notices(township, township_plans, index)
        self._write(plans)

    def _stages(self, code: str, n: int) -> list[str]:
        shares = LIVE_STAGES[code]
        raw = [(name, share * n) for name, share in shares]
        counts = {name: int(x) for name, x in raw}
        for name, _ in sorted(raw, key=lambda r: r[1] - int(r[1]), reverse=True)[: n - sum(counts.values())]:
            counts[name] += 1
        for must in ("in_notice", "with_district"):
            if must in counts and counts[must] == 0 and n >= 2:
                donor = max(counts, key=lambda k: counts[k])
                counts[donor] -= 1
                counts[must] += 1
        return [name for name, c in counts.items() for _ in range(c)]

    def _grades(self, plans: list[_Plan], total: int) -> None:
        """Grades of the scored ones, 好 within the township's cap (C5: floor of 20% of all its organizations)."""
        scored = [p for p in plans if STAGE_ORDER.index(p.stage) >= STAGE_ORDER.index("scored")]
        if not scored:
            return
        allowed = rules.good_cap_check(total, 0, self.campaign.good_cap_percent).allowed
        k = len(scored)
        good = min(allowed, round(k * self.rng.uniform(0.1, 0.2)))
        poor = min(k - good, self.rng.choice([0, 1, 1, 2]) if k >= 15 else int(self.rng.random() < 0.3 * k / 10))
        fairly = round((k - good - poor) * self.rng.uniform(0.4, 0.55))
        grades = [G.GOOD] * good + [G.POOR] * poor + [G.FAIRLY_GOOD] * fairly
        grades += [G.AVERAGE] * (k - len(grades))
        self.rng.shuffle(grades)
        for p, grade in zip(scored, grades, strict=True):
            low, high = BAND_RANGES[grade]
            p.grade, p.score = grade.value, _half(self.rng.uniform(low, high))

    def _veto(self, plans: list[_Plan]) -> bool:
        candidates = [p for p in plans if p.stage == "final" and p.grade == G.AVERAGE]
        if not candidates:
            return False
        p = self.rng.choice(candidates)
        p.vetoed, p.grade = True, G.POOR.value  # C4: the band of the score no longer counts
        return True

    def _override(self, plans: list[_Plan]) -> bool:
        candidates = [p for p in plans if p.grade == G.FAIRLY_GOOD and not p.vetoed]
        if not candidates:
            return False
        p = self.rng.choice(candidates)
        p.score, p.override = _half(self.rng.uniform(90, 91)), True  # band 好, kept at 较好 with a reason
        return True

    def _adjust(self, plans: list[_Plan]) -> bool:
        candidates = [p for p in plans if p.grade == G.FAIRLY_GOOD and not p.override]
        if not candidates:
            return False
        self.rng.choice(candidates).adjusted = G.AVERAGE.value  # downwards: the district's 好 share is unchanged
        return True

    def _objections(self, plans: list[_Plan]) -> None:
        """A few objections a year, each answered: during the notice (not upheld, the grade stays), and after the
        district's approval (one re-review rejected, one upheld: a 一般 just below 80 raised to 较好, so the
        score still reads plausibly next to the grade). The open notice of a live township has one that still
        waits for its answer."""
        live = [p for p in plans if p.stage == "in_notice"]
        if live and "pending" in self.quota:
            self.quota.discard("pending")
            self.rng.choice(live).objection = "pending"
        plain = [p for p in plans if p.stage == "final" and not (p.vetoed or p.override or p.adjusted)]
        self.rng.shuffle(plain)
        for p in plain:
            wanted = {
                "upheld": p.grade == G.AVERAGE and p.score is not None and p.score >= 77,
                "rejected": True,
                "notice": True,
                "notice2": True,
            }
            kind = next((k for k in ("upheld", "rejected", "notice", "notice2") if k in self.quota and wanted[k]), "")
            if kind and self.rng.random() < 0.5:
                self.quota.discard(kind)
                p.objection = kind.rstrip("2")
                return

    # --- dates ------------------------------------------------------------------------------------------

    def _notices(self, township: Organization, plans: list[_Plan], index: int) -> None:
        """One notice per finished township in April; in a live township, one closed and one open today."""
        year = self.campaign.year
        finished = [p for p in plans if p.stage == "final"]
        if finished:
            self._notice(township, finished, date(year, 4, 1) + timedelta(days=index // 2))
        earlier = [p for p in plans if p.stage in ("with_district", "approved")]
        if earlier:
            self._notice(township, earlier, self.today - timedelta(days=12))
        current = [p for p in plans if p.stage == "in_notice"]
        if current:
            self._notice(township, current, self.today - timedelta(days=1))

    def _notice(self, township: Organization, plans: list[_Plan], published_on: date) -> None:
        from grading.notices import default_title, notice_window

        starts, ends = notice_window(published_on, self.campaign.notice_days)
        short = township.name.removesuffix("党委").removesuffix("党工委")
        notice = Notice(
            campaign=self.campaign,
            township=township,
            title=default_title(self.campaign, township, published_on),  # each batch its own name
            body=(
                "根据区委组织部关于开展基层党组织分类定级工作的部署,经党组织自查自评、测评会测评和党(工)委"
                "审核评分,现将初评结果予以公示。公示期间如有异议,请以书面、电话或来访形式向党(工)委组织办反映。"
            ),
            contact=f"{short}组织办,电话 0771-{4800000 + int(township.code[1:]) * 1111}",
            published_on=published_on,
            starts_on=starts,
            ends_on=ends,
            published_by=self.township_user(township),
        )
        notice.save()
        Notice.objects.filter(pk=notice.pk).update(created_at=_at(published_on, 9))
        for p in plans:
            p.notice = notice

    # --- writing ---------------------------------------------------------------------------------------------

    def _write(self, plans: list[_Plan]) -> None:
        ids = [p.a.pk for p in plans]
        reports = {r.assessment_id: r for r in SelfReport.objects.filter(assessment_id__in=ids)}
        meetings = {m.assessment_id: m for m in EvaluationMeeting.objects.filter(assessment_id__in=ids)}
        tallies: dict[int, list[MeetingTallyRow]] = defaultdict(list)
        for row in MeetingTallyRow.objects.filter(meeting__assessment_id__in=ids).select_related("meeting"):
            tallies[row.meeting.assessment_id].append(row)
        scores: list[ItemScore] = []
        objections: list[Objection] = []
        records: list[GradeRecord] = []
        for p in plans:
            self._secretary(p, reports[p.a.pk], meetings[p.a.pk], tallies[p.a.pk], scores)
            self._township(p, scores)
            self._district(p, objections, records)
        # bulk_update's CASE expressions are slow on hundreds of rows: one UPDATE per assessment, and the empty
        # report, meeting and tally rows that opening the campaign created are replaced by filled ones.
        for p in plans:
            Assessment.objects.filter(pk=p.a.pk).update(**{f: getattr(p.a, f) for f in ASSESSMENT_FIELDS})
        SelfReport.objects.filter(assessment_id__in=ids).delete()
        EvaluationMeeting.objects.filter(assessment_id__in=ids).delete()
        for m in meetings.values():
            m.pk = None
        SelfReport.objects.bulk_create(
            [
                SelfReport(assessment_id=r.assessment_id, **{f: getattr(r, f) for f in REPORT_FIELDS})
                for r in reports.values()
            ],
            batch_size=500,
        )
        created = {m.assessment_id: m for m in EvaluationMeeting.objects.bulk_create(meetings.values(), batch_size=500)}
        if any(m.pk is None for m in created.values()):  # backends that do not return ids from bulk inserts
            created = {m.assessment_id: m for m in EvaluationMeeting.objects.filter(assessment_id__in=ids)}
        MeetingTallyRow.objects.bulk_create(
            [
                MeetingTallyRow(
                    meeting=created[assessment_id],
                    category=r.category,
                    attendees=r.attendees,
                    good=r.good,
                    fairly_good=r.fairly_good,
                    average=r.average,
                    poor=r.poor,
                )
                for assessment_id, rows in tallies.items()
                for r in rows
            ],
            batch_size=1000,
        )
        ItemScore.objects.bulk_create(scores, batch_size=1000)
        Objection.objects.bulk_create(objections, batch_size=200)
        GradeRecord.objects.bulk_create(records, batch_size=500)
        # recorded_at is auto_now_add: give each line the time of its decision, as the services would have.
        for stage, source in (("区委组织部审定", "approved_at"), (None, "finalized_at")):
            rows = GradeRecord.objects.filter(assessment_id__in=ids)
            rows = rows.filter(stage=stage) if stage else rows.exclude(stage="区委组织部审定")
            rows.update(
                recorded_at=Subquery(Assessment.objects.filter(pk=OuterRef("assessment_id")).values(source)[:1])
            )
        self._events(plans)

    def _secretary(
        self,
        p: _Plan,
        report: SelfReport,
        meeting: EvaluationMeeting,
        tally: list[MeetingTallyRow],
        scores: list[ItemScore],
    ) -> None:
        a, org, rng = p.a, p.a.organization, self.rng
        if p.stage == "untouched":
            return
        names = {"name": org.name, "members": self.members.get(org.pk, 0)}
        sections = REPORT_FIELDS if p.stage != "drafting" else REPORT_FIELDS[: rng.randint(1, 4)]
        for name in sections:
            setattr(report, name, rng.choice(REPORT[name]).format(**names))
        submitted = self._submitted_on(p)
        held = submitted - timedelta(days=rng.randint(5, 15))
        a.version = 1 + (1 if p.stage == "drafting" else SELF_SAVES)
        if p.stage == "drafting":
            return
        meeting.held_on = held
        meeting.place = MEETING_PLACES.get(org.field, "本单位会议室")
        meeting.supervised_by = "镇党委挂点领导" if org.field == OrgField.RURAL else "乡镇(街道)党建指导员"
        quality = float(p.score if p.score is not None else _half(rng.uniform(70, 92)))
        self._tally(tally, org, quality)
        a.good_share = good_share_of(tally)
        self_total = min(Decimal(100), (Decimal(str(quality)) + _half(rng.uniform(-2, 6))))
        maxima = self._scored_items(a)
        for item, points in zip(maxima, _spread(self_total, [i.max_points for i in maxima], rng), strict=True):
            scores.append(ItemScore(assessment=a, item=item, level=ScoreLevel.SELF, points=points))
        seats = self.seats.get(org.pk, 3)
        against = 1 if seats >= 5 and rng.random() < 0.15 else 0
        a.self_score, a.self_grade = self_total, rules.grade_for_score(self_total).value
        a.committee_met_on = held + timedelta(days=rng.randint(1, 4))
        a.committee_for, a.committee_against, a.committee_abstain = seats - against, against, 0
        a.submitted_at = _at(submitted, rng.randint(9, 17), rng.randint(0, 59))
        a.status, a.version = S.SUBMITTED, V_SUBMITTED
        if p.stage == "returned":
            a.status, a.version = S.RETURNED, V_SUBMITTED + 1
            a.returned_reason = "测评会各类人员测评票数与参会人数不一致,请核对后重新提交"

    def _tally(self, rows: list[MeetingTallyRow], org: Organization, quality: float) -> None:
        weights = [max(0.03, (quality - 72) / 22), 0.4, max(0.05, (86 - quality) / 30), max(0.01, (68 - quality) / 40)]
        sizes = {
            "leader": self.rng.randint(1, 2),
            "member": max(3, round(self.members.get(org.pk, 0) * self.rng.uniform(0.7, 0.9))) or 20,
            "masses": self.rng.randint(5, 15),
            "deputies": self.rng.randint(0, 3),
        }
        for row in rows:
            row.attendees = sizes[row.category]
            cast = max(0, row.attendees - (1 if row.attendees > 10 and self.rng.random() < 0.3 else 0))
            counts = Counter(self.rng.choices(list(G.values), weights=weights, k=cast))
            row.good, row.fairly_good, row.average, row.poor = (counts[g] for g in G.values)

    def _scored_items(self, a: Assessment) -> list[Item]:
        return [i for i in self.items[a.template_id] if not i.is_veto]

    def _township(self, p: _Plan, scores: list[ItemScore]) -> None:
        if p.score is None:
            return
        a, rng = p.a, self.rng
        scored = self._scored_items(a)
        for item, points in zip(scored, _spread(p.score, [i.max_points for i in scored], rng), strict=True):
            note = "" if points == item.max_points else rng.choice(("资料不全", "记录不规范", "落实不到位", ""))
            scores.append(ItemScore(assessment=a, item=item, level=ScoreLevel.TOWNSHIP, points=points, note=note))
        vetoes = [i for i in self.items[a.template_id] if i.is_veto]
        for n, item in enumerate(vetoes):
            hit = p.vetoed and n == 0
            note = "班子成员受到党纪处分" if hit else ""
            scores.append(ItemScore(assessment=a, item=item, level=ScoreLevel.TOWNSHIP, vetoed=hit, note=note))
        a.township_score, a.township_vetoed = p.score, p.vetoed
        band = rules.grade_for_score(p.score, vetoed=p.vetoed).value
        a.township_grade = G.FAIRLY_GOOD.value if p.override else p.grade
        assert p.override or a.township_grade == band, (p, band)
        if p.override:
            a.township_override_reason = "测评会“好”票比例不足一半,群众满意度一般,经党委会研究初定为“较好”"
        a.township_opinion = rng.choice(OPINIONS).format(grade=rules.Grade(a.township_grade).label)
        a.scored_at = _at(self._scored_on(p), rng.randint(9, 17), rng.randint(0, 59))
        a.status, a.version = S.SCORED, V_SCORED

    def _district(self, p: _Plan, objections: list[Objection], records: list[GradeRecord]) -> None:
        a, notice, rng = p.a, p.notice, self.rng
        if notice is None:
            return
        a.notice, a.status, a.version = notice, S.IN_NOTICE, V_IN_NOTICE
        township_user = self.township_user(self._township_of(a))
        if p.objection == "pending":
            objections.append(
                Objection(
                    assessment=a,
                    stage=ObjectionStage.NOTICE,
                    raised_by_name="群众来电",
                    content=objection_texts("notice", a.organization.name),
                    raised_on=notice.starts_on,
                )
            )
        if p.objection == "notice":
            objections.append(
                Objection(
                    assessment=a,
                    stage=ObjectionStage.NOTICE,
                    raised_by_name=rng.choice(("群众来信", "村民代表", "党员")),
                    content=objection_texts("notice", a.organization.name),
                    raised_on=notice.starts_on,
                    outcome=ObjectionOutcome.REJECTED,
                    answer="经党(工)委核实,所反映问题不影响初评等次,异议不成立。",
                    answered_by=township_user,
                    answered_at=_at(notice.ends_on, 16),
                )
            )
        if p.stage == "in_notice":
            return
        a.status, a.version = S.WITH_DISTRICT, V_WITH_DISTRICT
        if p.stage == "with_district":
            return
        approved_on = self._approved_on(p)
        try:
            due = window_end(approved_on, self.campaign.objection_working_days, working_days=True)
        except CalendarMissing:
            return  # next year's holidays are not entered yet: leave it with the district
        a.district_grade = p.adjusted or a.township_grade
        if p.adjusted:
            a.district_adjust_reason = "经区委组织部复核,该组织“三会一课”记录不全、党员发展不规范,调整为“一般”"
        a.approved_at = _at(approved_on, 15)
        a.objection_due = due
        a.status, a.version = S.APPROVED, V_APPROVED
        records.append(
            GradeRecord(
                organization=a.organization,
                assessment=a,
                year=self.campaign.year,
                stage="区委组织部审定",
                grade=a.district_grade,
                score=a.township_score,
                reason=a.district_adjust_reason,
                recorded_by=self.district,
            )
        )
        if p.stage != "final":
            return
        # No objection: the clock finalizes the morning after the window (catch_up, D2).
        final, stage, reason, decided_by = a.district_grade, "异议期满定级", "", None
        finalized = _at(due + timedelta(days=1), 0, 5)
        if p.objection in ("rejected", "upheld"):
            raised = approved_on + timedelta(days=rng.randint(1, 4))
            upheld = p.objection == "upheld"
            final = G.FAIRLY_GOOD.value if upheld else a.district_grade
            reason = (
                "经复核,该组织集体经济收入和为民办实事台账材料齐全,异议成立,调整为“较好”。"
                if upheld
                else "经复核,初评程序规范、评分依据充分,异议不成立,维持原等次。"
            )
            stage, decided_by, finalized = "异议复核定级", self.district, _at(raised + timedelta(days=3), 11)
            objections.append(
                Objection(
                    assessment=a,
                    stage=ObjectionStage.DISTRICT,
                    raised_by_name=f"{a.organization.name}书记",
                    content=objection_texts("district", a.organization.name),
                    raised_on=raised,
                    outcome=ObjectionOutcome.UPHELD if upheld else ObjectionOutcome.REJECTED,
                    answer=reason,
                    new_grade=final if upheld else "",
                    answered_by=self.district,
                    answered_at=finalized,
                )
            )
        consequences = rules.consequences(final)
        a.final_grade, a.final_score, a.finalized_at = final, a.township_score, finalized
        a.nominable_as_advanced = consequences.nominable_as_advanced
        a.secretary_promotable_next_year = consequences.secretary_promotable_next_year
        a.committee_appraisal_cap = consequences.committee_appraisal_cap or ""
        a.status = S.FINAL
        a.version = V_FINAL_OBJECTED if stage == "异议复核定级" else V_FINAL
        records.append(
            GradeRecord(
                organization=a.organization,
                assessment=a,
                year=self.campaign.year,
                stage=stage,
                grade=final,
                score=a.final_score,
                reason=reason,
                recorded_by=decided_by,
            )
        )

    def _township_of(self, a: Assessment) -> Organization:
        return next(t for t in self.townships if a.organization.path.startswith(t.path))

    # Each stage's day: finished townships on the plan's calendar (before 31 Mar, 10 Apr, 20 Apr), live ones
    # counted back from today.
    def _submitted_on(self, p: _Plan) -> date:
        if p.stage == "final":
            return date(self.campaign.year, 3, self.rng.randint(12, 31))
        back = {"approved": 30, "with_district": 28, "in_notice": 18, "scored": 12, "returned": 12, "submitted": 6}
        return self.today - timedelta(days=back.get(p.stage, 3) + self.rng.randint(0, 4))

    def _scored_on(self, p: _Plan) -> date:
        if p.notice is not None:
            return p.notice.published_on - timedelta(days=self.rng.randint(1, 3))
        return self.today - timedelta(days=self.rng.randint(1, 3))

    def _approved_on(self, p: _Plan) -> date:
        assert p.notice is not None
        if p.stage == "final":
            return date(self.campaign.year, 4, self.rng.randint(14, 17))
        return self.today - timedelta(days=2)

    def _events(self, plans: list[_Plan]) -> None:
        """The audit trail in summary: one event per township and step (per notice for the notice steps), at the
        last day of the step; the services write one per organization."""
        steps: dict[tuple[str, int, int], list[_Plan]] = defaultdict(list)
        days: dict[tuple[str, int, int], date] = {}

        def add(verb: str, township: Organization, p: _Plan, day: date, notice: Notice | None = None) -> None:
            key = (verb, township.pk, notice.pk if notice is not None else 0)
            steps[key].append(p)
            days[key] = max(days.get(key, day), day)

        for p in plans:
            a, township = p.a, self._township_of(p.a)
            if a.submitted_at:
                add("grading.submit", township, p, timezone.localdate(a.submitted_at))
            if a.scored_at:
                add("grading.score", township, p, timezone.localdate(a.scored_at))
            if p.notice is not None:
                add("grading.notice_publish", township, p, p.notice.published_on, p.notice)
                if a.status != S.IN_NOTICE:
                    add("grading.notice_closed", township, p, p.notice.ends_on + timedelta(days=1), p.notice)
            if a.approved_at:
                add("grading.approve", township, p, timezone.localdate(a.approved_at))
            if a.finalized_at:
                add("grading.final", township, p, timezone.localdate(a.finalized_at))
        townships = {t.pk: t for t in self.townships}
        labels = {  # verb: (what happened, who did it, hour)
            "grading.submit": ("提交自查自评", "secretaries", 17),
            "grading.score": ("完成乡镇评分和初定等次", "township", 17),
            "grading.notice_publish": ("发布公示", "township", 9),
            "grading.notice_closed": ("公示期满", "", 0),
            "grading.approve": ("经区委组织部审定等次", "district", 15),
            "grading.final": ("确定最终等次", "", 0),
        }
        for key, group in sorted(steps.items(), key=lambda kv: (days[kv[0]], kv[0])):
            verb, township = key[0], townships[key[1]]
            label, who, hour = labels[verb]
            actor = {"district": self.district, "township": self.township_user(township)}.get(who)
            grades = Counter(p.a.final_grade if verb == "grading.final" else p.a.district_grade for p in group)
            detail = "、".join(f"{G(g).label}{n}个" for g, n in grades.items() if g)
            event = Event.objects.create(
                actor=actor,
                actor_name=account_label(actor) if actor is not None else "各党组织书记" if who else "系统",
                verb=verb,
                summary=(
                    f"{township.name}{self.campaign.year}年度:{len(group)}个党组织{label}"
                    + (f"({detail})" if detail and verb in ("grading.approve", "grading.final") else "")
                    + "(演示数据,按乡镇汇总记录)"
                )[:300],
                target_type=township._meta.label_lower,
                target_id=str(township.pk),
                target_label=str(township)[:200],
                org_path=township.path,
                after={"count": len(group), "year": self.campaign.year},
            )
            Event.objects.filter(pk=event.pk).update(at=_at(days[key], hour, 30))


ASSESSMENT_FIELDS = [
    "status",
    "version",
    "self_score",
    "self_grade",
    "good_share",
    "committee_met_on",
    "committee_for",
    "committee_against",
    "committee_abstain",
    "submitted_at",
    "returned_reason",
    "township_score",
    "township_vetoed",
    "township_grade",
    "township_override_reason",
    "township_opinion",
    "scored_at",
    "notice",
    "district_grade",
    "district_adjust_reason",
    "approved_at",
    "objection_due",
    "final_grade",
    "final_score",
    "finalized_at",
    "nominable_as_advanced",
    "secretary_promotable_next_year",
    "committee_appraisal_cap",
]
REPORT_FIELDS = ("basic_situation", "self_building", "role_played", "problems", "measures")


def _spread(total: Decimal, maxima: list[Decimal], rng: random.Random) -> list[Decimal]:
    """Item points in steps of 0.5 around the total's share of each maximum, adding up to ``total`` exactly."""
    share = float(total) / 100
    points = [min(m, max(Decimal(0), _half(float(m) * (share + rng.uniform(-0.08, 0.08))))) for m in maxima]
    rest = total - sum(points, Decimal(0))
    order = list(range(len(maxima)))
    while rest:
        step = HALF if rest > 0 else -HALF
        rng.shuffle(order)
        for i in order:
            if rest and Decimal(0) <= points[i] + step <= maxima[i]:
                points[i] += step
                rest -= step
    return points


# --- Texts -----------------------------------------------------------------------------------------------------

REPORT: dict[str, tuple[str, ...]] = {
    "basic_situation": (
        "{name}现有党员{members}名,设支部委员会,班子成员分工明确。本年度按照区委组织部部署开展自查自评。",
        "{name}共有党员{members}名,其中女党员、35岁以下青年党员占一定比例,党员队伍结构总体合理。",
        "{name}下设党小组,现有党员{members}名,党组织活动场所面积达标,日常运转经费有保障。",
    ),
    "self_building": (
        "严格落实“三会一课”、主题党日和组织生活会制度,全年召开支部党员大会4次、支委会12次,上党课4次。",
        "坚持民主集中制,重大事项均经支委会集体研究;按时足额收缴党费,党费收缴台账完整。",
        "规范发展党员程序,本年度确定入党积极分子2名、发展对象1名;流动党员纳入台账管理。",
    ),
    "role_played": (
        "党员设岗定责、承诺践诺,带领群众发展特色产业,集体经济收入比上年有所增长。",
        "围绕中心工作开展志愿服务和为民办实事活动,全年办理群众诉求30余件,群众满意度较高。",
        "组织党员参与矛盾纠纷排查化解和人居环境整治,发挥了战斗堡垒作用和党员先锋模范作用。",
    ),
    "problems": (
        "党员老龄化问题突出,年轻党员偏少;部分党员学习主动性不强。原因是外出务工人员多,后备力量不足。",
        "“三会一课”记录不够规范,个别会议内容流于形式;对流动党员的教育管理手段不多。",
        "发展集体经济思路不宽、办法不多,带领群众增收致富的能力有待提高。",
    ),
    "measures": (
        "加强对青年人才的培养,注重从致富能手、返乡青年中发展党员;规范会议记录,定期自查。",
        "推行“网上+线下”学习,完善流动党员联系制度;每季度开展一次组织生活情况自查。",
        "盘活集体资产资源,探索“党支部+合作社+农户”模式;健全为民办实事台账,及时回应群众诉求。",
    ),
}
OPINIONS = (
    "经党(工)委会议研究,同意初定为“{grade}”等次。",
    "该党组织自评材料齐全,经逐项核实评分,初定为“{grade}”等次。",
    "结合测评会结果和日常掌握情况,初定为“{grade}”等次。",
)


def objection_texts(stage: str, name: str) -> str:
    if stage == "notice":
        return f"反映{name}组织生活会召开不规范,“三会一课”记录存在补记情况,请求重新核实评分。"
    return f"{name}对审定等次有异议:本年度集体经济收入和为民办实事成效未被充分计分,请求复核。"
