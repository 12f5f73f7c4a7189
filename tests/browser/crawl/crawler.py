"""The crawl: each demo role logs in, starts at its home and follows every same-site ``<a href>`` breadth-first.

Django's test client does the requests (no JavaScript is needed to follow a link, and it is ten times faster than a
browser). A visited set keeps each URL to one request, and each route name (``grading:assessment_detail``) to a few
representatives per role, so the crawl stays small on a district of hundreds of organizations: a page's links depend
on its route and its object's state, not on which of a hundred villages it shows. Of a page's links to one route the
crawl offers the first, the middle and the last (lists are ordered by status or date, so their ends differ in state),
and fetches the first few offered per route in breadth-first order; of the routes whose links depend most on their
object's state (STATEFUL_ROUTES: an assessment, a case, a project) it offers every link and fetches 20 more pages,
shared by the roles.

What is not fetched: downloads (PDF/xlsx: their link is enough to reach the route; rendering every PDF would take
minutes and the journeys start real downloads), the admin (Django's own pages) and anything not on this site.
Whatever a followed link answers is kept: a 403, 404 or 500 behind a link is a finding of its own.
"""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

# The five demo roles, and the townships whose 2026 grading is live (T11, T12: every stage of the workflow, so the
# links that only a state shows, such as 提出异议 in the objection window, are on their pages).
ROLES = ("district", "township01", "branch0001", "liaison01", "viewer01", "township11", "township12")
PASSWORD = "demo12345"

# Routes whose answer is a file: reached when a page links them, not fetched by the crawl.
DOWNLOAD_SUFFIXES = (".pdf", ".xlsx", ".xlsx/", ".docx", ".zip", ".csv")
DOWNLOAD_ROUTES = frozenset(
    {
        "core:job_download",
        "grading:file_download",
        "elections:document",
        "rectification:evidence_download",
        "rectification:yearend_report_download",
    }
)
# Pages whose links depend most on their object's state (phase, status, who is assigned): more representatives.
STATEFUL_ROUTES = frozenset(
    {
        "grading:assessment_detail",
        "grading:township_score",
        "rectification:case_detail",
        "rectification:org_page",
        "elections:project",
    }
)
STATEFUL_EXTRA = 40  # fetched beyond ``per_route``, shared by all roles
# Not followed: leaving the session, Django's admin (its own pages, not ours), static and uploaded files.
SKIP_PREFIXES = ("/admin/", "/static/", "/media/", "/accounts/logout/")


@dataclass(frozen=True)
class Link:
    url: str  # path and query, no fragment
    route: str  # the namespaced route name it resolves to
    found_on: str  # the page it was found on ("" for the home)


@dataclass
class Page:
    role: str
    url: str
    route: str
    status: int
    found_on: str
    html: str = ""  # only for HTML pages answering 200
    location: str = ""  # where a redirect pointed
    error: str = ""  # the exception behind a 500
    dead_links: list[str] = field(default_factory=list)  # same-site links that resolve to no route


@dataclass
class RoleCrawl:
    role: str
    home: str  # where "/" sent the role after login
    cookies: dict[str, str] = field(default_factory=dict)  # the logged-in session, for a browser to take over
    pages: list[Page] = field(default_factory=list)
    downloads: dict[str, Link] = field(default_factory=dict)  # route -> first link found to it
    linked: dict[str, Link] = field(default_factory=dict)  # route -> first link found to it (fetched or not)


@dataclass
class Crawl:
    roles: dict[str, RoleCrawl]
    seconds: float

    def pages(self) -> Iterable[Page]:
        for rc in self.roles.values():
            yield from rc.pages

    def html_pages(self) -> list[Page]:
        return [p for p in self.pages() if p.html]

    def reached_routes(self) -> set[str]:
        """Every route some role found a link to (pages followed and downloads alike)."""
        return {route for rc in self.roles.values() for route in rc.linked}

    def one_per_route(self) -> list[Page]:
        """One HTML page per route name (the first reached, roles in ROLES order)."""
        seen: dict[str, Page] = {}
        for page in self.html_pages():
            seen.setdefault(page.route, page)
        return list(seen.values())


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_of(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def same_site_path(href: str, base: str) -> str | None:
    """The path and query of a same-site link (fragment dropped), or None for other sites, mail, scripts, anchors."""
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(urljoin("http://testserver" + base, href))
    if parts.scheme not in {"http", "https"} or parts.netloc != "testserver":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def route_of(url: str) -> str | None:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.view_name


def is_download(url: str, route: str) -> bool:
    return route in DOWNLOAD_ROUTES or urlsplit(url).path.endswith(DOWNLOAD_SUFFIXES)


def log_in(username: str) -> Client:
    """A test client logged in through the login form, as a person would (django-axes sees a real request)."""
    client = Client(raise_request_exception=False)
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, f"{username} could not log in ({response.status_code})"
    return client


def spread(links: list[Link]) -> list[Link]:
    """Of a page's links to one route, the first, the middle and the last: lists are sorted by status or date, so the
    ends of a list are the likeliest to differ in state (and so in what their pages link)."""
    if len(links) <= 3:
        return links
    return [links[0], links[len(links) // 2], links[-1]]


def crawl_role(
    username: str, *, per_route: int = 4, max_pages: int = 500, extra: dict[str, int] | None = None
) -> RoleCrawl:
    """Breadth-first from the role's home. ``per_route``: at most that many URLs fetched per route name; beyond that,
    a stateful route's pages come out of ``extra`` (route -> pages left, shared by the roles of one crawl)."""
    extra = extra if extra is not None else {}
    client = log_in(username)
    landing = client.get("/")
    assert landing.status_code == 302, f"/ did not send {username} home ({landing.status_code})"
    home = landing["Location"]
    result = RoleCrawl(role=username, home=home, cookies={k: m.value for k, m in client.cookies.items()})
    queue: deque[Link] = deque([Link(home, route_of(home) or "?", "")])
    seen_urls: set[str] = {home}
    fetched: dict[str, int] = {}  # route -> pages fetched

    def offer(link: Link) -> None:
        result.linked.setdefault(link.route, link)
        if link.url in seen_urls:
            return
        if is_download(link.url, link.route):
            result.downloads.setdefault(link.route, link)
            seen_urls.add(link.url)
            return
        seen_urls.add(link.url)
        queue.append(link)

    while queue and len(result.pages) < max_pages:
        link = queue.popleft()
        if fetched.get(link.route, 0) >= per_route:
            if extra.get(link.route, 0) <= 0:
                continue
            extra[link.route] -= 1
        fetched[link.route] = fetched.get(link.route, 0) + 1
        response = client.get(link.url)
        page = Page(role=username, url=link.url, route=link.route, status=response.status_code, found_on=link.found_on)
        result.pages.append(page)
        if response.status_code in {301, 302, 303, 307, 308}:
            page.location = response["Location"]
            target = same_site_path(page.location, link.url)
            if target and not target.startswith(SKIP_PREFIXES) and (route := route_of(target)):
                offer(Link(target, route, link.url))
            continue
        if response.status_code >= 500 and getattr(response, "exc_info", None):
            page.error = repr(response.exc_info[1])
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith("text/html"):
            continue
        page.html = response.content.decode()
        by_route: dict[str, list[Link]] = {}
        for href in links_of(page.html):
            target = same_site_path(href, link.url)
            if not target or target.startswith(SKIP_PREFIXES):
                continue
            route = route_of(target)
            if route is None:
                page.dead_links.append(target)
                continue
            result.linked.setdefault(route, Link(target, route, link.url))
            by_route.setdefault(route, []).append(Link(target, route, link.url))
        for route, links in by_route.items():
            for found in links if route in STATEFUL_ROUTES else spread(links):
                offer(found)
    return result


def crawl(roles: Iterable[str] = ROLES, **kwargs: int) -> Crawl:
    started = time.perf_counter()
    extra = dict.fromkeys(STATEFUL_ROUTES, STATEFUL_EXTRA)
    result = {role: crawl_role(role, extra=extra, **kwargs) for role in roles}
    return Crawl(roles=result, seconds=time.perf_counter() - started)


# --- Text a user reads ---------------------------------------------------------------------------------------------

# Attributes whose text a user reads: tooltips, placeholders, labels read aloud, image text, confirmations.
READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "data-confirm")
BUTTON_INPUTS = {"submit", "button", "reset"}
_SILENT = {"script", "style", "template"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._silent = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in _SILENT and tag not in _VOID:
            self._silent += 1
        if self._silent:
            return
        for name in READ_ATTRIBUTES:
            if values.get(name):
                self.chunks.append(values[name] or "")
        if tag == "input" and (values.get("type") or "").lower() in BUTTON_INPUTS and values.get("value"):
            self.chunks.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SILENT and self._silent:
            self._silent -= 1

    def handle_data(self, data: str) -> None:
        if not self._silent and data.strip():
            self.chunks.append(data.strip())


def visible_text(html: str) -> list[str]:
    """The text a user reads: text nodes (the <title> included) outside scripts and styles, and READ_ATTRIBUTES."""
    parser = _Text()
    parser.feed(html)
    return parser.chunks


# Two or more Latin letters standing alone (not part of a code like T01-001, nor a file name's extension).
ENGLISH_WORD = re.compile(r"(?<![A-Za-z0-9_.])[A-Za-z]{2,}(?![A-Za-z0-9_])")
# Section letters of our specification's rules (A: tallying, B: setup, C: grading, D: deadlines, K) with a number.
# (A4 followed by 纸 is the paper size.)
RULE_CODE = re.compile(r"RULES|(?<![A-Za-z0-9_.\-/])[ABCDK][0-9]{1,2}(?:[–-][ABCDK]?[0-9]{1,2})?(?![0-9A-Za-z纸])")
