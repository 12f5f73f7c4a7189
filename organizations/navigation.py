"""The menu: each entry only for users who may open it."""

from typing import Any

from django.urls import reverse
from django.utils import timezone

from organizations.roles import Perm
from organizations.scope import holds_at_root, scope_paths


def nav_items(user: Any) -> list[tuple[str, str]]:
    items = [("首页", reverse("home"))]
    if scope_paths(user):
        items.append(("党组织", reverse("organizations:org_list")))
    if scope_paths(user, Perm.READ_AUDIT):
        items.append(("操作日志", reverse("core:audit_log")))
    # District staff hold the district-only permission at the root (read from the cached grants: no query).
    if holds_at_root(user, Perm.REVIEW_GRADES):
        items.insert(1, ("全区概况", reverse("organizations:district_overview")))
        items.append(("节假日与调休", reverse("core:calendar")))
        items.append(("分类定级", reverse("grading:campaign_list")))
    if scope_paths(user, Perm.MANAGE_CASES) or scope_paths(user, Perm.SUPERVISE):
        items.append(("整顿", reverse("rectification:home")))
    if scope_paths(user, Perm.ELECTION_MANAGE):
        items.append(("换届选举", reverse("elections:terms")))
    if holds_at_root(user, Perm.ELECTION_COUNTY):
        # The district edits each year's 32 steps (the template every new project copies).
        items.append(("换届环节模板", reverse("elections:step_templates", args=[timezone.localdate().year])))
    from partybuild.notifications import menu_label

    items.append((menu_label(user), reverse("core:notifications")))
    return items
