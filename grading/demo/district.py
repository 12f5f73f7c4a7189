"""The grading demo's district steps: notices closed, approvals, objections, final grades and the audit trail."""

from collections import Counter, defaultdict
from datetime import date, timedelta

from django.utils import timezone

from core.models import Event
from core.names import account_label
from core.workdays import CalendarMissing, window_end
from grading.demo.plan import (
    V_APPROVED,
    V_FINAL,
    V_FINAL_OBJECTED,
    V_IN_NOTICE,
    V_WITH_DISTRICT,
    G,
    S,
    _at,
    _Plan,
    objection_texts,
)
from grading.models import (
    Assessment,
    GradeRecord,
    Notice,
    Objection,
    ObjectionOutcome,
    ObjectionStage,
)
from grading.rules import grades as rules
from organizations.models import Organization


class _DistrictSteps:
    """The builder's steps after the township: mixed into ``_Builder``."""

    def _district(self, p: _Plan, objections: list[Objection], records: list[GradeRecord]) -> None:
        """The notice and what follows it, as far as the plan's stage goes: objections during the notice, the report
        to the district, its approval (the objection window, D2) and the final grade."""
        a, notice = p.a, p.notice
        if notice is None:
            return
        a.notice, a.status, a.version = notice, S.IN_NOTICE, V_IN_NOTICE
        self._notice_objections(p, objections)
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
        self._approve(p, approved_on, due, records)
        if p.stage == "final":
            self._finalize(p, approved_on, due, objections, records)

    def _notice_objections(self, p: _Plan, objections: list[Objection]) -> None:
        a, notice, rng = p.a, p.notice, self.rng
        assert notice is not None
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

    def _approve(self, p: _Plan, approved_on: date, due: date, records: list[GradeRecord]) -> None:
        a = p.a
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
                stage=GradeRecord.APPROVED,
                grade=a.district_grade,
                score=a.township_score,
                reason=a.district_adjust_reason,
                recorded_by=self.district,
            )
        )

    def _finalize(
        self, p: _Plan, approved_on: date, due: date, objections: list[Objection], records: list[GradeRecord]
    ) -> None:
        a, rng = p.a, self.rng
        # No objection: the clock finalizes the morning after the window (catch_up, D2).
        final, stage, reason, decided_by = a.district_grade, GradeRecord.WINDOW_PASSED, "", None
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
            stage, decided_by, finalized = (
                GradeRecord.OBJECTION_REVIEWED,
                self.district,
                _at(raised + timedelta(days=3), 11),
            )
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
        a.version = V_FINAL_OBJECTED if stage == GradeRecord.OBJECTION_REVIEWED else V_FINAL
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
