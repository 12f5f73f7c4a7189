"""The menu, as a registry: each app adds its entries in its ``AppConfig.ready`` and organizations names none of the
other apps' pages.

An entry is a label, a URL name, its place in the menu and who sees it::

    register_menu_item("整顿", "<app>:home", order=40)
    register_menu_item("分类定级", "<app>:campaign_list", order=30, perm="review_grades", at_root=True,
                       township_url_name="<app>:township_current")

(see the feature apps' ``apps.py``).

Everyone with a scope sees an entry without ``perm``; with ``perm``, those who hold it somewhere in their scope, or
with ``at_root`` at the district root only. ``township_url_name`` offers those without the root grant their
township's page instead (township staff and viewers, with the township's id); ``this_year`` passes the current year.
The menu starts with 首页 and ends with the notifications; a user without any scope sees only those two. Read from the
grants cached for the request: no query but the unread count.

The organization pages' buttons to the feature apps (the district overview's 分类定级审定, a township page's
分类定级 / 换届选举 / 整顿) come from a second registry, ``register_page_link``, for the same reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone

from organizations.models import Organization
from organizations.roles import Perm
from organizations.scope import Grant, grants_for, holds_at_root, scope_paths


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    order: int
    perm: str = ""
    at_root: bool = False
    township_url_name: str = ""
    this_year: bool = False

    def url_for(self, user: Any) -> str | None:
        """Where this entry takes ``user``, or None when the user does not see it."""
        args = [timezone.localdate().year] if self.this_year else []
        if not self.perm:
            return reverse(self.url_name, args=args)
        perm = Perm(self.perm)
        if holds_at_root(user, perm) if self.at_root else scope_paths(user, perm):
            return reverse(self.url_name, args=args)
        if self.township_url_name and (township := township_grant(user)) is not None:
            return reverse(self.township_url_name, args=[township.org_id])
        return None


_items: list[MenuItem] = []


def register_menu_item(
    label: str,
    url_name: str,
    *,
    order: int,
    perm: str = "",
    at_root: bool = False,
    township_url_name: str = "",
    this_year: bool = False,
) -> None:
    item = MenuItem(label, url_name, order, perm, at_root, township_url_name, this_year)
    if item not in _items:
        _items.append(item)
        _items.sort(key=lambda i: i.order)


@dataclass(frozen=True)
class PageLink:
    page: str  # "district" (the overview, no argument) or "township" (a township page, the township's id)
    label: str
    url_name: str
    order: int
    primary: bool = False


_page_links: list[PageLink] = []


def register_page_link(page: str, label: str, url_name: str, *, order: int, primary: bool = False) -> None:
    """A button on an organization page (``page``: "district" or "township") to a feature app's page."""
    link = PageLink(page, label, url_name, order, primary)
    if link not in _page_links:
        _page_links.append(link)
        _page_links.sort(key=lambda item: item.order)


def page_links(page: str, *args: Any) -> list[tuple[str, str, bool]]:
    """(label, url, primary) of the buttons the feature apps put on ``page``; ``args``: the page's object id."""
    return [(link.label, reverse(link.url_name, args=args), link.primary) for link in _page_links if link.page == page]


def township_grant(user: Any) -> Grant | None:
    """The first township (depth 2) where the user holds a role: township staff and viewers read its whole subtree."""
    width = 2 * Organization.steplen
    return next((g for g in grants_for(user) if len(g.path) == width and Perm.VIEW_RECORDS in g.perms), None)


def nav_items(user: Any) -> list[tuple[str, str]]:
    """Every area the user may read, and only those (issue 11): 首页, the registered entries the user sees, and the
    notifications."""
    from core.notifications import menu_label

    items = [("首页", reverse("home"))]
    if scope_paths(user):
        for item in _items:
            url = item.url_for(user)
            if url is not None:
                items.append((item.label, url))
    items.append((menu_label(user), reverse("core:notifications")))
    return items
