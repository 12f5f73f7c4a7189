"""Forms of the township's notices (公示): publishing a batch, recording an objection, answering it. They only collect
input: the rules (C5, D1) are checked by the services, whose refusals come back as form errors with the typed input
kept.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from grading.models import Assessment
from grading.rules import counting as rules


class PublishForm(forms.Form):
    title = forms.CharField(label="公示标题", max_length=200)
    body = forms.CharField(label="公示说明", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    contact = forms.CharField(
        label="异议受理联系方式",
        max_length=200,
        help_text="公示期间如有异议,群众和党员通过这里反映,例如:镇党委组织办,电话……",
        error_messages={"required": "请填写异议受理联系方式"},
    )
    cap_reason = forms.CharField(
        label="超出“好”等次比例的理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, cap: rules.CapResult, **kwargs: Any) -> None:
        self.cap = cap
        super().__init__(*args, **kwargs)
        if not cap.exceeds:
            del self.fields["cap_reason"]

    def clean_cap_reason(self) -> str:
        reason = (self.cleaned_data.get("cap_reason") or "").strip()
        if self.cap.exceeds and not reason:
            raise forms.ValidationError(self.cap.message or "超出“好”等次比例,须填写理由")
        return reason


class ObjectionRecordForm(forms.Form):
    assessment = forms.ModelChoiceField(label="被提出异议的党组织", queryset=Assessment.objects.none())
    raised_by_name = forms.CharField(label="提出人", max_length=60)
    content = forms.CharField(label="异议内容", widget=forms.Textarea(attrs={"rows": 3}))
    raised_on = forms.DateField(
        label="提出日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="须在公示期内",
    )

    def __init__(self, *args: Any, assessments: Any, today: date, **kwargs: Any) -> None:
        self.today = today
        super().__init__(*args, **kwargs)
        self.fields["assessment"].queryset = assessments
        self.fields["assessment"].label_from_instance = lambda a: a.organization.name
        self.initial.setdefault("raised_on", today)

    def clean_raised_on(self) -> date:
        day = self.cleaned_data["raised_on"]
        if day > self.today:
            raise forms.ValidationError("提出日期不能晚于今天")
        return day


class ObjectionAnswerForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label="处理结果",
        choices=[("0", "异议不成立,维持初评等次"), ("1", "异议成立")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        error_messages={"required": "请选择异议是否成立"},
    )
    answer = forms.CharField(
        label="答复意见",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写答复意见"},
    )
