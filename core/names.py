"""How a person with an account is named, the same on every page, document, export, audit row and mail.

A Chinese name (姓名) is one field: surname and given name written together with no space ("莫辉峰", never Django's
given-name-first "辉峰 莫"). It is kept whole in ``User.first_name`` — labelled 姓名 in the admin and every form —
and ``last_name`` stays empty (migration partybuild 0002 joined the two). Reading ``last_name`` in front still names
an account someone split by hand correctly.
"""

from __future__ import annotations

from typing import Any

NAME_MAX_LENGTH = 150  # User.first_name


def person_name(user: Any) -> str:
    """The 姓名 alone; "" when the account has none."""
    if user is None:
        return ""
    last = (getattr(user, "last_name", "") or "").strip()
    first = (getattr(user, "first_name", "") or "").strip()
    return f"{last}{first}"


def display_name(user: Any) -> str:
    """The 姓名, else the account (user name); "" for no user."""
    if user is None:
        return ""
    return person_name(user) or user.get_username()


def account_label(user: Any) -> str:
    """ "莫辉峰(branch0001)": the name and the account, where both matter (audit trail, pickers, role lists)."""
    if user is None:
        return ""
    name = person_name(user)
    return f"{name}({user.get_username()})" if name else user.get_username()
