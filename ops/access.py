"""The one way in to the operations pages: the system's state and the message log are the district organization
department's (its IT office works under it); everybody else is refused."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied


def require_operations(user: Any, refusal: str = "只有区委组织部可以查看系统运行状态") -> None:
    """District staff pass; anybody else gets ``PermissionDenied`` with ``refusal``."""
    from organizations.access import is_district_staff

    if not is_district_staff(user):
        raise PermissionDenied(refusal)
