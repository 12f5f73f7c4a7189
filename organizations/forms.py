"""Forms: validation of what people type; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from core.edits import VersionedModelForm
from core.pickers import SearchSelect
from organizations.models import (
    MEMBER_RECORD_FIELDS,
    CommitteeTerm,
    Member,
    Organization,
    OrgField,
    OrgKind,
    Post,
)
from organizations.models.reorganization import Reorganization
from organizations.roles import Role
from organizations.rules import (
    MAX_SEATS,
    MAX_UNITS_COVERED,
    id_number_error,
    member_record_errors,
    name_error,
    phone_error,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Numbers typed in a form are bounded in the form (a PositiveSmallIntegerField takes 32767 at most, and SQLite
# checks nothing): an absurd value is a form error, never a database error.


def _bound(field: forms.Field, low: int, high: int) -> None:
    """Bound an integer field and say so in Chinese (the browser's own check says it too: min/max attributes)."""
    from django.core.validators import MaxValueValidator, MinValueValidator

    message = f"{field.label}应为{low}至{high}之间的整数"
    field.validators = [v for v in field.validators if not isinstance(v, (MinValueValidator, MaxValueValidator))] + [
        MinValueValidator(low, message),
        MaxValueValidator(high, message),
    ]
    field.widget.attrs.update({"min": low, "max": high})
    field.error_messages["invalid"] = message


class MemberForm(VersionedModelForm):
    """A member's record. Editing, the page carries the version of the record it was loaded from
    (``core.edits``): a save over a newer version is refused (no lost updates)."""

    class Meta:
        model = Member
        fields = list(MEMBER_RECORD_FIELDS)
        widgets = {
            "birth_date": DATE_WIDGET,
            "joined_on": DATE_WIDGET,
            "full_member_on": DATE_WIDGET,
            "left_on": DATE_WIDGET,
        }

    def clean_name(self) -> str:
        return _clean_name(self.cleaned_data["name"], "姓名")

    def clean_id_number(self) -> str:
        value = self.cleaned_data["id_number"].strip().upper()
        error = id_number_error(value)
        if error:
            raise forms.ValidationError(error)
        return value

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        error = phone_error(value)
        if error:
            raise forms.ValidationError(error)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # The same rules as the roster import (organizations.rules): one set for every way a member is written.
        for name, message in member_record_errors(
            birth_date=data.get("birth_date"),
            joined_on=data.get("joined_on"),
            full_member_on=data.get("full_member_on"),
            left_on=data.get("left_on"),
            today=timezone.localdate(),
        ):
            self.add_error(name, message)
        return data

    def validate_unique(self) -> None:
        """Every unique check but the ID number's: the service checks that one, because the model's own message
        ("具有 身份证号 的 党员 已存在") would tell a township that the person is a member elsewhere (issue 12 §5)."""
        exclude = {*self._get_validation_exclusions(), "id_number"}
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as exc:
            self._update_errors(exc)


def _clean_name(value: str, label: str) -> str:
    value = value.strip()
    error = name_error(label, value)
    if error:
        raise forms.ValidationError(error)
    return value


class OrganizationForm(VersionedModelForm):
    class Meta:
        model = Organization
        fields = ["name", "field", "units_covered", "established_on", "address"]
        widgets = {"established_on": DATE_WIDGET}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bound(self.fields["units_covered"], 1, MAX_UNITS_COVERED)

    def clean_name(self) -> str:
        return _clean_name(self.cleaned_data["name"], "组织名称")


class SubBranchForm(forms.Form):
    code = forms.CharField(label="组织代码", max_length=32)
    name = forms.CharField(label="名称", max_length=120)
    kind = forms.ChoiceField(
        label="类别",
        choices=[
            (OrgKind.BRANCH, OrgKind.BRANCH.label),
            (OrgKind.JOINT_BRANCH, OrgKind.JOINT_BRANCH.label),
            (OrgKind.PARTY_GROUP, OrgKind.PARTY_GROUP.label),
        ],
    )
    effective_on = forms.DateField(label="成立日期", widget=DATE_WIDGET)
    members = forms.ModelMultipleChoiceField(
        label="调入的党员", queryset=Member.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label="说明", widget=forms.Textarea, required=False, help_text="按产业、协会或区域设立的依据"
    )

    def __init__(self, *args: Any, members: QuerySet[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members

    def clean_name(self) -> str:
        return _clean_name(self.cleaned_data["name"], "名称")

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        error = name_error("组织代码", code)
        if error:
            raise forms.ValidationError(error)
        if Organization.objects.filter(code=code).exists():
            raise forms.ValidationError("组织代码已被使用")
        return code


class MoveMembersForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label="党员", queryset=Member.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    # Every organization of the township may be a target: a picker, not a select of all of them (issue 15).
    to_org = forms.ModelChoiceField(
        label="调入组织",
        queryset=Organization.objects.none(),
        widget=SearchSelect(placeholder="输入组织名称或编码搜索"),
    )
    moved_on = forms.DateField(label="调整日期", widget=DATE_WIDGET)
    reason = forms.CharField(label="原因", max_length=200, required=False)

    def __init__(
        self,
        *args: Any,
        members: QuerySet[Member],
        targets: QuerySet[Organization],
        search_url: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members
        self.fields["to_org"].queryset = targets  # the options: core.pickers.offer
        self.fields["to_org"].widget.search_url = search_url


class TermForm(forms.ModelForm):
    class Meta:
        model = CommitteeTerm
        fields = ["elected_on", "seats", "note"]
        widgets = {"elected_on": DATE_WIDGET}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bound(self.fields["seats"], 1, MAX_SEATS)


def member_label(member: Member) -> str:
    """How a member reads in a picker: the name and the organization (names repeat across a district)."""
    return f"{member.name}({member.organization.name})"


def organization_label(org: Organization) -> str:
    return org.name


class PositionForm(forms.Form):
    # The members of the whole subtree (150,000 at a district's root): a picker, not a select of all of them.
    member = forms.ModelChoiceField(
        label="党员", queryset=Member.objects.none(), widget=SearchSelect(placeholder="输入党员姓名搜索")
    )
    post = forms.ChoiceField(label="职务", choices=Post.choices)
    started_on = forms.DateField(label="任职日期", widget=DATE_WIDGET)
    term = forms.ModelChoiceField(label="所属届次", queryset=CommitteeTerm.objects.none(), required=False)

    def __init__(
        self, *args: Any, members: QuerySet[Member], terms: QuerySet[CommitteeTerm], search_url: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members  # the options: core.pickers.offer
        self.fields["member"].widget.search_url = search_url
        self.fields["term"].queryset = terms


class EndPositionForm(forms.Form):
    ended_on = forms.DateField(label="离任日期", widget=DATE_WIDGET)


class GrantRoleForm(forms.Form):
    username = forms.CharField(label="账号", max_length=150)
    full_name = forms.CharField(label="姓名", max_length=60, required=False, help_text="新建账号时填写")
    password = forms.CharField(
        label="初始密码", required=False, widget=forms.PasswordInput, help_text="账号不存在时将新建,须填写初始密码"
    )
    role = forms.ChoiceField(label="角色", choices=Role.choices)

    def __init__(self, *args: Any, roles: list[Role], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in roles]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        username = data.get("username", "").strip()
        exists = get_user_model().objects.filter(username=username).exists()
        if username and not exists and not data.get("password"):
            self.add_error("password", "账号不存在,新建账号须填写初始密码")
        if not exists and data.get("password"):
            from django.contrib.auth.password_validation import validate_password

            try:
                validate_password(data["password"])
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class OrgFilterForm(forms.Form):
    q = forms.CharField(label="搜索", required=False, widget=forms.TextInput(attrs={"placeholder": "名称或代码"}))
    kind = forms.ChoiceField(label="类别", required=False, choices=[("", "全部类别"), *OrgKind.choices])
    field = forms.ChoiceField(label="领域", required=False, choices=[("", "全部领域"), *OrgField.choices])


class UploadForm(forms.Form):
    file = forms.FileField(
        label="选择文件",
        help_text="Excel(.xlsx)或 CSV(UTF-8 或 GBK 编码),不超过10MB",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


# --- The reorganization workflow (组织设置调整, 第三篇 五) ---------------------------------------------------------


class ReorganizationForm(VersionedModelForm):
    """The plan (设置方案): drafted, then revised while it is out for comments."""

    class Meta:
        model = Reorganization
        fields = ["kind", "new_kind", "new_name", "units_planned", "plan"]
        widgets = {"kind": forms.RadioSelect, "units_planned": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"plan": "设置的理由和依据、下属组织的划分、班子人选的考虑、活动场所等"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_kind"].choices = [
            ("", "—"),
            (OrgKind.GENERAL_BRANCH, OrgKind.GENERAL_BRANCH.label),
            (OrgKind.COMMITTEE, OrgKind.COMMITTEE.label),
        ]
        self.fields["new_kind"].help_text = "升格或改设时填写"
        self.fields["new_name"].help_text = "升格或改设时填写,例如:洞村党总支"

    def clean_new_name(self) -> str:
        name = self.cleaned_data["new_name"]
        return _clean_name(name, "新名称") if name else name


class ReorganizationCommentForm(forms.Form):
    author_name = forms.CharField(label="提出人(单位)", max_length=60)
    content = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 3}))
    handling = forms.CharField(label="处理情况", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    received_on = forms.DateField(label="收到日期", widget=DATE_WIDGET)


class ReorganizationRequestForm(forms.Form):
    members_consulted = forms.IntegerField(label="征求意见党员人数", min_value=0, max_value=99999)
    number = forms.CharField(label="请示文号", max_length=60)
    on = forms.DateField(label="请示日期", widget=DATE_WIDGET)


class ReorganizationReplyForm(forms.Form):
    number = forms.CharField(label="批复文号", max_length=60)
    on = forms.DateField(label="批复日期", widget=DATE_WIDGET)
    note = forms.CharField(
        label="批复意见", widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="不同意时须写明理由"
    )


class ReorganizationMeetingForm(forms.Form):
    on = forms.DateField(label="党员大会日期", widget=DATE_WIDGET)
    due = forms.IntegerField(label="应到会党员", min_value=1, max_value=99999)
    present = forms.IntegerField(label="实到会党员", min_value=0, max_value=99999)
    note = forms.CharField(
        label="会议情况",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="宣读批复和设置方案、说明等",
    )


class ReorganizationImplementForm(forms.Form):
    effective_on = forms.DateField(label="实施日期", widget=DATE_WIDGET)


class ReorganizationUnitForm(SubBranchForm):
    """One sub-branch or party group of the approved plan (the reply is its basis: no note of its own)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["note"]


class ReorganizationConsultForm(forms.Form):
    started_on = forms.DateField(label="发放征求意见日期", widget=DATE_WIDGET)
