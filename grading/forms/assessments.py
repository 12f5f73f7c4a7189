"""Forms of the branch secretary's annexes (附件1–3). Each carries the hidden ``version`` the page was loaded with,
so that a save from a stale page is refused by ``grading.services.assessments.self_assessment_save`` instead of
overwriting.

The forms only parse input; the rules (item maxima, ballots against attendees) are applied by the service, whose
refusals come back to the page as messages with the typed input kept.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from grading.models import Assessment, AttendeeCategory, MeetingTallyRow
from grading.rules import grades as rules
from grading.services.assessments import DimensionRows

TALLY_FIELDS = ("attendees", *rules.Grade.values)
# C1 bands as "lower end:grade", best first, for the browser's live preselection of the proposed grade.
BANDS_ATTR = ",".join(
    f"{rules.fmt(low)}:{grade.value}"
    for low, grade in (
        (rules.GOOD_MIN, rules.Grade.GOOD),
        (rules.FAIRLY_GOOD_MIN, rules.Grade.FAIRLY_GOOD),
        (rules.AVERAGE_MIN, rules.Grade.AVERAGE),
        (rules.SCORE_MIN, rules.Grade.POOR),
    )
)
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionedForm(forms.Form):
    version = forms.IntegerField(
        widget=forms.HiddenInput(attrs={"data-autosave-version": ""}), min_value=1, max_value=2_147_483_647
    )


def _textarea(hint: str) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": 6, "placeholder": hint})


class ReportForm(VersionedForm):
    """附件1 自查自评报告: the five sections of the plan §三(一)1(1)."""

    basic_situation = forms.CharField(
        label="基本情况",
        required=False,
        widget=_textarea("党组织设置、党员人数和结构、班子成员等基本情况"),
    )
    self_building = forms.CharField(
        label="自身建设情况",
        required=False,
        widget=_textarea("对照领导班子好、党员队伍好、工作机制好等方面,写明班子建设、党员教育管理、制度落实情况"),
    )
    role_played = forms.CharField(
        label="发挥作用情况",
        required=False,
        widget=_textarea("工作业绩、服务群众、群众反映等方面的实际成效"),
    )
    problems = forms.CharField(
        label="存在问题及原因", required=False, widget=_textarea("实事求是查找问题,逐条分析原因")
    )
    measures = forms.CharField(
        label="改进措施", required=False, widget=_textarea("针对存在问题提出具体、可操作的整改措施和时限")
    )

    def payload(self) -> dict[str, Any]:
        return {"report": {f: self.cleaned_data[f] for f in self.fields if f != "version"}}


def tally_name(category: str, column: str) -> str:
    return f"tally-{category}-{column}"


class MeetingForm(VersionedForm):
    """附件2 测评会: date, place, the supervising 挂村领导, and per attendee category the attendees and ballots."""

    held_on = forms.DateField(label="测评会日期", required=False, widget=DATE_INPUT)
    place = forms.CharField(label="地点", max_length=100, required=False)
    supervised_by = forms.CharField(label="指导监督的挂村领导", max_length=60, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for category in AttendeeCategory.values:
            for column in TALLY_FIELDS:
                self.fields[tally_name(category, column)] = forms.IntegerField(
                    required=False,
                    min_value=0,
                    max_value=9999,
                    widget=forms.NumberInput(
                        attrs={"min": 0, "step": 1, "inputmode": "numeric", "data-tally": column, "data-row": category}
                    ),
                )

    @staticmethod
    def initial_for(assessment: Assessment, rows: list[MeetingTallyRow]) -> dict[str, Any]:
        meeting = getattr(assessment, "meeting", None)
        initial: dict[str, Any] = {"version": assessment.version}
        if meeting is not None:
            initial.update(held_on=meeting.held_on, place=meeting.place, supervised_by=meeting.supervised_by)
        for row in rows:
            for column in TALLY_FIELDS:
                initial[tally_name(row.category, column)] = getattr(row, column)
        return initial

    def grid(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The tally table for the template: (category label, its five bound fields)."""
        return [
            (label, [self[tally_name(category, column)] for column in TALLY_FIELDS])
            for category, label in AttendeeCategory.choices
        ]

    def payload(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "meeting": {f: data[f] for f in ("held_on", "place", "supervised_by")},
            "tally": {
                category: {column: data[tally_name(category, column)] or 0 for column in TALLY_FIELDS}
                for category in AttendeeCategory.values
            },
        }


def item_name(item_id: int) -> str:
    return f"item-{item_id}"


class ScoresForm(VersionedForm):
    """附件3: the committee's self-score item by item, the proposed grade and the committee's vote."""

    self_grade = forms.ChoiceField(
        label="等次初步认定意见", required=False, choices=[("", "—请选择—"), *rules.Grade.choices]
    )
    committee_met_on = forms.DateField(label="支委会日期", required=False, widget=DATE_INPUT)
    committee_for = forms.IntegerField(label="赞成", required=False, min_value=0, max_value=999)
    committee_against = forms.IntegerField(label="反对", required=False, min_value=0, max_value=999)
    committee_abstain = forms.IntegerField(label="弃权", required=False, min_value=0, max_value=999)

    def __init__(self, *args: Any, sheet: list[DimensionRows], total: Decimal = Decimal("0"), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        # for the live preselection in the browser: the C1 bands and the band of the saved total
        self.fields["self_grade"].widget.attrs.update(
            {
                "data-bands": BANDS_ATTR,
                "data-initial-band": rules.grade_for_score(total).value if total else "",
            }
        )
        for dim in sheet:
            for row in dim.rows:
                if row.item.is_veto:
                    continue  # veto items are the township's to judge (C4); shown as information only
                self.fields[item_name(row.item.pk)] = forms.DecimalField(
                    label=row.item.text,
                    required=False,
                    min_value=Decimal("0"),
                    max_value=row.item.max_points,
                    decimal_places=1,
                    widget=forms.NumberInput(
                        attrs={"step": "0.1", "min": "0", "max": rules.fmt(row.item.max_points), "data-score": ""}
                    ),
                )

    @staticmethod
    def initial_for(assessment: Assessment, sheet: list[DimensionRows], total: Decimal) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "version": assessment.version,
            # preselected to the band of the running total (C1), changeable by the committee
            "self_grade": assessment.self_grade or (rules.grade_for_score(total).value if total else ""),
            "committee_met_on": assessment.committee_met_on,
            "committee_for": assessment.committee_for,
            "committee_against": assessment.committee_against,
            "committee_abstain": assessment.committee_abstain,
        }
        for dim in sheet:
            for row in dim.rows:
                if not row.item.is_veto and row.self_score is not None:
                    initial[item_name(row.item.pk)] = row.self_score.points
        return initial

    def rows(self) -> list[tuple[DimensionRows, list[tuple[Any, forms.BoundField | None]]]]:
        """Dimensions with (item row, its bound field or None for a veto item) for the template."""
        return [
            (dim, [(row, None if row.item.is_veto else self[item_name(row.item.pk)]) for row in dim.rows])
            for dim in self.sheet
        ]

    def payload(self) -> dict[str, Any]:
        data = self.cleaned_data
        scores = {
            row.item.pk: (data[item_name(row.item.pk)], row.self_score.note if row.self_score else "")
            for dim in self.sheet
            for row in dim.rows
            if not row.item.is_veto
        }
        committee = {
            f: data[f]
            for f in ("self_grade", "committee_met_on", "committee_for", "committee_against", "committee_abstain")
        }
        return {"item_scores": scores, "committee": committee}
