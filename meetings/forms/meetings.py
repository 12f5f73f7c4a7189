"""The meeting form: one page a secretary fills on a phone — type, date, topic, who presided and recorded, and the
roster as one list of three-way toggles (出席 / 请假 / 缺席), everyone present until marked otherwise; minutes,
resolutions and a photo are optional. An edit carries the record's version (``core.edits``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from core.edits import add_version
from core.uploads import file_problems
from meetings.models import Meeting
from meetings.rules.frequency import MeetingKind, Rhythm
from meetings.rules.records import Mark
from meetings.services.meetings import MEETING_FIELDS, MEETING_UPLOADS
from meetings.services.meetings import Mark as Given
from organizations.models import Member

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeetingForm(forms.ModelForm):
    upload = forms.FileField(label="照片或附件", required=False, help_text=MEETING_UPLOADS.hint)

    class Meta:
        model = Meeting
        fields = list(MEETING_FIELDS)
        widgets = {
            "held_on": DATE,
            "minutes": forms.Textarea(attrs={"rows": 4}),
            "resolutions": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, roster: list[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.roster = roster
        for name, label in (("presided_by", "主持人"), ("recorded_by", "记录人")):
            field = forms.TypedChoiceField(
                label=label,
                required=False,
                choices=[("", "—")] + [(m.pk, m.name) for m in roster],
                coerce=int,
                empty_value=None,
            )
            self.fields[name] = field
        if self.instance.pk is None:
            self.fields["held_on"].initial = timezone.localdate()
        else:
            self.initial["presided_by"] = self.instance.presided_by_id
            self.initial["recorded_by"] = self.instance.recorded_by_id
            fields = frozenset((*MEETING_FIELDS, "updated_at"))
            add_version(self, self.instance, fields)
        marks = {a.member_id: a for a in self.instance.attendance.all()} if self.instance.pk else {}
        for m in roster:
            given = marks.get(m.pk)
            self.fields[f"mark_{m.pk}"] = forms.ChoiceField(
                label=m.name,
                choices=Mark.choices,
                initial=given.mark if given else Mark.PRESENT,
                widget=forms.RadioSelect,
            )
            self.fields[f"reason_{m.pk}"] = forms.CharField(
                label=f"{m.name}的原因", required=False, max_length=100, initial=given.reason if given else ""
            )

    def people(self) -> list[tuple[Member, Any, Any]]:
        """The roster with each member's toggle and reason field, for the template."""
        return [(m, self[f"mark_{m.pk}"], self[f"reason_{m.pk}"]) for m in self.roster]

    def clean_upload(self) -> Any:
        upload = self.cleaned_data.get("upload")
        if upload:
            for message in file_problems(upload, MEETING_UPLOADS):
                self.add_error("upload", message)
        return upload

    def _post_clean(self) -> None:  # the service validates and saves; the model form must not touch the instance
        pass

    def values(self) -> dict[str, Any]:
        d = self.cleaned_data
        by_pk = {m.pk: m for m in self.roster}
        values = {k: d.get(k) for k in MEETING_FIELDS}
        values["presided_by"] = by_pk.get(d.get("presided_by"))
        values["recorded_by"] = by_pk.get(d.get("recorded_by"))
        return values

    def marks(self) -> dict[int, Given]:
        d = self.cleaned_data
        return {m.pk: Given(d.get(f"mark_{m.pk}") or Mark.PRESENT, d.get(f"reason_{m.pk}") or "") for m in self.roster}


class FileForm(forms.Form):
    upload = forms.FileField(label="照片或附件", help_text=MEETING_UPLOADS.hint)

    def clean_upload(self) -> Any:
        upload = self.cleaned_data["upload"]
        for message in file_problems(upload, MEETING_UPLOADS):
            self.add_error("upload", message)
        return upload


class RequirementsForm(forms.Form):
    """A year's requirements, one row per kind (the district's page): rhythm, times per period, required or not."""

    note = forms.CharField(label="调整说明", max_length=200, help_text="例如:依据区委组织部当年文件")

    def __init__(self, *args: Any, current: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = list(current)
        for kind, req in current.items():
            label = MeetingKind(kind).label
            self.fields[f"rhythm_{kind}"] = forms.ChoiceField(
                label=f"{label}频次", choices=Rhythm.choices, initial=req.rhythm
            )
            self.fields[f"times_{kind}"] = forms.IntegerField(
                label=f"{label}每个周期至少次数", min_value=1, max_value=31, initial=req.times
            )
            self.fields[f"active_{kind}"] = forms.BooleanField(
                label=f"{label}本年度要求", required=False, initial=req.active
            )
        self.order_fields([*(f for k in self.kinds for f in (f"rhythm_{k}", f"times_{k}", f"active_{k}")), "note"])

    def rows(self) -> list[tuple[str, Any, Any, Any]]:
        return [
            (MeetingKind(k).label, self[f"rhythm_{k}"], self[f"times_{k}"], self[f"active_{k}"]) for k in self.kinds
        ]

    def values(self) -> dict[str, tuple[str, int, bool]]:
        d = self.cleaned_data
        return {k: (d[f"rhythm_{k}"], d[f"times_{k}"], bool(d.get(f"active_{k}"))) for k in self.kinds}


class ImportForm(forms.Form):
    file = forms.FileField(
        label="记录表(xlsx)", help_text="请使用本页下载的模板;检查通过后再确认导入,全部成功或全部不导入"
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".xlsx"):
            raise forms.ValidationError("请上传Excel(xlsx)格式的记录表")
        return upload
