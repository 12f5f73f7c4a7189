"""Follow the links and press the buttons of a role's pages with Django's test client (no browser): a page's
controls must answer that role with something other than 403 (a control it may not use is not shown) or a 500."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.test import Client

# Codes of our own specification that a user must never read ("RULES A13", "(A5)", "超过4/5,A1", "K9:", "B3/B5").
RULE_CODE = re.compile(r"RULES|(?<![A-Za-z0-9])[A-DK]\d{1,2}[a-z]?(?![A-Za-z0-9])(?!纸)")


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str, str]] = field(default_factory=list)  # (name, value, label)
    id: str = ""


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self.by_id: dict[str, Form] = {}
        self.orphans: list[tuple[str, dict[str, str]]] = []  # controls outside their form (form="id")
        self._form: Form | None = None
        self._skip = 0
        self._button: dict[str, str] | None = None
        self._label = ""
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in ("script", "style", "template"):
            self._skip += 1
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower(), id=a.get("id", ""))
            self.forms.append(self._form)
            if self._form.id:
                self.by_id[self._form.id] = self._form
        elif tag in ("input", "select", "textarea", "button"):
            self._control(tag, a)

    def _control(self, tag: str, a: dict[str, str]) -> None:
        if a.get("form"):
            self.orphans.append((tag, a))
            return
        if self._form is None:
            return
        self._add(self._form, tag, a)

    def _add(self, form: Form, tag: str, a: dict[str, str]) -> None:
        kind = a.get("type", "submit" if tag == "button" else "text").lower()
        if kind == "submit":
            if tag == "button":
                self._button = {"name": a.get("name", ""), "value": a.get("value", ""), "form": form.id}
                self._label = ""
                self._button_form = form
            else:
                form.buttons.append((a.get("name", ""), a.get("value", ""), a.get("value", "")))
        elif tag == "input" and a.get("name") and kind in ("hidden",):
            form.fields.append((a["name"], a.get("value", "")))
        elif tag == "input" and a.get("name") and kind in ("checkbox", "radio") and "checked" in a:
            form.fields.append((a["name"], a.get("value", "on")))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self._skip -= 1
        if tag == "form":
            self._form = None
        if tag == "button" and self._button is not None:
            self._button_form.buttons.append((self._button["name"], self._button["value"], self._label.strip()))
            self._button = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text.append(data)
        if self._button is not None:
            self._label += data

    def close(self) -> None:
        super().close()
        for tag, a in self.orphans:
            form = self.by_id.get(a["form"])
            if form is not None:
                self._add(form, tag, a)
                if self._button is not None:
                    form.buttons.append((self._button["name"], self._button["value"], a.get("aria-label", "")))
                    self._button = None


def rule_codes_shown(html: str) -> list[str]:
    """The rule codes in a page's text (not in its markup: a CSRF token may hold "K3" by chance)."""
    return RULE_CODE.findall(" ".join(parse(html).text))


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


@dataclass
class Finding:
    url: str
    what: str


@dataclass
class Crawl:
    pages: dict[str, int] = field(default_factory=dict)
    problems: list[Finding] = field(default_factory=list)
    forms: list[tuple[str, Form]] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)


def _inside(url: str, prefixes: Iterable[str]) -> bool:
    path = urlsplit(url).path
    return any(path.startswith(p) for p in prefixes)


SKIP = re.compile(r"\.(pdf|xlsx|csv|zip)$|/file/$|/documents/\d+/$|/evidence/\d+/$|/logout/")


def crawl(client: Client, starts: list[str], prefixes: tuple[str, ...], *, limit: int = 80) -> Crawl:
    """GET every page reachable from ``starts`` through links under ``prefixes`` (at most ``limit`` pages)."""
    result = Crawl()
    queue = list(starts)
    while queue and len(result.pages) < limit:
        url = queue.pop(0)
        path = urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else "")
        if path in result.pages:
            continue
        response = client.get(path)
        result.pages[path] = response.status_code
        if response.status_code in (403,) or response.status_code >= 500:
            result.problems.append(Finding(path, f"GET answered {response.status_code}"))
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = parse(response.content.decode())
        result.texts[path] = " ".join(" ".join(page.text).split())
        for form in page.forms:
            if form.method == "post":
                result.forms.append((path, form))
        for href in page.links:
            target = urljoin(path, href)
            if urlsplit(target).netloc or not _inside(target, prefixes) or SKIP.search(urlsplit(target).path):
                continue
            target = urlsplit(target).path + (f"?{urlsplit(target).query}" if urlsplit(target).query else "")
            if target not in result.pages and target not in queue:
                queue.append(target)
    return result


def press_buttons(client: Client, crawl_result: Crawl, prefixes: tuple[str, ...]) -> list[Finding]:
    """POST every button of every form found (hidden fields and the button's own name/value): none may answer 403
    (shown to a role that may not use it) or 500. Nothing typed: a form with required input answers with its error."""
    problems: list[Finding] = []
    seen: set[tuple[str, str, str]] = set()
    for page_url, form in crawl_result.forms:
        action = urljoin(page_url, form.action) if form.action else page_url
        if not _inside(action, prefixes):
            continue
        for name, value, label in form.buttons or [("", "", "")]:
            key = (urlsplit(action).path, name, value)
            if key in seen:
                continue
            seen.add(key)
            data: dict[str, list[str]] = {}
            for k, v in form.fields:
                data.setdefault(k, []).append(v)
            if name:
                data.setdefault(name, []).append(value)
            response = client.post(urlsplit(action).path, data)
            if response.status_code == 403 or response.status_code >= 500:
                problems.append(
                    Finding(page_url, f"button “{label or value}” → POST {action} answered {response.status_code}")
                )
    return problems
