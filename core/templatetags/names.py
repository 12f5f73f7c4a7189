"""``{{ user|display_name }}`` and ``{{ user|account_label }}`` (core.names), loaded in every template."""

from __future__ import annotations

from typing import Any

from django import template

from core import names

register = template.Library()


@register.filter
def display_name(user: Any) -> str:
    return names.display_name(user)


@register.filter
def account_label(user: Any) -> str:
    return names.account_label(user)


@register.filter
def changes_in_words(event: Any) -> list[tuple[str, str, str]]:
    """An audit event's changes under Chinese labels (core.audit_words)."""
    from core.audit_words import changes_in_words as words

    return words(event)
