"""What every edit form shares: the version a page was loaded with, and turning a service's refusal into form errors.

* **Version** (issue 12 §4). A form editing a stored record carries a hidden ``record_version``: a fingerprint of
  the record's stored values when the page was built. ``run_edit`` locks the row, compares, and refuses a save made
  from an older page ("tab A saves the address, tab B saves from its older page, A's address is gone"). The refused
  page keeps what was typed and now carries the current version, so saving again after a look is a deliberate choice.
  Records with a version column of their own keep it (``Assessment.version``, ``Case.version``; ``member_update``
  still takes ``expected_updated_at`` from callers of the service): a fingerprint needs no column, so it serves every
  other model without a migration.
* **Refusals**. A service's ``ValidationError`` lands on its field when the form has that field, else on top of the
  form; an ``IntegrityError`` (a unique code or ID number taken by someone who saved a moment earlier: the form's
  own check passed, the database refused) and a ``DataError`` (a number out of the column's range) become Chinese
  form errors instead of a 500 (issue 12 §7).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, models, transaction
from django.http import HttpRequest, HttpResponse

VERSION_FIELD = "record_version"
# Hidden inputs that carry a version, by the mechanism that reads them (tests/trust/test_edit_versions.py).
VERSION_FIELDS = frozenset({VERSION_FIELD, "version", "expected_updated_at"})
STALE_MESSAGE = (
    "保存前发现该记录已被他人修改(或在另一个窗口中保存过),为避免覆盖,本次修改未保存。"
    "您填写的内容仍在下方:请打开详情页核对最新内容,确认后再次点击保存。"
)
UNIQUE_MESSAGE = "与刚刚保存的另一条记录重复(例如代码或号码已被使用),未保存:请核对后重新提交"
RANGE_MESSAGE = "填写的数值超出允许范围,未保存:请检查后重新提交"


def record_version(record: models.Model, fields: frozenset[str] | None = None) -> str:
    """A fingerprint of the stored values of ``record``'s ``fields`` (default: all): equal while nobody has changed
    them. A form fingerprints the fields it edits, so a change elsewhere (a child added, a counter) is no conflict."""
    digest = hashlib.sha256()
    for field in record._meta.concrete_fields:
        if fields is not None and field.name not in fields and field.attname not in fields:
            continue
        digest.update(f"{field.attname}={field.value_from_object(record)!r};".encode())
    return digest.hexdigest()[:32]


def add_version(form: forms.BaseForm, record: models.Model, fields: frozenset[str] | None = None) -> forms.BaseForm:
    """Give ``form`` (bound or not) the hidden version of ``record`` as loaded; ``run_edit`` checks it. ``fields``:
    the record's fields the form edits (default: the form's fields that are fields of the record)."""
    if fields is None:
        names = {f.name for f in record._meta.concrete_fields}
        fields = frozenset(name for name in form.fields if name in names)
    form.fields[VERSION_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
    form.initial[VERSION_FIELD] = record_version(record, fields)
    form._version_record = record  # type: ignore[attr-defined]
    form._version_fields = fields  # type: ignore[attr-defined]
    return form


class VersionedModelForm(forms.ModelForm):
    """A model form whose page carries the version of the record it edits (nothing for a new record). The view
    passes the record as loaded (``instance=``): its values before this request's input are the version."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            add_version(self, self.instance)


def _posted_version(form: forms.BaseForm) -> str:
    return (form.data.get(form.add_prefix(VERSION_FIELD)) or "").strip() if form.is_bound else ""


def _refuse_stale(form: forms.BaseForm, current: str) -> None:
    form.add_error(None, STALE_MESSAGE)
    data = form.data.copy()  # the re-rendered page carries the version it was refused against
    data[form.add_prefix(VERSION_FIELD)] = current
    form.data = data


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """A service's refusal on the form: on its field when the form shows that field, else on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            target = name if name in form.fields and name != VERSION_FIELD else None
            for error in errors:
                form.add_error(target, error.message % error.params if error.params else error.message)
        return
    for message in exc.messages:
        form.add_error(None, message)


def _unique_columns(exc: IntegrityError) -> list[str]:
    text = str(exc)
    found = re.findall(r"Key \(([^)]+)\)=", text)  # PostgreSQL: DETAIL:  Key (code)=(T01-009) already exists.
    if found:
        return [c.strip() for c in found[0].split(",")]
    match = re.search(r"UNIQUE constraint failed: (.+)", text)  # SQLite: ... failed: app_model.code, app_model.x
    return [part.strip().rsplit(".", 1)[-1] for part in match.group(1).split(",")] if match else []


def _add_integrity_error(form: forms.BaseForm, exc: IntegrityError) -> None:
    for column in _unique_columns(exc):
        name = column[:-3] if column.endswith("_id") and column[:-3] in form.fields else column
        if name in form.fields and name != VERSION_FIELD:
            label = form.fields[name].label or name
            form.add_error(name, f"{label}与刚刚保存的另一条记录重复,已被使用,未保存:请修改后重新提交")
            return
    form.add_error(None, UNIQUE_MESSAGE)


def run_edit(form: forms.BaseForm, call: Callable[[], Any], *, record: models.Model | None = None) -> Any:
    """Run the service of a valid form: the result, or None when refused (the reasons are on the form and what was
    typed stays). ``record`` defaults to the record the form was given a version for."""
    record = record if record is not None else getattr(form, "_version_record", None)
    fields = getattr(form, "_version_fields", None)
    posted = _posted_version(form) if VERSION_FIELD in form.fields else ""
    cleaned = getattr(form, "cleaned_data", None)
    if isinstance(cleaned, dict):
        cleaned.pop(VERSION_FIELD, None)  # services take the record's fields, not the page's version
    try:
        with transaction.atomic():
            if posted and record is not None and record.pk is not None:
                stored = type(record)._default_manager.select_for_update().filter(pk=record.pk).first()
                if stored is not None and record_version(stored, fields) != posted:
                    _refuse_stale(form, record_version(stored, fields))
                    return None
            return call()
    except ValidationError as exc:
        add_service_errors(form, exc)
    except IntegrityError as exc:
        _add_integrity_error(form, exc)
    except DataError:
        form.add_error(None, RANGE_MESSAGE)
    return None


def form_submit(
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], Any],
    *,
    success: str | Callable[[Any], str],
    then: Callable[[Any], HttpResponse],
) -> HttpResponse | None:
    """The form flow of every page that writes: for a valid POST run the service on the cleaned data through
    ``run_edit`` (a save from an older page, the service's ValidationError, a unique value taken meanwhile become the
    form's errors and what was typed stays), then a success message and ``then(result)`` (usually a redirect).
    None when the page is to be shown (again): a GET, an invalid form or a refusal."""
    if request.method != "POST" or not form.is_valid():
        return None
    result = run_edit(form, lambda: (action(form.cleaned_data),))  # a tuple: a service may return None
    if result is None:
        return None
    (value,) = result
    messages.success(request, success(value) if callable(success) else success)
    return then(value)
