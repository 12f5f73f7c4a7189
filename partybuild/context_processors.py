"""Navigation shown in the base template: links only to what the user may open."""

from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    from organizations.navigation import nav_items

    return {"nav_items": nav_items(user)}
