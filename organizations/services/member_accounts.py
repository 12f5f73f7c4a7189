"""A member's own account (党员账号, issue 17 deliver 6): the branch secretary or the township opens it and disables it.

The account holds no role: the member's home shows their own record and nothing of others (``organizations.self``).
The initial password is made here and shown once on the page that opened the account; it is stored only as a hash.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from core import audit
from organizations.models import Member
from organizations.roles import Perm
from organizations.scope import require

# Letters and digits a member reads off a screen without mistaking one for another (no 0/O, 1/l/I).
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PASSWORD_LENGTH = 10


def account_username(member: Member) -> str:
    """The account's name: "m" and the member's number in the roster, short enough to type on a phone."""
    return f"m{member.pk}"


def _initial_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


def member_account_create(*, actor: Any, member: Member) -> tuple[Any, str]:
    """Open (or open again) the member's account; returns the account and its initial password, to be shown once."""
    require(actor, Perm.EDIT_ROSTER, member.organization)
    user_model = get_user_model()
    with transaction.atomic():
        member = Member.objects.select_for_update(of=("self",)).select_related("organization", "user").get(pk=member.pk)
        if member.left_on is not None:
            raise ValidationError("该党员已离开本组织,不能开通党员账号")
        if member.user is not None and member.user.is_active:
            raise ValidationError(f"该党员已有账号({member.user.username}),无需再开通")
        password = _initial_password()
        user = member.user
        if user is None:
            username = account_username(member)
            if user_model.objects.filter(username=username).exists():
                raise ValidationError(f"账号名 {username} 已被占用,请联系区委组织部处理")
            user = user_model(username=username, last_name=member.name[:150])
            user.set_password(password)
            user.save()
            member.user = user
            member.save(update_fields=["user", "updated_at"])
            verb, words = "member.account_create", "开通党员账号"
        else:
            user.is_active = True
            user.set_password(password)
            user.save(update_fields=["is_active", "password"])
            verb, words = "member.account_enable", "重新开通党员账号"
        audit.record(
            actor=actor,
            verb=verb,
            summary=f"{words}:{member.name}({user.username})",
            target=member,
            org_path=member.organization.path,
        )
    return user, password


def member_account_disable(*, actor: Any, member: Member) -> None:
    """Stop the member's account: it can no longer log in; the link stays so it can be opened again."""
    require(actor, Perm.EDIT_ROSTER, member.organization)
    with transaction.atomic():
        member = Member.objects.select_for_update(of=("self",)).select_related("organization", "user").get(pk=member.pk)
        user = member.user
        if user is None or not user.is_active:
            raise ValidationError("该党员没有可停用的账号")
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit.record(
            actor=actor,
            verb="member.account_disable",
            summary=f"停用党员账号:{member.name}({user.username})",
            target=member,
            org_path=member.organization.path,
        )
