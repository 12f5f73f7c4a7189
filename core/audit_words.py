"""An audit event's before/after in words: each key under a Chinese label, each value as a person reads it.

Events store plain keys and values (``format: xlsx``, ``personal_data: True``). The label comes from this table, else
from the verbose name of a model field of that name (the event's target model first), else a neutral word; a value
is a choice's label, 是/否 for a flag, a list joined with 、, "—" for nothing.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

# Keys that are not a model field (or whose field's name would read wrong in the log).
LABELS: dict[str, str] = {
    "format": "文件格式",
    "job": "后台任务编号",
    "personal_data": "含个人信息",
    "method": "选举方式",
    "done_on": "完成日期",
    "pk": "编号",
    "username": "账号",
    "user": "账号",
    "role": "角色",
    "count": "数量",
    "items": "项目",
    "file": "文件",
    "document": "文书",
    "template": "模板",
    "step": "步骤",
    "source": "来源",
    "size": "大小",
    "seats": "委员职数",
    "organization": "党组织",
    "organizations": "党组织",
    "members": "党员",
    "present": "出席人数",  # a meeting's attendance (meetings)
    "leave": "请假人数",
    "absent": "缺席人数",
    "member": "党员",
    "findings": "审查结论",
    "days": "天数",
    "until": "截止日期",
    "since": "起始日期",
    "version": "版本",
    "updated": "已更新",
    "unchanged": "未变化",
    "new": "新增",
    "returned": "退回",
    "issued": "已印发",
    "valid": "有效",
    "invalid": "无效",
    "votes": "票数",
    "elected": "当选",
    "paper": "纸质",
    "percent": "百分比",
    "widened_cap_percent": "放宽后的“好”等次比例上限(%)",
    "encoding": "文件编码",
    "via": "方式",
    "channel": "接收方式",  # the channels a user receives reminders on besides 站内通知 (core.channel_choices)
    "post": "职务",
    "unit": "单位",
    "note": "说明",
    "regrade_request": "复核申请",
    "regrade_requested": "申请复核",
    "red_flag": "一票否决",
    "follow_up": "后续跟进",
    "person_name": "姓名",
    "name": "名称",
    "status": "状态",
    "phase": "阶段",
    "year": "年度",
    "kind": "类型",
    "category": "类别",
    "severity": "程度",
    "deadline": "期限",
    "budget": "预算",
    "investment": "投入",
    "duties": "职责",
}

# Values that are codes rather than words, whatever field they come from.
VALUES: dict[str, str] = {
    "xlsx": "Excel 表格",
    "pdf": "PDF 文件",
    "csv": "CSV 表格",
    "docx": "Word 文档",
    "direct": "直接选举",
    "indirect": "间接选举",
}

_ISO_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})")


@functools.cache
def _fields_by_name() -> dict[str, list[models.Field]]:
    """Every concrete field of our own apps' models, by name."""
    found: dict[str, list[models.Field]] = {}
    for app in ("partybuild", "organizations", "grading", "rectification", "elections", "dues", "meetings"):
        if not apps.is_installed(app):
            continue
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.get_fields():
                if isinstance(field, models.Field):
                    found.setdefault(field.name, []).append(field)
    return found


def _field(key: str, target_type: str) -> models.Field | None:
    if target_type:
        try:
            field = apps.get_model(target_type)._meta.get_field(key)
        except (LookupError, ValueError, FieldDoesNotExist):
            field = None
        if isinstance(field, models.Field):  # not a reverse relation of the same name
            return field
    candidates = _fields_by_name().get(key)
    return candidates[0] if candidates else None


def label(key: str, target_type: str = "") -> str:
    if key in LABELS:
        return LABELS[key]
    field = _field(key, target_type)
    if field is not None and re.search(r"[\u4e00-\u9fff]", str(field.verbose_name)):
        return str(field.verbose_name)
    return "其他信息"


def value(key: str, raw: Any, target_type: str = "") -> str:
    if raw is None or raw == "" or raw == [] or raw == {}:
        return "—"
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, (list, tuple)):
        return "、".join(value(key, item, target_type) for item in raw)
    if isinstance(raw, dict):
        return ";".join(f"{label(k, target_type)}:{value(k, v, target_type)}" for k, v in raw.items())
    text = str(raw)
    # the target's own field first; then any field of that name whose choices hold the value (an election step's
    # upload is recorded on its project, whose model has no "kind", as {"kind": "minutes"})
    for field in (_field(key, target_type), *_fields_by_name().get(key, [])):
        if field is not None and field.choices:
            choices = {str(k): str(v) for k, v in field.flatchoices}
            if text in choices:
                return choices[text]
    if text in VALUES:
        return VALUES[text]
    match = _ISO_DATETIME.match(text)
    if match:
        return f"{match.group(1)} {match.group(2)}"
    return text


def changes_in_words(event: Any) -> list[tuple[str, str, str]]:
    """(label, before, after) of an event, for the audit log and every record's timeline; before is "" when the
    event has none (a creation, an export)."""
    rows = []
    for key, before, after in event.changes:
        shown_before = value(key, before, event.target_type) if key in event.before else ""
        rows.append((label(key, event.target_type), shown_before, value(key, after, event.target_type)))
    return rows
