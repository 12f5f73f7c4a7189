"""Every page is reached by links from some role's home, and every link the roles are shown leads somewhere.

The crawl (crawler.py) starts at each demo role's home and follows links; a named route nobody reaches must be on one
of the lists below with its reason. A new page that nothing links fails here; so does a link that answers 403, 404 or
500 to the role it is shown to (a role sees only the actions it may take).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.browser.crawl.crawler import Crawl, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Routes that only take POST: the buttons of forms, never a link. Checked: a GET answers 405.
POST_ONLY = frozenset(
    {
        "logout",
        "organizations:role_revoke",
        "core:job_retry",
        "core:notification_read",
        "ops:delivery_resend",  # 重发 on 消息发送记录: a button beside a failed delivery (the demo has none)
        "meetings:file_add",
        "grading:campaign_open",
        "grading:campaign_close",
        "grading:variant_add",
        "grading:variant_delete",
        "grading:item_delete",
        "grading:assessment_submit",
        "grading:notice_publish",
        "grading:township_return",
        "grading:notice_objection_record",
        "grading:notice_objection_answer",
        "grading:notice_submit",
        "grading:district_award",
        "elections:step_templates_create",
        "elections:step_done",
        "elections:step_upload",
        "elections:step_generate",
        "elections:date_change",  # the township's decision on a postponement (A13): the form of the demo's pending one
        "elections:seats_reduce",  # the congress's vote to reduce seats (A5): the demo has no round short of seats
        "rectification:showcase_quick",
        "rectification:case_move",
        "rectification:workgroup_remove",
        "rectification:problem_delete",
        "rectification:measure_delete",
        "rectification:project_delete",
        "rectification:target_delete",
        "circulars:send",
        "circulars:close",
        "circulars:remind",
        "circulars:file_add",
        "circulars:read",
        "circulars:reply",
        "organizations:member_account",  # 开通党员账号 / 停用账号 on a member's page
    }
)

# GET routes no link of the demo leads to, and why.
NOT_LINKED = {
    "login": "the start of every visit: the crawl logs in there",
    "password_change_done": "shown after the password form is sent (a redirect of a POST)",
    "grading_public:notice_list": "public, no login: printed on the bulletin board and the notice's QR code",
    "elections_public:notice": "public, no login: the candidates' notice, reached from its printed address",
    "core:job_status": "an HTMX fragment: the job page polls it for progress",
    "organizations:pick_members": "an HTMX fragment: the committee-position form's member picker asks it as you type",
    "organizations:pick_targets": "an HTMX fragment: the members-move form's target picker asks it as you type",
    "transfers:pick_destinations": "an HTMX fragment: the transfer form's destination picker asks it as you type",
    "core:job_detail": "the page an export's button (a POST) leads to; the journeys reach it by clicking",
    "core:job_download": "the file of a finished job, linked from its job page",
    "organizations:roster_xlsx": "the organization page's 名册Excel button posts here (an export job)",
    "grading:overdue": "opened by a grading reminder's 查看 in 通知 (a POST that marks it read, then redirects here)",
    "grading:file_download": "a year-end file (复核 evidence, a township's summary): linked where it was uploaded; "
    "the demo uploads none",
    "rectification:evidence_download": "a case's 佐证材料: linked in its timeline once uploaded; the demo uploads none",
    "grading:dimension_edit": "editing a campaign's template: linked while the campaign is not yet open (demo: open)",
    "grading:item_add": "editing a campaign's template: linked while the campaign is not yet open (demo: open)",
    "grading:item_edit": "editing a campaign's template: linked while the campaign is not yet open (demo: open)",
    "organizations:reorganization_edit": "a reorganization's plan: linked while drafted or out for comments (demo: one "
    "waits for its 批复, one is done); tests/trust/test_edit_versions.py opens it",
    "organizations:reorganization_comment": "a comment on the plan: linked while it is out for comments (demo: none "
    "is); tests/browser/test_reorganization_journey.py clicks it",
    "circulars:edit": "a draft circular's 修改草稿: linked while it is a draft (demo: its one circular is sent); "
    "tests/circulars/test_pages.py opens it",
    "circulars:own_detail": "a circular as a member reads it from their own home (我的): the demo opens no member's "
    "account; tests/browser/test_member_self_journey.py clicks it",
    "organizations:reorganization_unit": "a sub-branch under the reply: linked while a reorganization is carried out "
    "(实施中; demo: none is); tests/organizations/test_reorganization.py sets one up",
}


def named_routes() -> dict[str, str]:
    """Every named route of the URL map but the admin's, with its pattern."""
    routes: dict[str, str] = {}

    def walk(patterns: list, prefix: str, namespace: str | None) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = entry.namespace
                walk(
                    entry.url_patterns,
                    prefix + str(entry.pattern),
                    f"{namespace}:{inner}" if namespace and inner else inner or namespace,
                )
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                routes[name] = prefix + str(entry.pattern)

    walk(get_resolver().url_patterns, "/", None)
    return {name: pattern for name, pattern in routes.items() if not name.startswith("admin:")}


def test_every_page_is_reached_from_some_home(site_crawl: Crawl):
    # given every named route, and the routes the roles' crawls found links to
    routes = named_routes()
    reached = site_crawl.reached_routes()
    # then each is reached, or listed with its reason
    unreached = sorted(set(routes) - reached - POST_ONLY - set(NOT_LINKED))
    assert not unreached, "没有任何页面链接到这些路由(从各角色首页点击无法到达):\n" + "\n".join(
        f"  {name}  {routes[name]}" for name in unreached
    )


def test_the_lists_of_exceptions_are_true(site_crawl: Crawl):
    routes = named_routes()
    listed = POST_ONLY | set(NOT_LINKED)
    assert not listed - set(routes), f"no such routes: {sorted(listed - set(routes))}"
    assert not POST_ONLY & set(NOT_LINKED)
    # a listed route the crawl reaches anyway no longer needs its exception (a POST-only one would answer 405)
    assert not listed & site_crawl.reached_routes(), sorted(listed & site_crawl.reached_routes())


def test_post_only_routes_refuse_get(site_crawl: Crawl, django_db_blocker):
    client = log_in("district")
    for name in sorted(POST_ONLY - {"logout"}):
        pattern = named_routes()[name]
        kwargs = {arg: 999_999 if kind == "int" else "x" for kind, arg in re.findall(r"<(?:(\w+):)?(\w+)>", pattern)}
        url = reverse(name, kwargs=kwargs)
        assert client.get(url).status_code == 405, f"{name} answers GET: it is not POST-only, link it or list it"
    assert Client().get(reverse("logout")).status_code == 405


def test_every_link_shown_answers(site_crawl: Crawl):
    """A link shown to a role leads to a page for that role: no 403 (an action it may not take is not offered), no
    404 or 500, and no link to a URL the site does not have."""
    broken = [
        f"  {page.role}: {page.url} ({page.route}) → {page.status}{' ' + page.error if page.error else ''}"
        f"  链接所在页面 {page.found_on}"
        for page in site_crawl.pages()
        if page.status not in {200, 301, 302, 303}
    ]
    dead = [f"  {page.role}: {page.url} 上的 {target}" for page in site_crawl.pages() for target in page.dead_links]
    assert not broken and not dead, "\n".join(["点开后出错的链接:", *broken, "指向不存在地址的链接:", *dead])


def test_each_role_starts_at_its_own_home(site_crawl: Crawl):
    homes = {role: rc.home for role, rc in site_crawl.roles.items()}
    assert homes["district"] == "/district/"
    assert homes["township01"].startswith("/township/")
    assert homes["viewer01"].startswith("/township/")
    assert homes["branch0001"].startswith("/orgs/") and homes["branch0001"] != "/orgs/"
    assert homes["liaison01"] == "/orgs/"
