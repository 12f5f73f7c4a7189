"""The menu: each entry only for users who may open it."""

from typing import Any

from django.urls import reverse
from django.utils import timezone

from organizations.models import Organization
from organizations.roles import Perm
from organizations.scope import grants_for, holds_at_root, scope_paths


def _township_grant(user: Any) -> Any:
    """The first township (depth 2) where the user holds a role: township staff and viewers read its whole subtree."""
    width = 2 * Organization.steplen
    return next((g for g in grants_for(user) if len(g.path) == width and Perm.VIEW_RECORDS in g.perms), None)


def nav_items(user: Any) -> list[tuple[str, str]]:
    """Every area the user may read, and only those (issue 11): the district's tools, the township's grading board,
    rectification and elections for everyone with a scope (each page shows the user's part of it), exports for those
    who may export. Read from the cached grants: no query but the unread count."""
    items = [("首页", reverse("home"))]
    if not scope_paths(user):
        from partybuild.notifications import menu_label

        return [*items, (menu_label(user), reverse("core:notifications"))]
    district = holds_at_root(user, Perm.REVIEW_GRADES)
    if district:
        items.append(("全区概况", reverse("organizations:district_overview")))
    items.append(("党组织", reverse("organizations:org_list")))
    if district:
        items.append(("分类定级", reverse("grading:campaign_list")))
    elif (township := _township_grant(user)) is not None:
        items.append(("分类定级", reverse("grading:township_current", args=[township.org_id])))
    # Rectification and elections: the district's and townships' boards, a secretary's or liaison's own cases and
    # terms, a viewer's township read-only (the pages check what each may do).
    items.append(("整顿", reverse("rectification:home")))
    items.append(("换届选举", reverse("elections:overview")))
    if holds_at_root(user, Perm.ELECTION_COUNTY):
        # The district edits each year's 32 steps (the template every new project copies).
        items.append(("换届环节模板", reverse("elections:step_templates", args=[timezone.localdate().year])))
    if scope_paths(user, Perm.EXPORT_ROSTER):
        items.append(("导出任务", reverse("core:job_list")))
    if scope_paths(user, Perm.READ_AUDIT):
        items.append(("操作日志", reverse("core:audit_log")))
    if district:
        items.append(("节假日与调休", reverse("core:calendar")))
    from partybuild.notifications import menu_label

    items.append((menu_label(user), reverse("core:notifications")))
    return items
