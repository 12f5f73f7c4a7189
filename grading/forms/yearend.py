"""Forms of the year-end pages: the re-grading request and decision, the district's item-by-item re-scoring (附件4's
template, beside the township's scores), the widened 好 cap, the township summary and the excellence award. They
only collect input: the rules (C1, C2, C4, C5) are checked by the services, whose refusals come back as form errors
with the typed input kept.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from grading.forms.review import GRADE_CHOICES
from grading.forms.scoring import AUTO_GRADE, ScoringRow, ScoringSection, add_item_fields
from grading.forms.uploads import UploadCheckMixin, upload_field
from grading.models import RegradeDirection
from grading.rules import grades as rules
from grading.services.assessments import DimensionRows
from grading.services.objections import UPLOAD_HINT
from grading.services.regrade import RegradeScoring


class RegradeScoringForm(forms.Form):
    """One points field and one note per item, pre-filled from the township's scores (so a re-grade that changes one
    item changes one field), a checkbox per veto item, the grade (by default the band of the total), the reasons and
    the opinion. Points are taken as typed (text): the service checks them against each item's maximum (C2)."""

    grade = forms.ChoiceField(label="复核等次", required=False)
    override_reason = forms.CharField(
        label="复核等次与得分对应等次不一致的理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="复核等次与复核得分所在分数段不一致时必须填写",
    )
    opinion = forms.CharField(label="复核意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    cap_reason = forms.CharField(
        label="超出“好”等次比例的理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="复核为“好”后超过比例上限时必须填写",
    )

    def __init__(self, *args: Any, sheet: list[DimensionRows], band: str = "", **kwargs: Any) -> None:
        self.sheet = sheet
        super().__init__(*args, **kwargs)
        band_label = rules.Grade(band).label if band else "待评分"
        self.fields["grade"].choices = [(AUTO_GRADE, f"按得分确定({band_label})")] + list(rules.Grade.choices)
        add_item_fields(self, sheet, points_label="复核得分", prefill_notes=False)

    def sections(self) -> list[ScoringSection]:
        return [
            ScoringSection(
                section.dimension,
                [
                    ScoringRow(
                        row,
                        None if row.item.is_veto else self[f"points_{row.item.pk}"],
                        self[f"note_{row.item.pk}"],
                        self[f"veto_{row.item.pk}"] if row.item.is_veto else None,
                    )
                    for row in section.rows
                ],
            )
            for section in self.sheet
        ]

    def scoring(self) -> RegradeScoring:
        data = self.cleaned_data
        rows = [row for section in self.sheet for row in section.rows]
        return RegradeScoring(
            item_scores={
                r.item.pk: (
                    "" if r.item.is_veto else (data.get(f"points_{r.item.pk}") or "").strip(),
                    data.get(f"note_{r.item.pk}") or "",
                )
                for r in rows
            },
            vetoes={r.item.pk: bool(data.get(f"veto_{r.item.pk}")) for r in rows if r.item.is_veto},
            override_reason=data.get("override_reason") or "",
        )

    def decision(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            "grade": data.get("grade") or "",
            "opinion": data.get("opinion") or "",
            "cap_reason": data.get("cap_reason") or "",
        }


class RegradeRequestForm(UploadCheckMixin, forms.Form):
    upload_fields = ("evidence", "written_report")
    direction = forms.ChoiceField(label="申请类别", choices=RegradeDirection.choices, widget=forms.RadioSelect)
    proposed_score = forms.DecimalField(
        label="重新量化考核得分",
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        decimal_places=1,
        max_digits=4,
        help_text="按评分标准重新考核的总分(0–100,可保留一位小数)",
    )
    reason = forms.CharField(label="申请理由", widget=forms.Textarea(attrs={"rows": 4}))
    evidence = upload_field("佐证材料")
    written_report = upload_field("党(工)委书面报告")

    def __init__(self, *args: Any, weak: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not weak:
            del self.fields["written_report"]
            self.upload_fields = ("evidence",)
        else:
            self.fields["written_report"].help_text = (
                "软弱涣散基层党组织整顿不力的,须以党委或工委名义书面向区委报告(方案第三部分(三)1)。" + UPLOAD_HINT
            )


class RegradeDecisionForm(forms.Form):
    grade = forms.ChoiceField(label="复核等次", choices=GRADE_CHOICES)
    opinion = forms.CharField(label="复核意见", widget=forms.Textarea(attrs={"rows": 3}))
    cap_reason = forms.CharField(
        label="超出“好”等次比例的理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="复核为“好”后超过比例上限时必须填写",
    )


class YearEndCapForm(forms.Form):
    widened_cap_percent = forms.DecimalField(
        label="年底复核“好”等次比例上限(%)", min_value=Decimal("0"), max_value=Decimal("100"), decimal_places=1
    )
    reason = forms.CharField(label="扩大比例的理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AwardShareForm(forms.Form):
    share_percent = forms.DecimalField(
        label="优秀组织奖评选比例(%)", min_value=Decimal("0.1"), max_value=Decimal("100"), decimal_places=1
    )


class AwardForm(forms.Form):
    township = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2_147_483_647)
    note = forms.CharField(label="评选说明", required=False, max_length=500)


class SummaryForm(UploadCheckMixin, forms.Form):
    upload_fields = ("report", "paper1", "paper2")
    report = upload_field("书面总结材料")
    paper1_title = forms.CharField(label="经验材料一 标题", max_length=200, required=False)
    paper1 = upload_field("经验材料一")
    paper2_title = forms.CharField(label="经验材料二 标题(可选)", max_length=200, required=False)
    paper2 = upload_field("经验材料二")

    def papers(self) -> list[tuple[str, Any]]:
        out = []
        for n in (1, 2):
            upload = self.cleaned_data.get(f"paper{n}")
            if upload:
                out.append((self.cleaned_data.get(f"paper{n}_title") or "", upload))
        return out

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for n in (1, 2):
            if cleaned.get(f"paper{n}") and not (cleaned.get(f"paper{n}_title") or "").strip():
                self.add_error(f"paper{n}_title", "请填写经验材料的标题")
        return cleaned
