"""The forms of a transfer: out of a branch, in from outside the district, and one small form per move."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from core.pickers import SearchSelect
from organizations.forms import DATE_WIDGET
from organizations.models import Education, Gender, MemberStatus, Organization
from transfers.models import TransferKind
from transfers.rules import letters as rules
from transfers.services.requests import DESTINATION_REFUSED
from transfers.services.workflow import Action

MONTH_WIDGET = forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"})


class TransferOutForm(forms.Form):
    kind = forms.ChoiceField(
        label="转接类型",
        choices=[(TransferKind.WITHIN, "区内转接(转到本区其他党组织)"), (TransferKind.OUT, "转出区外")],
        widget=forms.RadioSelect,
        initial=TransferKind.WITHIN,
    )
    to_org = forms.ModelChoiceField(
        label="接收党组织(区内)",
        queryset=Organization.objects.none(),
        required=False,
        widget=SearchSelect(placeholder="输入组织名称或编码搜索"),
        error_messages={"invalid_choice": DESTINATION_REFUSED},
        help_text="区内转接时选择",
    )
    to_name = forms.CharField(label="接收党组织全称(区外)", max_length=120, required=False, help_text="转出区外时填写")
    reason = forms.CharField(label="转接原因", max_length=200, help_text="如:工作调动、迁居、升学")
    started_on = forms.DateField(label="申请日期", widget=DATE_WIDGET)

    def __init__(self, *args: Any, targets: QuerySet[Organization], search_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_org"].queryset = targets  # the options: core.pickers.offer
        self.fields["to_org"].widget.search_url = search_url


class TransferInForm(forms.Form):
    from_name = forms.CharField(label="转出党组织全称(区外)", max_length=120)
    letter_number = forms.CharField(label="介绍信编号", max_length=40)
    started_on = forms.DateField(label="收到介绍信日期", widget=DATE_WIDGET)
    name = forms.CharField(label="姓名", max_length=40)
    gender = forms.ChoiceField(label="性别", choices=Gender.choices)
    ethnicity = forms.CharField(label="民族", max_length=20, initial="汉族")
    birth_date = forms.DateField(label="出生日期", widget=DATE_WIDGET)
    education = forms.ChoiceField(label="学历", choices=Education.choices)
    joined_on = forms.DateField(label="入党日期", widget=DATE_WIDGET)
    status = forms.ChoiceField(label="党员类别", choices=MemberStatus.choices)
    id_number = forms.CharField(label="身份证号", max_length=18)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    reason = forms.CharField(label="转接原因", max_length=200, required=False)


class IssueForm(forms.Form):
    on = forms.DateField(label="开具日期", widget=DATE_WIDGET)
    valid_days = forms.IntegerField(
        label="有效期(天)", min_value=1, max_value=rules.MAX_VALID_DAYS, initial=rules.DEFAULT_VALID_DAYS
    )
    dues_paid_to = forms.CharField(label="党费交到", max_length=7, widget=MONTH_WIDGET, help_text="年月,如2026-11")

    def clean_dues_paid_to(self) -> str:
        value = self.cleaned_data["dues_paid_to"]
        try:
            rules.dues_month(value)
        except rules.LetterRuleError as exc:
            raise forms.ValidationError(str(exc)) from None
        return value


class NoteForm(forms.Form):
    on = forms.DateField(label="日期", widget=DATE_WIDGET)
    note = forms.CharField(label="理由", max_length=200, widget=forms.Textarea(attrs={"rows": 3}))


class ConfirmForm(forms.Form):
    on = forms.DateField(label="接收日期", widget=DATE_WIDGET)


class ReceiptForm(forms.Form):
    on = forms.DateField(label="回执日期", widget=DATE_WIDGET)
    note = forms.CharField(label="说明", max_length=200, required=False, help_text="如:回执由某某党委寄回")


class WithdrawForm(forms.Form):
    note = forms.CharField(label="撤销原因", max_length=200, required=False)


MOVE_FORMS: dict[str, type[forms.Form]] = {
    Action.ISSUE: IssueForm,
    Action.REFUSE: NoteForm,
    Action.CONFIRM: ConfirmForm,
    Action.RETURN: NoteForm,
    Action.RECEIPT: ReceiptForm,
    Action.WITHDRAW: WithdrawForm,
}
