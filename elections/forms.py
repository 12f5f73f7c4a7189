"""Forms of the election pages: they read typed input only; the rules are the services' (their refusals come back as
messages naming the rule)."""

from __future__ import annotations

from django import forms

from elections.models import DocumentKind, ElectionMethod, OwnerLevel, Phase, PledgeKind
from elections.step_templates import MAX_OFFSET_DAYS

PHASES = [(v, label) for v, label in Phase.choices if v != Phase.CLOSED]


class DateInput(forms.DateInput):
    input_type = "date"


class ProjectOpenForm(forms.Form):
    election_date = forms.DateField(label="选举日期", widget=DateInput)
    seats = forms.IntegerField(label="应选委员名额", min_value=1, max_value=15)
    method = forms.ChoiceField(label="选举方式", choices=ElectionMethod.choices, initial=ElectionMethod.INDIRECT)


class BatchOpenForm(ProjectOpenForm):
    organizations = forms.TypedMultipleChoiceField(label="党组织", coerce=int, choices=())

    def __init__(self, *args: object, org_choices: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organizations"].choices = org_choices
        self.fields["organizations"].error_messages["required"] = "请至少选择一个党组织"


class StepTemplateForm(forms.Form):
    phase = forms.ChoiceField(label="阶段", choices=PHASES)
    title = forms.CharField(label="环节", max_length=60)
    owner = forms.ChoiceField(label="责任层级", choices=OwnerLevel.choices)
    required_documents = forms.MultipleChoiceField(
        label="必备材料", choices=DocumentKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    due_offset_days = forms.IntegerField(
        label="期限(相对选举日的天数,负数为选举日前)", min_value=-MAX_OFFSET_DAYS, max_value=MAX_OFFSET_DAYS
    )
    description = forms.CharField(label="内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PledgeForm(forms.Form):
    candidate = forms.TypedChoiceField(label="候选人预备人选", coerce=int, choices=())
    kind = forms.ChoiceField(label="承诺类别", choices=PledgeKind.choices)
    signed_on = forms.DateField(label="签订日期", widget=DateInput)
    text = forms.CharField(label="承诺内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: object, candidate_choices: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["candidate"].choices = candidate_choices


class BallotsFinishForm(forms.Form):
    issued = forms.IntegerField(label="发出选票", min_value=0)
    returned = forms.IntegerField(label="收回选票", min_value=0)
