"""The circular's form (text, deadline, one attachment, who receives it: four ways of choosing), and the reply form
(text and a file). Files are checked here first (``core.uploads``), so a refused file loses nothing typed."""

from __future__ import annotations

from typing import Any

from django import forms

from circulars.models import Circular
from circulars.services import recipients
from circulars.services.circulars import CIRCULAR_UPLOADS
from circulars.services.receipts import REPLY_MAX
from core.uploads import file_problems
from organizations.models import Organization

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _check_upload(form: forms.Form) -> Any:
    upload = form.cleaned_data.get("upload")
    if upload:
        for message in file_problems(upload, CIRCULAR_UPLOADS):
            form.add_error("upload", message)
    return upload


class CircularForm(forms.Form):
    sender = forms.TypedChoiceField(label="发文单位", coerce=int)
    title = forms.CharField(label="标题", max_length=200)
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 8}))
    reply_required = forms.BooleanField(label="要求回复(报送材料)", required=False, initial=True)
    deadline = forms.DateField(label="回复截止日期", required=False, widget=DATE, help_text="要求回复时必填")
    mode = forms.ChoiceField(label="接收范围", widget=forms.RadioSelect)
    kind = forms.ChoiceField(label="党组织类别", choices=recipients.KIND_CHOICES, required=False)
    role = forms.ChoiceField(label="账号类别", choices=recipients.ROLE_CHOICES, required=False)
    picked = forms.TypedMultipleChoiceField(
        label="接收的党组织", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    upload = forms.FileField(label="附件", required=False, help_text=CIRCULAR_UPLOADS.hint)

    def __init__(
        self,
        *args: Any,
        senders: list[Organization],
        pickable: list[Organization],
        instance: Circular | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.senders = {o.pk: o for o in senders}
        self.fields["sender"].choices = [(o.pk, o.name) for o in senders]
        first = instance.sender if instance is not None else senders[0]
        self.fields["mode"].choices = recipients.modes_for(first)
        self.fields["mode"].initial = recipients.Mode.ALL
        indent = {o.pk: "  " * max(o.depth - first.depth - 1, 0) for o in pickable}
        self.fields["picked"].choices = [(o.pk, f"{indent[o.pk]}{o.name}") for o in pickable]
        if instance is not None:
            del self.fields["sender"]
            for name in ("title", "body", "reply_required", "deadline"):
                self.initial.setdefault(name, getattr(instance, name))
            self.initial.setdefault("mode", recipients.Mode.PICKED)
            self.initial.setdefault("picked", list(instance.receipts.values_list("organization_id", flat=True)))
        elif len(senders) == 1:
            self.fields["sender"].widget = forms.HiddenInput()
            self.initial.setdefault("sender", senders[0].pk)

    def clean_upload(self) -> Any:
        return _check_upload(self)

    def clean(self) -> dict[str, Any]:
        d = super().clean()
        mode = d.get("mode")
        if mode == recipients.Mode.KIND and not d.get("kind"):
            self.add_error("kind", "请选择党组织类别")
        if mode == recipients.Mode.ROLE and not d.get("role"):
            self.add_error("role", "请选择账号类别")
        if mode == recipients.Mode.PICKED and not d.get("picked"):
            self.add_error("picked", "请至少勾选一个党组织")
        return d

    def sender_org(self) -> Organization | None:
        return self.senders.get(self.cleaned_data.get("sender"))

    def values(self) -> dict[str, Any]:
        return {k: self.cleaned_data.get(k) for k in ("title", "body", "reply_required", "deadline")}

    def choice(self) -> recipients.Choice:
        d = self.cleaned_data
        return recipients.Choice(
            mode=d.get("mode") or "",
            kind=d.get("kind") or "",
            role=d.get("role") or "",
            picked=frozenset(d.get("picked") or ()),
        )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="回复内容", required=False, max_length=REPLY_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    upload = forms.FileField(label="附件", required=False, help_text=CIRCULAR_UPLOADS.hint)

    def clean_upload(self) -> Any:
        return _check_upload(self)

    def clean(self) -> dict[str, Any]:
        d = super().clean()
        if not (d.get("text") or "").strip() and not d.get("upload") and not self.errors:
            raise forms.ValidationError("请填写回复内容或上传附件")
        return d


class FileForm(forms.Form):
    upload = forms.FileField(label="附件", help_text=CIRCULAR_UPLOADS.hint)

    def clean_upload(self) -> Any:
        return _check_upload(self)
