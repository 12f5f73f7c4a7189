"""The district's year-end re-scoring form (附件4's template, item by item, beside the township's scores). It only
collects input: the rules (C1, C2, C4, C5) are checked by ``grading.yearend.regrade_decide``, whose refusals come
back as form errors with the typed input kept."""

from __future__ import annotations

from typing import Any

from django import forms

from grading import rules
from grading.assessments import DimensionRows
from grading.forms_township import AUTO_GRADE, ScoringRow, ScoringSection, add_item_fields
from grading.yearend import RegradeScoring


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
