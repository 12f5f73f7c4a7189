"""Each user's choice of channels (接收方式, issue 17): e-mail, SMS and a group robot besides the in-app notification,
which is always on. Read and written by the user alone; the page is ``partybuild.views_channels``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from core import audit
from core.models import ChannelChoice
from core.rules.delivery import CHOOSABLE, Channel, chosen_addresses, webhook_allowed

MOBILE = re.compile(r"^1\d{10}$")  # a mainland mobile number: 11 digits starting with 1


@dataclass(frozen=True)
class ChoiceRow:
    channel: str
    label: str
    enabled: bool
    address: str


def channel_choices_for(user: Any) -> list[ChoiceRow]:
    """The user's own choices, one row per outside channel, as they stand (defaults where none was saved)."""
    saved = {c.channel: (c.enabled, c.address) for c in ChannelChoice.objects.filter(user=user)}
    on = {channel for channel, _ in chosen_addresses(user.email or "", saved)}
    return [
        ChoiceRow(str(channel), channel.label, str(channel) in on, saved.get(channel, (False, ""))[1])
        for channel in CHOOSABLE
    ]


class ChannelChoiceForm(forms.Form):
    email_on = forms.BooleanField(label="电子邮件", required=False)
    email = forms.CharField(
        label="邮箱地址",
        required=False,
        max_length=254,
        help_text="不填则使用账号登记的邮箱",
        widget=forms.TextInput(attrs={"inputmode": "email", "autocomplete": "email"}),
    )
    sms_on = forms.BooleanField(label="手机短信", required=False)
    sms = forms.CharField(
        label="手机号码",
        required=False,
        max_length=11,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
    )
    robot_on = forms.BooleanField(label="政务微信/企业微信群", required=False)
    robot = forms.CharField(
        label="群机器人地址", required=False, max_length=500, help_text="在群设置的“群机器人”中复制的推送地址"
    )

    @classmethod
    def for_user(cls, user: Any, data: Any = None) -> ChannelChoiceForm:
        initial: dict[str, Any] = {}
        for row in channel_choices_for(user):
            initial[f"{row.channel}_on"] = row.enabled
            initial[row.channel] = row.address
        return cls(data, initial=initial)

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """(the on/off box, the address) of each channel, in the page's order."""
        return [(self[f"{channel}_on"], self[str(channel)]) for channel in CHOOSABLE]


def channel_choices_save(*, actor: Any, values: dict[str, Any]) -> list[ChoiceRow]:
    """Save the user's own choices (``values``: the form's cleaned data); a channel switched on needs a valid
    address. One audit event naming the channels now on (never the addresses: a phone is personal data)."""
    if not getattr(actor, "is_authenticated", False):
        raise ValidationError("请先登录")
    wanted = {ch: (bool(values.get(f"{ch}_on")), str(values.get(ch) or "").strip()) for ch in map(str, CHOOSABLE)}
    _check(actor, wanted)
    before = {"channel": [row.label for row in channel_choices_for(actor) if row.enabled]}
    with transaction.atomic():
        for channel, (enabled, address) in wanted.items():
            ChannelChoice.objects.update_or_create(
                user=actor, channel=channel, defaults={"enabled": enabled, "address": address}
            )
        rows = channel_choices_for(actor)
        after = {"channel": [row.label for row in rows if row.enabled]}
        on = "、".join(["站内通知", *(row.label for row in rows if row.enabled)])
        audit.record(actor=actor, verb="channels.save", summary=f"修改接收方式:{on}", before=before, after=after)
    return rows


def _check(actor: Any, wanted: dict[str, tuple[bool, str]]) -> None:
    errors: dict[str, str] = {}
    email_on, email = wanted[Channel.EMAIL]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors[Channel.EMAIL] = "邮箱地址格式不正确,例如 zhangsan@example.gov.cn"
    elif email_on and not actor.email:
        errors[Channel.EMAIL] = "账号没有登记邮箱,请填写接收提醒的邮箱地址"
    sms_on, phone = wanted[Channel.SMS]
    if phone and not MOBILE.match(phone):
        errors[Channel.SMS] = "手机号码应为以1开头的11位数字"
    elif sms_on and not phone:
        errors[Channel.SMS] = "选择短信接收时请填写手机号码"
    robot_on, webhook = wanted[Channel.ROBOT]
    if webhook and not webhook_allowed(webhook, settings.ROBOT_WEBHOOK_HOSTS):
        errors[Channel.ROBOT] = "群机器人地址不正确:请粘贴政务微信或企业微信群机器人的推送地址"
    elif robot_on and not webhook:
        errors[Channel.ROBOT] = "选择群机器人接收时请填写群机器人地址"
    if errors:
        raise ValidationError(errors)
