"""Forms of the rectification pages. They only shape input; the rules are in ``rectification.rules`` and the
services, whose refusals the views show as form errors with the typed input kept."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from core import names
from core.edits import VersionedModelForm
from core.uploads import file_problems
from grading.rules.grades import Category
from organizations.models import Organization
from rectification.events import tracker_choices
from rectification.models import Case, DevelopmentTarget, LiaisonKind, Measure, Problem, Project, WorkGroupMember
from rectification.rules import cases as case_rules
from rectification.rules.acceptance import InspectionItem
from rectification.rules.ledger import ProblemSource
from rectification.services import progress as progress_services
from rectification.services.cases import HEADER_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Photos from the phone's camera or gallery, and PDF minutes (issue 4 §7: the secretary reports from a phone).
EVIDENCE_ACCEPT = "image/*,application/pdf"


# A record's version (hidden): a number past any real version is a stale page, not a database overflow.
MAX_VERSION = 2**31 - 1
# Counts of people at an acceptance (测评代表): far above any village's representatives, inside the column's limit.
MAX_PEOPLE = 10_000


def _year() -> int:
    return timezone.localdate().year


class CaseOpenForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, initial=_year)
    opened_on = forms.DateField(label="立案日期", widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label="立案理由", widget=forms.Textarea(attrs={"rows": 3}))


class CaseHeaderForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_VERSION)

    class Meta:
        model = Case
        fields = list(HEADER_FIELDS)
        widgets = {name: DATE for name in HEADER_FIELDS if name.endswith(("_from", "_to"))}


class WorkGroupMemberForm(forms.ModelForm):
    class Meta:
        model = WorkGroupMember
        fields = ["person_name", "unit", "role", "joined_on"]
        widgets = {"joined_on": DATE}


class ProblemForm(VersionedModelForm):
    class Meta:
        model = Problem
        fields = ["category", "source", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Items from a failed acceptance enter the ledger through the acceptance record, not by hand.
        self.fields["source"].choices = [c for c in ProblemSource.choices if c[0] != ProblemSource.ACCEPTANCE]


def _tracks_field(form: forms.BaseForm) -> None:
    """The records a measure may be tied to (rectification.panels trackers), when an app offers any."""
    choices = tracker_choices()
    if choices:
        form.fields["tracks"] = forms.ChoiceField(
            label="对照记录",
            required=False,
            choices=[("", "不对照(以进展报告为准)")] + choices,
            help_text="例如“每月按时召开支委会”:台账上显示系统记录的落实情况",
        )
    else:
        form.fields.pop("tracks", None)


class MeasureCreateForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = ["text", "responsible", "deadline", "budget", "tracks"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "deadline": DATE}
        help_texts = {"budget": "单位:万元,可留空"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _tracks_field(self)


def _percent_field() -> forms.IntegerField:
    return forms.IntegerField(label="完成进度(%)", min_value=0, max_value=100, initial=0)


class MeasureEditForm(VersionedModelForm):
    percent = _percent_field()

    class Meta:
        model = Measure
        fields = ["text", "responsible", "deadline", "budget", "spent", "status", "percent", "tracks"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "deadline": DATE}
        help_texts = {"budget": "单位:万元", "spent": "单位:万元"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _tracks_field(self)


class ProjectForm(VersionedModelForm):
    percent = _percent_field()

    class Meta:
        model = Project
        fields = ["name", "investment", "planned_completion", "percent", "completed", "completed_on"]
        widgets = {"planned_completion": DATE, "completed_on": DATE}
        help_texts = {"investment": "单位:万元"}


class TargetForm(VersionedModelForm):
    class Meta:
        model = DevelopmentTarget
        fields = ["kind", "person_name", "birth_date", "education", "since"]
        widgets = {"birth_date": DATE, "since": DATE}
        help_texts = {"birth_date": "年龄在35岁以下(含35岁)、高中以上文化程度(第二篇五(六))"}


class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=case_rules.Phase.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_VERSION)
    note = forms.CharField(label="说明", required=False, max_length=200)


class ProgressForm(forms.Form):
    """The branch secretary's report from a phone: a note, a measure's new percent, a photo or a PDF."""

    measure = forms.ModelChoiceField(label="整改措施", queryset=Measure.objects.none(), required=False)
    text = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 4}))
    percent = forms.IntegerField(
        label="完成进度(%)",
        min_value=0,
        max_value=100,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text="选择了整改措施时可填写,100%即为完成",
    )
    file = forms.FileField(
        label="佐证材料(照片或PDF)",
        required=False,
        help_text=progress_services.EVIDENCE_UPLOADS.hint,
        widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT, "capture": "environment"}),
    )
    description = forms.CharField(label="材料说明", max_length=200, required=False)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["measure"]
        field.empty_label = "(不针对具体措施)"  # type: ignore[attr-defined]
        field.queryset = Measure.objects.filter(problem__case=case).order_by("deadline", "pk")  # type: ignore[attr-defined]
        field.label_from_instance = lambda m: f"{m.text[:30]}({m.responsible},{m.deadline:%m-%d}前,{m.percent}%)"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        upload = cleaned.get("file")
        # Checked before anything is saved: a refused file leaves neither the note nor the file behind.
        if upload:
            for message in file_problems(upload, progress_services.EVIDENCE_UPLOADS):
                self.add_error("file", message)
        if cleaned.get("percent") is not None and not cleaned.get("measure"):
            self.add_error("percent", "填写完成进度时请选择整改措施")
        return cleaned


class AcceptanceForm(forms.Form):
    held_on = forms.DateField(label="验收日期", widget=DATE, initial=timezone.localdate)
    self_check = forms.CharField(label="对照整顿方案自查自纠情况", widget=forms.Textarea(attrs={"rows": 3}))
    representatives_total = forms.IntegerField(label="参加测评代表人数", min_value=0, max_value=MAX_PEOPLE)
    satisfied = forms.IntegerField(label="满意", min_value=0, max_value=MAX_PEOPLE)
    basically_satisfied = forms.IntegerField(label="基本满意", min_value=0, max_value=MAX_PEOPLE)
    unsatisfied = forms.IntegerField(label="不满意", min_value=0, max_value=MAX_PEOPLE)
    opinion = forms.CharField(label="验收意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in InspectionItem.choices:
            self.fields[f"{key}_passed"] = forms.BooleanField(label=f"{label}:通过", required=False)
            self.fields[f"{key}_findings"] = forms.CharField(
                label=f"{label}情况", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def inspection_rows(self) -> list[tuple[str, Any, Any]]:
        return [(label, self[f"{key}_passed"], self[f"{key}_findings"]) for key, label in InspectionItem.choices]


class UnsatisfiedItemForm(forms.Form):
    text = forms.CharField(label="不满意事项", required=False, max_length=300)
    deadline = forms.DateField(label="整改期限", required=False, widget=DATE)
    responsible = forms.CharField(label="责任人", required=False, max_length=40)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("text") and not cleaned.get("deadline"):
            self.add_error("deadline", "请填写整改期限")
        return cleaned


UnsatisfiedItemFormSet = forms.formset_factory(UnsatisfiedItemForm, extra=3, max_num=20)


class SupervisionForm(forms.Form):
    visited_on = forms.DateField(label="督查日期", widget=DATE, initial=timezone.localdate)
    findings = forms.CharField(label="督查发现", widget=forms.Textarea(attrs={"rows": 3}))
    follow_up = forms.CharField(label="整改要求", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    follow_up_due = forms.DateField(label="整改期限", required=False, widget=DATE)


class CategoryForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, initial=_year)
    category = forms.ChoiceField(label="类别", choices=Category.choices)
    since = forms.DateField(label="认定日期", widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label="认定理由", widget=forms.Textarea(attrs={"rows": 3}))


class ShowcaseForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, initial=_year)
    note = forms.CharField(label="推荐理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AccountInput(forms.TextInput):
    """A text input with a ``<datalist>`` of the accounts the user may pick (the browser completes as one types)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"autocomplete": "off", **(attrs or {})})
        self.choices: list[tuple[str, str]] = []

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> Any:
        list_id = f"{(attrs or {}).get('id') or 'id_' + name}-accounts"
        html = super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        options = format_html_join("", '<option value="{}">{}</option>', self.choices)
        return html + format_html('<datalist id="{}">{}</datalist>', list_id, options)


def account_label(user: Any) -> str:
    return names.account_label(user)


class LiaisonForm(forms.Form):
    person_name = forms.CharField(label="姓名", max_length=40)
    position = forms.CharField(label="职务", max_length=60, required=False)
    kind = forms.ChoiceField(label="类别", choices=LiaisonKind.choices)
    duties = forms.CharField(label="包干责任", widget=forms.Textarea(attrs={"rows": 3}))
    since = forms.DateField(label="开始日期", widget=DATE, initial=timezone.localdate)
    username = forms.CharField(
        label="系统账号(可选)",
        max_length=150,
        required=False,
        widget=AccountInput(),
        help_text="输入账号或姓名可从本辖区账号中选择;填写后授予“挂点联系领导”角色,可查看该组织并报告整改进展",
    )

    def __init__(self, *args: Any, candidates: Any = None, **kwargs: Any) -> None:
        """``candidates``: the active accounts in the assigning user's scope (offered, and suggested on a typo)."""
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates) if candidates is not None else []
        widget = self.fields["username"].widget
        assert isinstance(widget, AccountInput)
        widget.choices = [(u.get_username(), account_label(u)) for u in self.candidates]

    def clean_username(self) -> Any:
        from django.contrib.auth import get_user_model

        typed = self.cleaned_data["username"].strip()
        if not typed:
            return None
        # A picked suggestion may arrive as "username(姓名)": the account is the part before the bracket.
        name = typed.split("(", 1)[0].strip()
        user = get_user_model().objects.filter(username=name, is_active=True).first()
        if user is not None:
            return user
        needle = name.lower()
        matches = [
            account_label(u)
            for u in self.candidates
            if needle and (needle in u.get_username().lower() or needle in names.person_name(u).lower())
        ][:5]
        if matches:
            raise forms.ValidationError(f"没有账号“{name}”。您要找的是否是:{'、'.join(matches)}?请填写其中的账号")
        raise forms.ValidationError(
            f"没有账号“{name}”(账号区分大小写)。请从列表中选择本辖区的账号,或请区委组织部先为其开通账号;"
            "也可以不填账号,只登记姓名"
        )


class PairingForm(forms.Form):
    red_flag = forms.ModelChoiceField(label="结对的红旗支部", queryset=Organization.objects.none())
    since = forms.DateField(label="开始日期", widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label="共建内容", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["red_flag"].queryset = partners  # type: ignore[attr-defined]


class HelperForm(forms.Form):
    person_name = forms.CharField(label="帮扶人姓名", max_length=40)
    position = forms.CharField(label="职务", max_length=60, required=False)
    duties = forms.CharField(label="帮扶内容", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    since = forms.DateField(label="开始日期", widget=DATE, initial=timezone.localdate)


class LiaisonEndForm(forms.Form):
    until = forms.DateField(label="结束日期", widget=DATE, initial=timezone.localdate)


class CategoryFilterForm(forms.Form):
    category = forms.ChoiceField(label="类别", choices=[("", "全部")] + list(Category.choices), required=False)


class YearEndReportForm(forms.Form):
    """The township committee's written report on a rectification not accepted by the year-end."""

    file = forms.FileField(
        label="党(工)委书面报告",
        help_text=progress_services.EVIDENCE_UPLOADS.hint + "。请上传加盖党(工)委印章的报告扫描件或PDF",
    )
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        problems = file_problems(upload, progress_services.EVIDENCE_UPLOADS)
        if problems:
            raise forms.ValidationError(problems)
        return upload
