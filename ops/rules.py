"""Reading the operations settings from the environment (pure: no Django)."""

from __future__ import annotations

from email.utils import getaddresses


def parse_admins(value: str) -> list[tuple[str, str]]:
    """``ADMINS="Zhang San <zs@example.gov.cn>, ops@example.gov.cn"`` → Django's list of (name, address)."""
    return [(name or address, address) for name, address in getaddresses([value]) if "@" in address]
