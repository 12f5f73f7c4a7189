"""Cell values and the import-export widgets of the roster's and the tree's columns.

The widgets are shared by the admin (import-export's own import) and by the app's scoped two-step import
(``organizations.services.imports``): each raises ``ValueError`` with a Chinese message naming the column and the
value, so both report the same reasons. Exports render labels (男, 大学本科, 是) so that an exported file imports
unchanged.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from django.db import models
from import_export import widgets

from core.documents import is_formula_like
from organizations.models import Organization
from organizations.rules import id_number_error

# --- Cell values -----------------------------------------------------------------------------------------


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_formula(value: Any) -> bool:
    """A spreadsheet formula is refused rather than evaluated (and a cached result is never trusted)."""
    return isinstance(value, str) and value.strip().startswith("=")


def as_text(value: Any) -> str:
    """A cell as text: integral numbers lose their ``.0`` (an ID or phone typed as a number in Excel)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    text = str(value).strip()
    if text.startswith("'") and is_formula_like(text[1:]):
        return text[1:]  # the apostrophe our CSV export puts before formula-like text (see _csv_cell)
    return text


def show(value: Any, limit: int = 40) -> str:
    """The value as quoted in an error message, shortened so that a pasted paragraph stays readable."""
    text = as_text(value)
    return text if len(text) <= limit else text[:limit] + "…"


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(value: Any) -> date | None:
    """Real spreadsheet dates, Excel serial numbers and the usual Chinese ways of writing a date; ``None`` if none."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A date column formatted as "General" arrives as its serial number (days since 1899-12-30).
        if float(value).is_integer() and 1 <= value <= 2958465:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        return None
    text = as_text(value).replace(" ", "")
    if text.endswith(" 00:00:00"):
        text = text[:-9]
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return date(*(int(g) for g in match.groups()))
            except ValueError:
                return None
    return None


# --- Widgets ---------------------------------------------------------------------------------------------


class LabelledWidget(widgets.Widget):
    """A widget that knows its column's Chinese name, for messages such as 出生日期“2020-13-01”不是有效日期."""

    def __init__(self, label: str, *, required: bool = False, coerce_to_string: bool = True) -> None:
        super().__init__(coerce_to_string=coerce_to_string)
        self.label = label
        self.required = required

    def check_common(self, value: Any) -> bool:
        """Refuse formulas and missing required values; True when the value is blank (and allowed to be)."""
        if is_formula(value):
            raise ValueError(f"{self.label}“{show(value)}”是公式,请直接填写内容")
        if is_blank(value):
            if self.required:
                raise ValueError(f"{self.label}不能为空")
            return True
        return False


class TextWidget(LabelledWidget):
    def __init__(self, label: str, *, max_length: int, required: bool = False) -> None:
        super().__init__(label, required=required)
        self.max_length = max_length

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        if self.check_common(value):
            return ""
        text = as_text(value)
        if len(text) > self.max_length:
            raise ValueError(f"{self.label}“{show(text)}”过长(最多{self.max_length}个字)")
        return text

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


ID_NUMBER_RE = re.compile(r"^(\d{17}[\dX]|\d{15})$")


class IdNumberWidget(LabelledWidget):
    """身份证号: 18 characters (the last may be X, also typed lower case) with a correct check digit, as the member
    form requires (an old 15-digit number is refused by both)."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        if self.check_common(value):
            return ""
        text = as_text(value).upper()
        if isinstance(value, float) and abs(value) >= 1e15 or "E+" in text:
            raise ValueError(f"{self.label}“{show(value)}”被Excel当作数字保存,末几位已丢失,请把该列设为文本后重新填写")
        if not ID_NUMBER_RE.match(text):
            raise ValueError(f"{self.label}“{show(text)}”格式不正确,应为18位(最后一位可为X)")
        error = id_number_error(text)  # the member form's rule: 18 characters with a correct check digit
        if error:
            raise ValueError(f"{self.label}“{show(text)}”:{error}")
        return text

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value or ""


class ChoiceLabelWidget(LabelledWidget):
    """A choice written by its Chinese label (男, 大学本科, 正式党员); the stored value is also accepted."""

    def __init__(
        self, label: str, choices: type[models.TextChoices], *, required: bool = False, default: str = ""
    ) -> None:
        super().__init__(label, required=required)
        self.by_label = {str(c.label): str(c.value) for c in choices}
        self.by_value = {str(c.value): str(c.label) for c in choices}
        self.default = default

    def expected(self) -> str:
        labels = list(self.by_label)
        if len(labels) == 2:
            return f"{labels[0]} 或 {labels[1]}"
        return "、".join(labels) + " 之一"

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        if self.check_common(value):
            return self.default
        text = as_text(value)
        if text in self.by_label:
            return self.by_label[text]
        if text in self.by_value:
            return text
        raise ValueError(f"{self.label}“{show(text)}”无效,应为 {self.expected()}")

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return self.by_value.get(value or "", "")


class YesNoWidget(LabelledWidget):
    TRUE = frozenset({"是", "Y", "YES", "TRUE", "1"})
    FALSE = frozenset({"否", "N", "NO", "FALSE", "0"})

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> bool:
        if self.check_common(value):
            return False
        if isinstance(value, bool):
            return value
        text = as_text(value).upper()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(f"{self.label}“{show(value)}”无效,应为 是 或 否")

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "是" if value else "否"


class FlexibleDateWidget(LabelledWidget):
    """Dates as real spreadsheet dates or as text: 2020-01-05, 2020/1/5, 2020.1.5, 2020年1月5日, 20200105."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> date | None:
        if self.check_common(value):
            return None
        parsed = parse_date(value)
        if parsed is None:
            raise ValueError(f"{self.label}“{show(value)}”不是有效日期")
        if not date(1900, 1, 1) <= parsed <= date(2100, 12, 31):
            raise ValueError(f"{self.label}“{show(value)}”不是有效日期")
        return parsed

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        if kwargs.get("force_native_type"):
            return value
        return value.isoformat() if isinstance(value, date) else ""


class PositiveIntWidget(LabelledWidget):
    def __init__(self, label: str, *, default: int | None = None, maximum: int = 32767) -> None:
        super().__init__(label)
        self.default = default
        self.maximum = maximum

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int | None:
        if self.check_common(value):
            return self.default
        text = as_text(value)
        if not text.isdigit() or len(text) > 9 or not 1 <= int(text) <= self.maximum:
            raise ValueError(f"{self.label}“{show(value)}”应为1至{self.maximum}之间的整数")
        return int(text)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        if kwargs.get("force_native_type"):
            return value
        return "" if value is None else str(value)


class OrganizationCodeWidget(LabelledWidget):
    """组织代码 → the organization (the admin's import; the app's import resolves codes in one query itself)."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Organization | None:
        if self.check_common(value):
            return None
        code = as_text(value)
        org = Organization.objects.filter(code=code).first()
        if org is None:
            raise ValueError(f"{self.label}“{show(code)}”不存在")
        return org

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value.code if isinstance(value, Organization) else ""
