"""Forms of the election pages: they read typed input only; the rules are the services' (their refusals come back as
messages naming the rule)."""

from __future__ import annotations

from typing import Any

from django import forms

from elections.models import DecidingBody, DocumentKind, ElectionMethod, IncidentKind, OwnerLevel, Phase, PledgeKind
from elections.rules.incidents import Ground
from elections.services.step_templates import MAX_OFFSET_DAYS

# The largest count a form takes (ballots, votes): far above any organization's members, far below the column's limit.
MAX_COUNT = 100_000

PHASES = [(v, label) for v, label in Phase.choices if v != Phase.CLOSED]


class DateInput(forms.DateInput):
    """The browser's date picker. Its value must be ISO (yyyy-mm-dd): the locale's "2027/03/09" is not a valid value
    of <input type=date>, so the browser shows an empty field and the default (election day, signing day) is lost."""

    input_type = "date"

    def __init__(self, attrs: dict[str, object] | None = None, format: str | None = None) -> None:
        super().__init__(attrs, format=format or "%Y-%m-%d")


class ProjectOpenForm(forms.Form):
    election_date = forms.DateField(label="选举日期", widget=DateInput)
    seats = forms.IntegerField(label="应选委员名额", min_value=1, max_value=15)
    method = forms.ChoiceField(label="选举方式", choices=ElectionMethod.choices, initial=ElectionMethod.INDIRECT)

    date_reason = forms.CharField(
        label="延期(提前)换届的理由",
        required=False,
        max_length=500,
        initial="按乡镇党委统一部署开展换届",
        help_text="选举日期不是任期届满之日时填写,报上级党组织批准后项目才能继续",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DateChangeDecisionForm(forms.Form):
    """A13: the higher body's reply to a postponement (advancement) request."""

    decision = forms.ChoiceField(label="审批结果", choices=[("approve", "批准"), ("refuse", "不予批准")])
    document = forms.CharField(label="批复文号", max_length=60, required=False)
    decided_on = forms.DateField(label="批复日期", required=False, widget=DateInput)
    note = forms.CharField(label="审批意见", max_length=200, required=False)


class ExcusalConsentForm(forms.Form):
    """A1a: the higher body consents to the members left out of "due"."""

    document = forms.CharField(label="同意文号或说明", max_length=100)
    consent_on = forms.DateField(label="同意日期", required=False, widget=DateInput)


class ExcusalVoteForm(forms.Form):
    """A1a: the congress's vote on leaving them out."""

    votes_for = forms.IntegerField(label="赞成", min_value=0, max_value=MAX_COUNT)
    votes_against = forms.IntegerField(label="反对", min_value=0, max_value=MAX_COUNT, initial=0)
    abstained = forms.IntegerField(label="弃权", min_value=0, max_value=MAX_COUNT, initial=0)


class SeatReductionForm(forms.Form):
    """A5: the congress's vote to reduce the seats to those elected."""

    votes_for = forms.IntegerField(label="同意", min_value=0, max_value=MAX_COUNT)
    votes_against = forms.IntegerField(label="不同意", min_value=0, max_value=MAX_COUNT, initial=0, required=False)
    abstained = forms.IntegerField(label="弃权", min_value=0, max_value=MAX_COUNT, initial=0, required=False)


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
    issued = forms.IntegerField(label="发出选票", min_value=0, max_value=MAX_COUNT)
    returned = forms.IntegerField(label="收回选票", min_value=0, max_value=MAX_COUNT)


class BallotCheckForm(forms.Form):
    """核对: the paper tally sheet's totals (计票单), entered by someone who did not enter the ballots. Every printed
    name needs a number (0 for none), so a name skipped by mistake is asked for instead of read as 0."""

    WRITE_IN_ROWS = 3

    valid = forms.IntegerField(label="有效票", min_value=0, max_value=MAX_COUNT)
    invalid = forms.IntegerField(label="无效票", min_value=0, max_value=MAX_COUNT)

    def __init__(self, *args: object, names: list[str], **kwargs: object) -> None:
        kwargs.setdefault("auto_id", "check_%s")
        super().__init__(*args, **kwargs)
        self.names = list(names)
        for i, name in enumerate(self.names):
            self.fields[f"votes_{i}"] = forms.IntegerField(label=f"{name}得票", min_value=0, max_value=MAX_COUNT)
        for j in range(self.WRITE_IN_ROWS):
            self.fields[f"write_in_name_{j}"] = forms.CharField(
                label=f"另选他人{j + 1}姓名", max_length=20, required=False
            )
            self.fields[f"write_in_votes_{j}"] = forms.IntegerField(
                label=f"另选他人{j + 1}得票", min_value=0, max_value=MAX_COUNT, required=False
            )

    def clean(self) -> dict[str, object]:
        data = super().clean()
        votes: dict[str, int] = {name: data[f"votes_{i}"] for i, name in enumerate(self.names) if f"votes_{i}" in data}
        for j in range(self.WRITE_IN_ROWS):
            name = (data.get(f"write_in_name_{j}") or "").strip()
            count = data.get(f"write_in_votes_{j}")
            if not name and count is None:
                continue
            if not name:
                self.add_error(f"write_in_name_{j}", f"请填写另选他人{j + 1}的姓名(得{count}票)")
            elif count is None:
                self.add_error(f"write_in_votes_{j}", f"请填写另选他人{name}的得票数")
            elif name in self.names:
                self.add_error(f"write_in_name_{j}", f"{name}是选票上的候选人,请把得票填在上面“{name}得票”一栏")
            elif name in votes:
                self.add_error(f"write_in_name_{j}", f"另选他人{name}填了两次,请合并为一行")
            else:
                votes[name] = count
        data["votes"] = votes
        return data


class IncidentForm(forms.Form):
    """第五篇 六: an incident of the election and its report to the county."""

    kind = forms.ChoiceField(label="类别", choices=IncidentKind.choices)
    occurred_on = forms.DateField(label="发生日期", widget=DateInput)
    summary = forms.CharField(label="情况摘要", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    reporter = forms.CharField(label="反映人(信息来源)", max_length=60)
    reported_to_county_on = forms.DateField(label="报区委组织部日期", required=False, widget=DateInput)
    reported_how = forms.CharField(
        label="报送方式", max_length=60, required=False, help_text="如书面报告、电话报告、专报"
    )


class IncidentFollowUpForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    done_on = forms.DateField(label="日期", widget=DateInput)
    action = forms.CharField(label="处理情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    done_by = forms.CharField(label="经办人(单位)", max_length=60)


class IncidentCloseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    conclusion = forms.CharField(label="处理结论", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    closed_on = forms.DateField(label="办结日期", widget=DateInput)


class SanctionForm(forms.Form):
    """第五篇 六.2: the decision behind 取消候选人资格 or 宣布当选无效."""

    ground = forms.ChoiceField(label="查实的违纪情形", choices=Ground.choices)
    reason = forms.CharField(label="查实情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    body = forms.ChoiceField(label="决定机关", choices=DecidingBody.choices)
    decided_by_name = forms.CharField(label="决定人", max_length=60)
    document_number = forms.CharField(label="决定文号", max_length=60)
    decided_on = forms.DateField(label="决定日期", widget=DateInput)
    file = forms.FileField(label="决定文件(可选)", required=False)
    incident = forms.TypedChoiceField(label="相关事件(可选)", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, incidents: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["incident"].choices = [("", "—")] + [(i.pk, f"{i.occurred_on} {i}") for i in incidents]


class AnnulForm(SanctionForm):
    name = forms.ChoiceField(label="宣布当选无效的当选人")

    field_order = ["name"]

    def __init__(self, *args: Any, elected: list[str] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["name"].choices = [(n, n) for n in elected]


AGREE_CHOICES = [("agree", "同意"), ("disagree", "不同意")]


class JointOpinionForm(forms.Form):
    """Q1: one returned review form: the departments that signed it, the candidates it covers, their opinion."""

    departments = forms.MultipleChoiceField(label="联审部门", widget=forms.CheckboxSelectMultiple)
    candidates = forms.TypedMultipleChoiceField(label="候选人", coerce=int, widget=forms.CheckboxSelectMultiple)
    opinion = forms.ChoiceField(label="部门意见", choices=AGREE_CHOICES, initial="agree", widget=forms.RadioSelect)
    reason = forms.CharField(label="不同意的理由", max_length=200, required=False)
    given_on = forms.DateField(label="意见日期", widget=DateInput)
    reviewer = forms.CharField(label="审核人(部门签字人)", max_length=40)

    def __init__(self, *args, departments=(), candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].choices = list(departments)
        self.fields["candidates"].choices = list(candidates)


class JointReReviewForm(forms.Form):
    """Q2: the county group's re-review of the candidates whose departments have all answered."""

    candidates = forms.TypedMultipleChoiceField(label="候选人", coerce=int, widget=forms.CheckboxSelectMultiple)
    opinion = forms.ChoiceField(label="复审意见", choices=AGREE_CHOICES, initial="agree", widget=forms.RadioSelect)
    reason = forms.CharField(label="不同意的理由", max_length=200, required=False)
    reviewed_on = forms.DateField(label="复审日期", widget=DateInput)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].choices = list(candidates)


class CommitteePostsForm(forms.Form):
    """T1–T4 on the elected committee."""

    villagers_committee_size = forms.IntegerField(label="村(居)民委员会成员人数", min_value=1, max_value=15)
    secretary_is_director = forms.BooleanField(label="书记兼任村(居)民委员会主任(一肩挑)", required=False)
    cross_members = forms.TypedMultipleChoiceField(
        label="同时是村(居)民委员会成员的党组织委员(交叉任职)",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    women_chair_joined = forms.BooleanField(label="妇联主席进入“两委”班子", required=False)
    women_chair_name = forms.CharField(label="妇联主席姓名", max_length=40, required=False)
    youth_secretary_joined = forms.BooleanField(label="团支部书记进入“两委”班子", required=False)
    youth_secretary_name = forms.CharField(label="团支部书记姓名", max_length=40, required=False)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cross_members"].choices = list(members)
