"""The file fields of grading's forms: what they accept, checked with the same rule as the services
(``grading.services.objections.validate_upload``, through ``core.uploads``).
"""

from __future__ import annotations

from typing import Any

from django import forms

from grading.services.objections import UPLOAD_HINT, validate_upload

ACCEPT = ".pdf,.jpg,.jpeg,.png,.doc,.docx"


def upload_field(label: str, *, required: bool = False) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=required,
        help_text=UPLOAD_HINT,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class UploadCheckMixin:
    """Check every uploaded file with the services' rule (type, content, 10 MB) when the form validates."""

    upload_fields: tuple[str, ...] = ()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()  # type: ignore[misc]
        for name in self.upload_fields:
            upload = cleaned.get(name)
            if upload:
                try:
                    validate_upload(upload, what=str(self.fields[name].label))  # type: ignore[attr-defined]
                except forms.ValidationError as exc:
                    self.add_error(name, exc)  # type: ignore[attr-defined]
        return cleaned
