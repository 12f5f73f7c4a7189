"""Forms of the district's review: approving an organization's grade. The grade choices shared by the district's
forms are here.
"""

from __future__ import annotations

from typing import Any

from django import forms

from grading.forms.uploads import UploadCheckMixin, upload_field
from grading.models import Assessment, ReviewMethod
from grading.rules import grades as rules

GRADE_CHOICES = [("", "请选择")] + list(rules.Grade.choices)


def cap_reason_field() -> forms.CharField:
    """The reason for a 好 past the year's share (第一篇 四.2 "原则上…一般不能超过20%")."""
    return forms.CharField(
        label="超出比例的理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 1}),
        help_text="审定为“好”使本乡镇或全区“好”等次超过比例上限时必须填写",
    )


class ApproveForm(forms.Form):
    grade = forms.ChoiceField(label="审定等次", choices=rules.Grade.choices)
    note = forms.CharField(
        label="调整理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 1}),
        help_text="审定等次与乡镇初定等次不一致时必须填写",
    )
    cap_reason = cap_reason_field()


class ResolveForm(forms.Form):
    OUTCOMES = [("rejected", "异议不成立,维持原等次"), ("upheld", "异议成立,调整等次")]
    outcome = forms.ChoiceField(label="复核结论", choices=OUTCOMES, widget=forms.RadioSelect)
    grade = forms.ChoiceField(label="调整后等次", choices=GRADE_CHOICES, required=False)
    opinion = forms.CharField(label="复核意见", widget=forms.Textarea(attrs={"rows": 3}))
    cap_reason = cap_reason_field()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("outcome") == "upheld" and not cleaned.get("grade"):
            self.add_error("grade", "异议成立时须选择调整后的等次")
        return cleaned


class ReviewEvidenceForm(UploadCheckMixin, forms.Form):
    """One check of a township's submission (第一篇 三(一)3(1))."""

    upload_fields = ("upload",)

    method = forms.ChoiceField(label="考评方式", choices=ReviewMethod.choices, widget=forms.RadioSelect)
    held_on = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    assessment = forms.ModelChoiceField(
        label="涉及的党组织", queryset=Assessment.objects.none(), required=False, empty_label="全乡镇(街道)"
    )
    notes = forms.CharField(label="情况记录", widget=forms.Textarea(attrs={"rows": 4}))
    upload = upload_field("附件(照片、记录、纪检部门意见等)")

    def __init__(self, *args: Any, assessments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessment"].queryset = assessments
        self.fields["assessment"].label_from_instance = lambda a: a.organization.name


class ReadjustForm(forms.Form):
    """Re-adjusting a final grade outside an objection (第一篇 三(一)3(2))."""

    ground = forms.ChoiceField(label="调整原因", choices=list(rules.READJUST_GROUNDS.items()), widget=forms.RadioSelect)
    grade = forms.ChoiceField(label="调整后等次", choices=GRADE_CHOICES)
    note = forms.CharField(label="理由和依据", widget=forms.Textarea(attrs={"rows": 3}))
    cap_reason = cap_reason_field()
