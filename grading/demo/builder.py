"""The grading demo's builder: plans every assessment of a campaign, then writes the rows in bulk."""

import random
from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, Subquery

from grading.demo.district import _DistrictSteps
from grading.demo.plan import (
    ASSESSMENT_FIELDS,
    BAND_RANGES,
    LIVE_STAGES,
    MEETING_PLACES,
    OPINIONS,
    REPORT,
    REPORT_FIELDS,
    SELF_SAVES,
    STAGE_ORDER,
    V_SCORED,
    V_SUBMITTED,
    G,
    S,
    _at,
    _half,
    _Plan,
    _spread,
)
from grading.models import (
    Assessment,
    Campaign,
    EvaluationMeeting,
    GradeRecord,
    Item,
    ItemScore,
    MeetingTallyRow,
    Notice,
    Objection,
    ScoreLevel,
    SelfReport,
)
from grading.rules import counting as counting_rules
from grading.rules import grades as grade_rules
from grading.services.assessments import good_share_of
from organizations.models import CommitteeTerm, Member, Organization, OrgField


class _Builder(_DistrictSteps):
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
        allowed = counting_rules.good_cap_check(total, 0, self.campaign.good_cap_percent).allowed
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
        from grading.services.notices import default_title, notice_window

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
            rows = rows.filter(stage=stage) if stage else rows.exclude(stage=GradeRecord.APPROVED)
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
        a.self_score, a.self_grade = self_total, grade_rules.grade_for_score(self_total).value
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
        band = grade_rules.grade_for_score(p.score, vetoed=p.vetoed).value
        a.township_grade = G.FAIRLY_GOOD.value if p.override else p.grade
        assert p.override or a.township_grade == band, (p, band)
        if p.override:
            a.township_override_reason = "测评会“好”票比例不足一半,群众满意度一般,经党委会研究初定为“较好”"
        a.township_opinion = rng.choice(OPINIONS).format(grade=grade_rules.Grade(a.township_grade).label)
        a.scored_at = _at(self._scored_on(p), rng.randint(9, 17), rng.randint(0, 59))
        a.status, a.version = S.SCORED, V_SCORED
