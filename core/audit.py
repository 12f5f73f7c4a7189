"""The audit trail: one function writes an event; the record page and the district log read them back.

Services call ``record`` inside their transaction, so an event exists exactly when its change does.
The request's address is taken from a context variable the middleware sets, so services need no request.
"""

from __future__ import annotations

import contextvars
import hashlib
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import models
from django.dispatch import receiver

from core.models import Event
from core.names import account_label

current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_ip", default=None)

# Never copied into an event: personal data is recorded as "changed", not as its value.
SENSITIVE_FIELDS = frozenset({"id_number", "phone", "password"})


class _Masked(str):
    """Shown and stored as "***"; compares by a digest of the hidden value, so ``changed`` still sees that an ID number
    or phone changed (before "***", after "***") without the value ever reaching the event."""

    digest: str

    def __new__(cls, value: Any) -> _Masked:
        masked = super().__new__(cls, "***")
        masked.digest = hashlib.sha256(str(value).encode()).hexdigest()
        return masked

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _Masked):
            return self.digest == other.digest
        return False

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = str.__hash__


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Plain values of ``fields`` for before/after; sensitive fields are masked."""
    data: dict[str, Any] = {}
    for name in fields:
        value = getattr(instance, name)
        data[name] = _Masked(value) if name in SENSITIVE_FIELDS and value else _plain(value)
    return data


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ, so the timeline shows what really changed."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record(
    *,
    actor: Any,
    verb: str,
    summary: str,
    target: models.Model | None = None,
    org_path: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> Event:
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return Event.objects.create(
        actor=actor if is_user else None,
        actor_name=account_label(actor)[:150] if is_user else "系统",
        ip=current_ip.get(),
        verb=verb,
        summary=summary[:300],
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:200] if target is not None else "",
        org_path=org_path,
        before=before or {},
        after=after or {},
    )


def record_on(
    target: models.Model,
    *,
    actor: Any,
    verb: str,
    summary: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> Event:
    """An event on a record that belongs to one organization (``target.organization``: a rectification case, an
    election project): the summary starts with the organization's name and the event is scoped to its path."""
    org = target.organization  # type: ignore[attr-defined]
    return record(
        actor=actor,
        verb=verb,
        summary=f"{org.name}:{summary}",
        target=target,
        org_path=org.path,
        before=before,
        after=after,
    )


def events_for(target: models.Model) -> models.QuerySet[Event]:
    return Event.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))


def client_ip(request: Any) -> str | None:
    """The client's address. Behind our reverse proxy (TRUSTED_PROXY_COUNT ≥ 1) it is the entry the proxies
    appended to X-Forwarded-For, counted from the right: entries further left are whatever the client sent and
    cannot be trusted. Used by the audit trail and by django-axes (AXES_CLIENT_IP_CALLABLE)."""
    from django.conf import settings

    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None


@receiver(user_logged_in)
def _on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    token = current_ip.set(client_ip(request) if request else None)
    try:
        record(actor=user, verb="auth.login", summary="登录成功")
    finally:
        current_ip.reset(token)


@receiver(user_logged_out)
def _on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(actor=user, verb="auth.logout", summary="退出登录")


@receiver(user_login_failed)
def _on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    token = current_ip.set(client_ip(request) if request else None)
    try:
        username = str(credentials.get("username", ""))[:100]
        record(actor=None, verb="auth.login_failed", summary=f"登录失败:账号 {username}", after={"username": username})
    finally:
        current_ip.reset(token)
