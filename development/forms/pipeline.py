"""The applicant form (入党申请人: who, since when) and the form of a move (the date, and for an activist the one or
two contact persons)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from core.edits import VersionedModelForm
from development.models import Applicant
from development.rules.pipeline import Move, Stage
from development.services.pipeline import APPLICANT_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ApplicantForm(VersionedModelForm):
    class Meta:
        model = Applicant
        fields = list(APPLICANT_FIELDS)
        widgets = {"birth_date": DATE, "applied_on": DATE}
        labels = {"applied_on": "递交入党申请书日期"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["applied_on"].initial = timezone.localdate()
        self.fields["id_number"].widget.attrs.update(autocomplete="off", inputmode="text")
        self.fields["phone"].widget.attrs.update(inputmode="tel")

    def validate_unique(self) -> None:
        """The service says who holds an ID number already (in words the user may read)."""


class MoveForm(forms.Form):
    on = forms.DateField(label="日期", widget=DATE)
    contacts = forms.ModelMultipleChoiceField(
        label="培养联系人(一至两名正式党员)",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, to: Stage, move: Move, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].label = move.date_label
        self.fields["on"].initial = timezone.localdate()
        if to == Stage.ACTIVIST:
            self.fields["contacts"].queryset = choices
        else:
            del self.fields["contacts"]
