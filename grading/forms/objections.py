"""Forms of objections to the district's result: raising one (with its materials) and the district's re-review."""

from __future__ import annotations

from django import forms

from grading.forms.uploads import UploadCheckMixin, upload_field


class ObjectionForm(UploadCheckMixin, forms.Form):
    upload_fields = ("evidence",)
    content = forms.CharField(label="异议内容", widget=forms.Textarea(attrs={"rows": 5}))
    raised_by_name = forms.CharField(label="提出人(单位或姓名)", max_length=60, required=False)
    evidence = upload_field("有关材料")
