"""The delivery channels (issue 17): one backend per channel, in a small registry, chosen by settings.

- 站内 (``inapp``): the ``Notification`` row is the message; nothing goes out.
- 邮件 (``email``): Django's mail: the SMTP server the settings read from ``EMAIL_HOST`` … ``EMAIL_USE_TLS``.
- 短信 (``sms``): an HTTP gateway (``SMS_GATEWAY_URL``, ``SMS_GATEWAY_USER`` / ``_PASSWORD``, ``SMS_GATEWAY_FIELDS``,
  the text from ``SMS_TEMPLATE`` with ``{title}`` and ``{url}``, ``SMS_GATEWAY_SUCCESS`` for a platform that says in
  its answer whether it took the message); without a gateway URL, the log (development).
- 政务微信/企业微信群 (``robot``): a group robot's webhook, ``{"msgtype": "text", "text": {"content": …}}``.

Each backend's ``send(address, message)`` returns an ``Outcome`` (``core.rules.delivery``): sent, or not and whether
trying again may help. It never raises for a failure of the other side.
"""

from __future__ import annotations

import json
import logging
import smtplib
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import send_mail

from core.rules.delivery import (
    SENT,
    Channel,
    Outcome,
    gateway_outcome,
    masked_address,
    message_text,
    robot_outcome,
    smtp_outcome,
    webhook_allowed,
)

logger = logging.getLogger(__name__)

# What an SMS gateway's JSON body names its fields, unless SMS_GATEWAY_FIELDS renames them ("mobile=phone,…").
SMS_FIELDS = {"account": "account", "password": "password", "mobile": "mobile", "content": "content"}
MAX_ANSWER_BYTES = 64 * 1024


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    url: str  # absolute when SITE_URL is set


class Backend(Protocol):
    def send(self, address: str, message: Message) -> Outcome: ...


class InAppBackend:
    """The notification row is the in-app message: it is there as soon as it is created."""

    def send(self, address: str, message: Message) -> Outcome:
        return SENT


class EmailBackend:
    def send(self, address: str, message: Message) -> Outcome:
        try:
            send_mail(
                message.title,
                f"{message.body}\n\n请登录党建工作管理平台查看:{message.url}",
                settings.DEFAULT_FROM_EMAIL,
                [address],
            )
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            return smtp_outcome(codes[0] if codes else None)
        except smtplib.SMTPResponseException as exc:
            return smtp_outcome(exc.smtp_code)
        except (smtplib.SMTPException, OSError):
            return smtp_outcome(None, error="无法连接邮件服务器")
        return SENT


@dataclass(frozen=True)
class HttpAnswer:
    status: int | None
    body: bytes = b""
    timed_out: bool = False
    error: str = ""


def post_json(
    url: str, payload: dict[str, Any], *, timeout: float, headers: dict[str, str] | None = None
) -> HttpAnswer:
    """POST ``payload`` as JSON; the answer's status and (the start of) its body, or why none came."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (the URL is a setting)
            return HttpAnswer(response.status, response.read(MAX_ANSWER_BYTES))
    except urllib.error.HTTPError as exc:
        return HttpAnswer(exc.code)
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            return HttpAnswer(None, timed_out=True)
        return HttpAnswer(None, error="无法连接")
    except TimeoutError:
        return HttpAnswer(None, timed_out=True)
    except (OSError, ValueError):
        return HttpAnswer(None, error="无法连接")


def sms_fields() -> dict[str, str]:
    fields = dict(SMS_FIELDS)
    for pair in settings.SMS_GATEWAY_FIELDS.split(","):
        key, _, name = pair.partition("=")
        if key.strip() in fields and name.strip():
            fields[key.strip()] = name.strip()
    return fields


class SmsGatewayBackend:
    """One HTTP SMS gateway (the government SMS platforms are HTTP APIs): a JSON POST with the account, the password,
    the mobile number and the text; a 2xx answer is sent."""

    def send(self, address: str, message: Message) -> Outcome:
        fields = sms_fields()
        payload = {
            fields["mobile"]: address,
            fields["content"]: message_text(settings.SMS_TEMPLATE, title=message.title, url=message.url),
        }
        if settings.SMS_GATEWAY_USER:
            payload[fields["account"]] = settings.SMS_GATEWAY_USER
        if settings.SMS_GATEWAY_PASSWORD:
            payload[fields["password"]] = settings.SMS_GATEWAY_PASSWORD
        answer = post_json(settings.SMS_GATEWAY_URL, payload, timeout=settings.CHANNEL_TIMEOUT)
        return gateway_outcome(
            answer.status,
            _json(answer.body),
            settings.SMS_GATEWAY_SUCCESS,
            timed_out=answer.timed_out,
            error=answer.error,
        )


class SmsConsoleBackend:
    """Development: the text goes to the log instead of a gateway (the default while SMS_GATEWAY_URL is empty)."""

    def send(self, address: str, message: Message) -> Outcome:
        text = message_text(settings.SMS_TEMPLATE, title=message.title, url=message.url)
        logger.info("短信(未配置短信网关,仅记录)%s:%s", masked_address(Channel.SMS, address), text)
        return SENT


class RobotWebhookBackend:
    """A 政务微信/企业微信 group robot: a text message posted to its webhook, on an allowed host only."""

    def send(self, address: str, message: Message) -> Outcome:
        if not webhook_allowed(address, settings.ROBOT_WEBHOOK_HOSTS):
            return Outcome(False, False, "群机器人地址不在本平台允许的范围内")
        content = "\n".join(part for part in (message.title, message.body, message.url) if part)
        answer = post_json(address, {"msgtype": "text", "text": {"content": content}}, timeout=settings.CHANNEL_TIMEOUT)
        return robot_outcome(answer.status, _errcode(answer.body), timed_out=answer.timed_out, error=answer.error)


def _json(body: bytes) -> object:
    try:
        return json.loads(body.decode("utf-8")) if body else None
    except ValueError:
        return None


def _errcode(body: bytes) -> int | None:
    answer = _json(body)
    value = answer.get("errcode") if isinstance(answer, dict) else None
    return value if isinstance(value, int) else None


def _sms_backend() -> Backend:
    return SmsGatewayBackend() if settings.SMS_GATEWAY_URL else SmsConsoleBackend()


_registry: dict[str, Callable[[], Backend]] = {
    Channel.INAPP: InAppBackend,
    Channel.EMAIL: EmailBackend,
    Channel.SMS: _sms_backend,
    Channel.ROBOT: RobotWebhookBackend,
}


def register(channel: str, factory: Callable[[], Backend]) -> None:
    """Replace a channel's backend (a province's own gateway): ``factory()`` is called for every send."""
    _registry[channel] = factory


def backend_for(channel: str) -> Backend:
    return _registry[channel]()


def absolute(url: str) -> str:
    """A link in an SMS or a group message must work outside the browser: prefixed with SITE_URL when relative."""
    return f"{settings.SITE_URL}{url}" if url.startswith("/") and settings.SITE_URL else url
