"""The user's side of `make prod-check` (deploy/prodcheck.sh starts the servers): everything over HTTPS through nginx,
with the self-signed certificate as the only trusted authority, as a person with a browser would.

Phases (the shell calls each in turn):
- ``main``: /healthz is 200 with every check; plain HTTP redirects to HTTPS; a branch secretary logs in, fills the
  self-assessment's three annexes and submits it; the district asks for a township's roster PDF, the worker renders
  it, the district downloads it (a real PDF); the reminder that beat dispatched reaches its recipient's 通知 page; the
  nightly backup that beat dispatched is on the district's 系统状态 page.
- ``worker-stopped``: with the worker stopped, /healthz turns 503 with the worker check failing within its limit.

The requests go through urllib (standard library); what to act on (a branch with a self-assessment to submit, the
recipient of the reminder) is looked up in the database with psycopg.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html import escape
from html.parser import HTMLParser

BASE = os.environ["PRODCHECK_URL"]  # https://localhost:<port>
PLAIN = os.environ["PRODCHECK_HTTP_URL"]  # http://localhost:<port>
CONTEXT = ssl.create_default_context(cafile=os.environ["PRODCHECK_CA"])
PASSWORD = "demo12345"


def step(text: str) -> None:
    print(f"prod-check: {text}", flush=True)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


class Form:
    def __init__(self, action: str, method: str) -> None:
        self.action, self.method = action, method
        self.fields: dict[str, str] = {}
        self.inputs: list[dict[str, str]] = []
        self.buttons: list[str] = []


class Forms(HTMLParser):
    """Every form of a page: its fields with their current values, and its buttons' text."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.textarea: str | None = None
        self.select: str | None = None
        self.button = False
        self.links: list[tuple[str, str]] = []
        self.href: str | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        form = self.forms[-1] if self.forms else None
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower()))
        elif tag == "input" and form is not None and a.get("name"):
            form.inputs.append(a)
            if a.get("type") not in {"checkbox", "radio", "submit"} or "checked" in a:
                form.fields[a["name"]] = a.get("value", "")
        elif tag == "textarea" and form is not None:
            self.textarea = a.get("name")
            form.fields[self.textarea or ""] = ""
        elif tag == "select" and form is not None:
            self.select = a.get("name")
            form.fields.setdefault(self.select or "", "")
        elif tag == "option" and form is not None and self.select and "selected" in a:
            form.fields[self.select] = a.get("value", "")
        elif tag == "button" and form is not None:
            self.button, self.text = True, ""
        elif tag == "a":
            self.href, self.text = a.get("href"), ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "button" and self.button:
            self.forms[-1].buttons.append(self.text.strip())
            self.button = False
        elif tag == "a" and self.href is not None:
            self.links.append((self.text.strip(), self.href))
            self.href = None

    def handle_data(self, data: str) -> None:
        if self.textarea and self.forms:
            self.forms[-1].fields[self.textarea] += data
        self.text += data


class Browser:
    """A session over HTTPS: cookies, CSRF token and Referer as a browser sends them."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        https = urllib.request.HTTPSHandler(context=CONTEXT)
        self.opener = urllib.request.build_opener(https, urllib.request.HTTPCookieProcessor(self.jar))
        self.url = BASE + "/"

    def open(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, bytes, dict[str, str]]:
        url = urllib.parse.urljoin(self.url, path)
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers={"Referer": self.url})
        try:
            with self.opener.open(request, timeout=60) as response:
                self.url = response.geturl()
                return response.status, self.url, response.read(), dict(response.headers)
        except urllib.error.HTTPError as exc:
            return exc.code, url, exc.read(), dict(exc.headers)

    def page(self, path: str, data: dict[str, str] | None = None) -> tuple[str, Forms]:
        status, url, body, _ = self.open(path, data)
        html = body.decode()
        if status != 200:
            raise SystemExit(f"prod-check: {url} answered {status}:\n{html[:2000]}")
        parsed = Forms()
        parsed.feed(html)
        return html, parsed

    def log_in(self, username: str) -> str:
        _, forms = self.page("/accounts/login/")
        form = forms.forms[0]
        html, _ = self.page("/accounts/login/", {**form.fields, "username": username, "password": PASSWORD})
        if "退出" not in html:
            raise SystemExit(f"prod-check: {username} could not log in")
        return html


def link(forms: Forms, text: str) -> str:
    for label, href in forms.links:
        if text in label:
            return href
    raise SystemExit(f"prod-check: no link {text!r} on the page")


def messages(html: str) -> list[str]:
    return re.findall(r'class="[^"]*(?:message|finding-error|errorlist)[^"]*"[^>]*>(.*?)<', html, re.S)[:10]


def healthz() -> tuple[int, dict[str, object]]:
    try:
        with urllib.request.urlopen(BASE + "/healthz", context=CONTEXT, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        body = exc.read()
        return exc.code, json.loads(body) if body.startswith(b"{") else {}  # nginx's 502 while gunicorn starts
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, {}


def wait_for(what: str, check, seconds: float):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise SystemExit(f"prod-check: {what}: not within {seconds:.0f} s")
        time.sleep(1)


# --- the checks -----------------------------------------------------------------------------------------------------


def check_health_and_tls() -> None:
    status, body = wait_for("/healthz all green", lambda: (r := healthz())[0] == 200 and r, 90)
    step(f"/healthz over HTTPS: {status} {sorted(body['checks'])}")
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(PLAIN + "/accounts/login/", timeout=10)
        raise SystemExit("prod-check: plain HTTP was served, not redirected")
    except urllib.error.HTTPError as exc:
        assert exc.code == 301 and exc.headers["Location"].startswith("https://"), (exc.code, exc.headers)
    step("plain HTTP redirects to HTTPS")


TALLY = {"leader": (1, 1, 0, 0, 0), "member": (3, 2, 1, 0, 0), "masses": (4, 2, 2, 0, 0), "deputies": (2, 1, 1, 0, 0)}
COLUMNS = ("attendees", "good", "fairly_good", "average", "poor")


def fill_annex(browser: Browser, path: str, values: dict[str, str]) -> str:
    _, forms = browser.page(path)
    form = next(f for f in forms.forms if f.method == "post" and "version" in f.fields)
    html, _ = browser.page(path, {**form.fields, **values})
    if "已保存" not in html and "保存成功" not in html:
        raise SystemExit(f"prod-check: saving {path} was refused: {messages(html)}")
    return html


def submit_self_assessment(username: str) -> None:
    browser = Browser()
    home = browser.log_in(username)
    parsed = Forms()
    parsed.feed(home)
    detail = link(parsed, "填报自查自评")
    html, forms = browser.page(detail)
    report, meeting, scores = (link(forms, "附件1"), link(forms, "附件2"), link(forms, "附件3"))
    _, report_forms = browser.page(report)
    texts = {
        name: "按要求开展组织生活,班子团结,群众满意。"
        for name in next(f for f in report_forms.forms if "version" in f.fields).fields
        if name not in {"version", "csrfmiddlewaretoken"}
    }
    fill_annex(browser, report, texts)
    tally = {f"tally-{c}-{col}": str(n) for c, row in TALLY.items() for col, n in zip(COLUMNS, row, strict=True)}
    fill_annex(browser, meeting, {"held_on": "2026-03-20", "place": "党员活动室", "supervised_by": "韦国强", **tally})
    _, score_forms = browser.page(scores)
    form = next(f for f in score_forms.forms if "version" in f.fields)
    items = {i["name"]: str(max(float(i["max"]) - 0.5, 0)) for i in form.inputs if i["name"].startswith("item-")}
    committee = {
        "committee_met_on": "2026-03-25",
        "committee_for": "3",
        "committee_against": "0",
        "committee_abstain": "0",
    }
    fill_annex(browser, scores, {**items, **committee})
    _, score_forms = browser.page(scores)  # the grade is preselected from the saved total (C1)
    form = next(f for f in score_forms.forms if "version" in f.fields)
    grade = re.search(r'data-initial-band="([a-z_]+)"', browser.open(scores)[2].decode())
    fill_annex(browser, scores, {**items, **committee, "self_grade": grade.group(1) if grade else "good"})
    html, forms = browser.page(detail)
    submit = next(f for f in forms.forms if "提交乡镇审核" in f.buttons)
    html, _ = browser.page(submit.action, submit.fields)
    if "已提交乡镇(街道)党(工)委审核" not in html:
        raise SystemExit(f"prod-check: the self-assessment was not submitted: {messages(html)}")
    step(f"{username} logged in over HTTPS, filled 附件1–3 and submitted the self-assessment")


def download_roster_pdf(org_ids: list[int]) -> None:
    browser = Browser()
    browser.log_in("district")
    for org_id in org_ids:
        status, url, body, headers = browser.open(f"/orgs/{org_id}/roster.pdf")
        if headers.get("Content-Type", "").startswith("text/html") and "生成" in body.decode():
            break
    else:
        raise SystemExit("prod-check: no organization whose roster PDF is made by the worker")
    _, forms = browser.page(f"/orgs/{org_id}/roster.pdf")
    form = next(f for f in forms.forms if f.method == "post")
    browser.page(f"/orgs/{org_id}/roster.pdf", form.fields)
    job_url = browser.url
    match = re.search(r"/jobs/(\d+)/", job_url)
    assert match, job_url
    job = match.group(1)

    def done() -> bytes | None:
        status, _, body, headers = browser.open(f"/jobs/{job}/download/")
        return body if status == 200 and headers.get("Content-Type", "").startswith("application/pdf") else None

    pdf = wait_for("the worker renders the roster PDF", done, 90)
    assert pdf.startswith(b"%PDF"), pdf[:20]
    step(f"the district downloaded a roster PDF the worker rendered ({len(pdf) // 1024} KB, job {job})")


def db_rows(sql: str, *params: object) -> list[tuple]:
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
        return conn.execute(sql, params).fetchall()


SECRETARY_SQL = """
SELECT u.username FROM grading_assessment a
JOIN grading_campaign c ON c.id = a.campaign_id
JOIN organizations_roleassignment r ON r.organization_id = a.organization_id AND r.role = 'branch_secretary'
     AND r.revoked_at IS NULL
JOIN auth_user u ON u.id = r.user_id
WHERE a.status = 'draft' ORDER BY c.year DESC, a.id LIMIT 1"""
REMINDER_SQL = """
SELECT u.username, n.title FROM partybuild_notification n JOIN auth_user u ON u.id = n.recipient_id
ORDER BY n.id LIMIT 1"""


def reminder_arrived() -> None:
    """Today's notifications were removed before beat started (reminders are sent once a day), and beat was given a
    one-off entry for the 08:00 reminder task: what is there now, beat dispatched and the worker delivered."""
    entry = os.environ["PRODCHECK_REMINDER_ENTRY"]
    username, title = wait_for("beat's reminder delivered", lambda: (db_rows(REMINDER_SQL) or [None])[0], 60)
    with open(os.environ["PRODCHECK_BEAT_LOG"], encoding="utf-8") as beat_log:
        assert f"Sending due task {entry}" in beat_log.read(), "the reminder was not dispatched by beat"
    browser = Browser()
    browser.log_in(username)
    html, _ = browser.page("/notifications/")
    if title not in html and escape(title) not in html:
        raise SystemExit(f"prod-check: the reminder {title!r} is not on {username}'s 通知 page")
    step(f"the reminder beat dispatched reached {username}'s 通知 page: {title}")


def system_page_shows_backup() -> None:
    folder = os.environ["BACKUP_DIR"]
    wait_for("beat's backup written", lambda: any(n.endswith(".backup") for n in os.listdir(folder)), 60)
    browser = Browser()
    browser.log_in("district")
    html, _ = browser.page("/system/")
    if "最近一次备份" not in html or "各项服务运行正常" not in html:
        raise SystemExit("prod-check: the 系统状态 page shows no backup or a failing service")
    step("the district's 系统状态 page: all services up, the nightly backup beat dispatched is there")


def worker_stopped() -> None:
    limit = float(os.environ["HEALTH_HEARTBEAT_MAX_AGE"])
    status, body = wait_for("/healthz reports the stopped worker", lambda: (r := healthz())[0] == 503 and r, limit + 15)
    checks = body["checks"]
    assert checks["worker"]["ok"] is False and checks["database"]["ok"] is True, checks  # type: ignore[index]
    step(f"worker stopped: /healthz {status}, worker check: {checks['worker']['note']}")  # type: ignore[index]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("phase", choices=["main", "worker-stopped"])
    args = parser.parse_args()
    if args.phase == "worker-stopped":
        worker_stopped()
        return
    check_health_and_tls()
    reminder_arrived()  # first: the pages below send notifications of their own
    (secretary,) = db_rows(SECRETARY_SQL)[0]
    submit_self_assessment(secretary)
    townships_then_root = [
        r[0] for r in db_rows("SELECT id FROM organizations_organization WHERE depth <= 2 ORDER BY depth DESC, path")
    ]
    download_roster_pdf(townships_then_root)
    system_page_shows_backup()


if __name__ == "__main__":
    sys.exit(main())
