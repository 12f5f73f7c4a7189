"""Forms of the district's review, objections and year-end pages. They only shape input; the rules are in the
services, whose refusals come back as form errors with the typed input kept."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from grading import rules
from grading.models import RegradeDirection
from grading.objections import UPLOAD_HINT, validate_upload

GRADE_CHOICES = [("", "请选择")] + list(rules.Grade.choices)
ACCEPT = ".pdf,.jpg,.jpeg,.png,.doc,.docx"


def _file(label: str, *, required: bool = False) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=required,
        help_text=UPLOAD_HINT,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class UploadCheckMixin:
    """Check every uploaded file with the services' rule (type, content, 10 MB) when the form validates."""

    upload_fields: tuple[str, ...] = ()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()  # type: ignore[misc]
        for name in self.upload_fields:
            upload = cleaned.get(name)
            if upload:
                try:
                    validate_upload(upload, what=str(self.fields[name].label))  # type: ignore[attr-defined]
                except forms.ValidationError as exc:
                    self.add_error(name, exc)  # type: ignore[attr-defined]
        return cleaned


class ApproveForm(forms.Form):
    grade = forms.ChoiceField(label="审定等次", choices=rules.Grade.choices)
    note = forms.CharField(
        label="调整理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 1}),
        help_text="审定等次与乡镇初定等次不一致时必须填写",
    )


class ObjectionForm(UploadCheckMixin, forms.Form):
    upload_fields = ("evidence",)
    content = forms.CharField(label="异议内容", widget=forms.Textarea(attrs={"rows": 5}))
    raised_by_name = forms.CharField(label="提出人(单位或姓名)", max_length=60, required=False)
    evidence = _file("有关材料")


class ResolveForm(forms.Form):
    OUTCOMES = [("rejected", "异议不成立,维持原等次"), ("upheld", "异议成立,调整等次")]
    outcome = forms.ChoiceField(label="复核结论", choices=OUTCOMES, widget=forms.RadioSelect)
    grade = forms.ChoiceField(label="调整后等次", choices=GRADE_CHOICES, required=False)
    opinion = forms.CharField(label="复核意见", widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("outcome") == "upheld" and not cleaned.get("grade"):
            self.add_error("grade", "异议成立时须选择调整后的等次")
        return cleaned


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
    evidence = _file("佐证材料")
    written_report = _file("党(工)委书面报告")

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
    report = _file("书面总结材料")
    paper1_title = forms.CharField(label="经验材料一 标题", max_length=200, required=False)
    paper1 = _file("经验材料一")
    paper2_title = forms.CharField(label="经验材料二 标题(可选)", max_length=200, required=False)
    paper2 = _file("经验材料二")

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
