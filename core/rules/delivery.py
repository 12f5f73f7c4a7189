"""Delivery of a message through a channel (issue 17, 消息通道): what an answer means, when to try again, the text.

Pure: the backends (``core.channels``) report what happened, these rules say what it means. A message is sent, tried
again later (the other side was busy or out of reach: an HTTP 5xx or 429, a timeout, a broken connection, an SMTP 4xx
code), or failed for good (the other side refused it: an HTTP 4xx, an SMTP 5xx code, a robot's error code) and shown
on the district's 发送记录 page with a 重发 button.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db.models import TextChoices


class Channel(TextChoices):
    INAPP = "inapp", "站内通知"
    EMAIL = "email", "电子邮件"
    SMS = "sms", "手机短信"
    ROBOT = "robot", "政务微信/企业微信群"


class DeliveryStatus(TextChoices):
    PENDING = "pending", "待发送"
    SENT = "sent", "已发送"
    FAILED = "failed", "失败"
    RETRYING = "retrying", "重试中"


# The channels a user chooses; in-app notifications are always on (the Notification row itself).
CHOOSABLE = (Channel.EMAIL, Channel.SMS, Channel.ROBOT)

# HTTP: 429 (too many requests) and 408 (request timeout) are the other side being busy, not a refusal.
HTTP_BUSY = frozenset({408, 429})
# 企业微信 group robot: errcode 45009 is "接口调用超过限制" (20 messages a minute per robot): busy, try later.
ROBOT_BUSY_ERRCODES = frozenset({45009})

# Backoff between attempts: 1, 2, 4, 8 … minutes, never more than an hour.
RETRY_BASE_SECONDS = 60
RETRY_MAX_SECONDS = 3600


@dataclass(frozen=True)
class Outcome:
    """What one attempt came to: delivered, or not and whether trying again may help."""

    ok: bool
    transient: bool = False
    error: str = ""


SENT = Outcome(True)


def http_outcome(status: int | None, *, timed_out: bool = False, error: str = "") -> Outcome:
    """An HTTP answer (``status``; None with ``timed_out`` or ``error`` when none came): 2xx is sent, 5xx, 408, 429,
    a timeout and a broken connection are tried again, any other answer (4xx, a redirect) failed for good."""
    if status is None:
        return Outcome(False, True, "连接超时" if timed_out else (error or "无法连接"))
    if 200 <= status < 300:
        return SENT
    if status >= 500 or status in HTTP_BUSY:
        return Outcome(False, True, f"对方服务暂时不可用(HTTP {status})")
    return Outcome(False, False, f"对方拒绝接收(HTTP {status})")


def gateway_outcome(
    status: int | None, answer: object, success: str, *, timed_out: bool = False, error: str = ""
) -> Outcome:
    """An SMS gateway's answer. Many platforms answer 200 and say in the body whether they took the message:
    ``success`` (``SMS_GATEWAY_SUCCESS``, e.g. ``code=0``) names the field and the value that mean taken; another
    value is a refusal. Empty: any 2xx is sent."""
    outcome = http_outcome(status, timed_out=timed_out, error=error)
    key, _, expected = success.partition("=")
    if not outcome.ok or not key.strip():
        return outcome
    got = answer.get(key.strip()) if isinstance(answer, Mapping) else None
    if got is not None and str(got) == expected.strip():
        return SENT
    return Outcome(False, False, f"短信平台未受理({key.strip()}={'无' if got is None else got})")


def robot_outcome(status: int | None, errcode: int | None, *, timed_out: bool = False, error: str = "") -> Outcome:
    """A group robot answers 200 with ``{"errcode": 0}``; a non-zero code is a refusal (a wrong key, a bad message),
    except the rate limit, which passes."""
    outcome = http_outcome(status, timed_out=timed_out, error=error)
    if not outcome.ok or not errcode:
        return outcome
    if errcode in ROBOT_BUSY_ERRCODES:
        return Outcome(False, True, "群机器人发送过于频繁,稍后重试")
    return Outcome(False, False, f"群机器人拒绝接收(错误码 {errcode})")


def smtp_outcome(code: int | None, *, error: str = "") -> Outcome:
    """An SMTP refusal: 4xx codes are temporary (mailbox busy, greylisting), 5xx permanent (no such mailbox);
    without a code (the connection broke, a timeout) try again."""
    if code is not None and 500 <= code < 600:
        return Outcome(False, False, f"邮件服务器拒绝接收({code})")
    if error:
        return Outcome(False, True, error)
    return Outcome(False, True, f"邮件服务器暂时不可用({code})" if code else "邮件服务器暂时不可用")


def next_status(outcome: Outcome, *, attempts: int, max_attempts: int) -> DeliveryStatus:
    """The delivery's status after its ``attempts``-th attempt came to ``outcome``."""
    if outcome.ok:
        return DeliveryStatus.SENT
    if outcome.transient and attempts < max_attempts:
        return DeliveryStatus.RETRYING
    return DeliveryStatus.FAILED


def retry_countdown(attempts: int, *, base: int = RETRY_BASE_SECONDS, cap: int = RETRY_MAX_SECONDS) -> int:
    """Seconds to wait before the attempt after the ``attempts``-th: base, 2×base, 4×base … up to ``cap``."""
    return min(cap, base * 2 ** max(0, attempts - 1))


_PLACEHOLDER = re.compile(r"\{(title|url)\}")


def message_text(template: str, *, title: str, url: str) -> str:
    """The template with ``{title}`` and ``{url}`` filled in; any other brace is kept as written (a gateway's own
    template syntax, a stray brace in a title), so a template can never raise."""
    values = {"title": title, "url": url}
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def masked_address(channel: str, address: str) -> str:
    """How the district's page shows an address: a phone as 138****5678, a mailbox as z***@host, a webhook by its
    host only (its key is a credential)."""
    if not address:
        return ""
    if channel == Channel.SMS:
        return f"{address[:3]}****{address[-4:]}" if len(address) >= 8 else "****"
    if channel == Channel.EMAIL:
        name, _, host = address.partition("@")
        return f"{name[:1]}***@{host}"
    if channel == Channel.ROBOT:
        rest = address.split("://", 1)[-1]
        return rest.split("/", 1)[0].split("?", 1)[0] + "/…"
    return address


def chosen_addresses(account_email: str, choices: Mapping[str, tuple[bool, str]]) -> list[tuple[str, str]]:
    """(channel, address) of every outside channel a user receives on, from their choices (channel → (on, address)).

    Without a choice, e-mail is on when the account has an address and the rest are off; an e-mail choice without an
    address of its own uses the account's. A channel that is on but has nowhere to go is left out.
    """
    chosen = []
    for channel in CHOOSABLE:
        enabled, address = choices.get(channel, (channel == Channel.EMAIL and bool(account_email), ""))
        if channel == Channel.EMAIL:
            address = address or account_email
        if enabled and address:
            chosen.append((str(channel), address))
    return chosen


def webhook_allowed(url: str, hosts: Iterable[str]) -> bool:
    """A group robot's webhook goes only to the hosts the platform allows (企业微信's qyapi.weixin.qq.com, the
    province's 政务微信 host): an address a user typed must not make the server post anywhere else."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme in {"https", "http"} and bool(parts.hostname) and parts.hostname in set(hosts)
