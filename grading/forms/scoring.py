"""Forms of the township's 附件4 scoring and its return. They only collect input: the rules (C1, C2, C4) are checked
by the services, whose refusals come back as form errors with the typed input kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms

from grading.models import Assessment
from grading.rules import grades as rules
from grading.services.assessments import DimensionRows, ItemRow

POINTS_MAX_LENGTH = 8  # "100.0" and a little room: longer is never a score
VERSION_MAX = 2_147_483_647
VERSION_ERRORS = {k: "页面的版本信息无效,请刷新页面后再保存" for k in ("required", "invalid", "min_value", "max_value")}
AUTO_GRADE = ""  # the select's first option: the band of the score (C1), or 较差 after a veto (C4)


@dataclass(frozen=True)
class ScoringRow:
    row: ItemRow
    points: forms.BoundField | None
    note: forms.BoundField
    veto: forms.BoundField | None


@dataclass(frozen=True)
class ScoringSection:
    dimension: Any
    rows: list[ScoringRow]


def add_item_fields(form: forms.Form, sheet: list[DimensionRows], *, points_label: str, prefill_notes: bool) -> None:
    """附件4's fields on ``form``: per item a points field (a number input the page's scoring script totals) or, for a
    veto item, a checkbox, and a note; prefilled from the township's scores (its notes too when ``prefill_notes``)."""
    for section in sheet:
        for row in section.rows:
            item = row.item
            saved = row.township_score
            if item.is_veto:
                form.fields[f"veto_{item.pk}"] = forms.BooleanField(label="触发", required=False)
                form.initial.setdefault(f"veto_{item.pk}", bool(saved and saved.vetoed))
            else:
                form.fields[f"points_{item.pk}"] = forms.CharField(
                    label=f"{item.text}{points_label}",
                    required=False,
                    max_length=POINTS_MAX_LENGTH,
                    widget=forms.NumberInput(
                        attrs={
                            "step": "0.1",
                            "min": "0",
                            "max": rules.fmt(item.max_points),
                            "inputmode": "decimal",
                            "class": "gs-points",
                        }
                    ),
                )
                if saved and saved.points is not None:
                    form.initial.setdefault(f"points_{item.pk}", rules.fmt(saved.points))
            form.fields[f"note_{item.pk}"] = forms.CharField(
                label="扣分说明", required=False, max_length=300, widget=forms.TextInput()
            )
            if saved and prefill_notes:
                form.initial.setdefault(f"note_{item.pk}", saved.note)


class ScoringForm(forms.Form):
    """附件4: one points field and one note per item, a checkbox per veto item, the preliminary grade and opinion.

    Points are taken as typed (text); the service checks them against the item's maximum (C2) and names the item.
    """

    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, max_value=VERSION_MAX, error_messages=VERSION_ERRORS
    )
    grade = forms.ChoiceField(label="初定等次", required=False)
    override_reason = forms.CharField(
        label="初定等次与得分对应等次不一致的理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="初定等次与得分所在分数段不一致时必须填写",
    )
    opinion = forms.CharField(label="乡镇党(工)委意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, sheet: list[DimensionRows], assessment: Assessment, band: str, **kwargs: Any):
        self.sheet = sheet
        super().__init__(*args, **kwargs)
        band_label = rules.Grade(band).label if band else "待评分"
        self.fields["grade"].choices = [(AUTO_GRADE, f"按得分确定({band_label})")] + list(rules.Grade.choices)
        self.initial.setdefault("version", assessment.version)
        self.initial.setdefault("opinion", assessment.township_opinion)
        self.initial.setdefault("override_reason", assessment.township_override_reason)
        chosen = assessment.township_grade
        self.initial.setdefault("grade", chosen if chosen and chosen != band else AUTO_GRADE)
        add_item_fields(self, sheet, points_label="得分", prefill_notes=True)

    def sections(self) -> list[ScoringSection]:
        out = []
        for section in self.sheet:
            rows = []
            for row in section.rows:
                pk = row.item.pk
                rows.append(
                    ScoringRow(
                        row,
                        None if row.item.is_veto else self[f"points_{pk}"],
                        self[f"note_{pk}"],
                        self[f"veto_{pk}"] if row.item.is_veto else None,
                    )
                )
            out.append(ScoringSection(section.dimension, rows))
        return out

    def item_scores(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            row.item.pk: (
                "" if row.item.is_veto else (data.get(f"points_{row.item.pk}") or "").strip(),
                data.get(f"note_{row.item.pk}") or "",
            )
            for section in self.sheet
            for row in section.rows
        }

    def vetoes(self) -> dict[int, bool]:
        return {
            row.item.pk: bool(self.cleaned_data.get(f"veto_{row.item.pk}"))
            for section in self.sheet
            for row in section.rows
            if row.item.is_veto
        }


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="退回原因",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "退回时须写明原因,以便支部修改"},
    )
