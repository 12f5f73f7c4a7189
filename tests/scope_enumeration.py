"""Enumerate every URL pattern of the project and request it as every role, with objects inside and outside the
role's scope. Used by tests/test_scope_enumeration.py; kept apart so that its self-check can run it against a
URL configuration with a deliberately leaky view.

The kind of object a URL parameter stands for is read from the route itself (the literal segment before it, or the
parameter's name), so a new URL is covered without editing a list; a parameter of an unknown kind is reported as a
failure until a resolver is added here.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver

# URLs open to anonymous visitors (checked separately: they must not need a login).
PUBLIC_NAMES = {"login", "logout", "password_reset"}
PUBLIC_NAMESPACES = {"grading_public", "elections_public"}
SKIPPED_PREFIXES = ("admin/", "static/", "media/", "__")

# route segment before a parameter → object kind
SEGMENT_KINDS = {
    "orgs": "org",
    "township": "township",
    "members": "member",
    "positions": "position",
    "roles": "role",
    "jobs": "job",
    "assessments": "assessment",
    "notices": "notice",
    "campaigns": "campaign",
    "calendar": "year",
    "objections": "objection",
    "regrade-requests": "regrade_request",
    "grading": "campaign",
    "notifications": "notification",
    "deliveries": "delivery",  # a reminder's e-mail/SMS/robot delivery: the district's 发送记录, no organization
    # rectification
    "cases": "case",
    "problems": "problem",
    "measures": "measure",
    "projects": "project",
    "targets": "target",
    "evidence": "evidence",
    "work-group": "workgroup_member",
    "acceptances": "acceptance",
    "liaisons": "liaison",
    # organizations: the reorganization workflow (组织设置调整)
    "reorganizations": "reorganization",
}
# A segment that means something else inside one app's namespace: namespace → segment → kind.
NAMESPACE_SEGMENT_KINDS = {
    "elections": {
        "projects": "election_project",
        "steps": "election_step",
        "documents": "election_document",
        "candidates": "election_candidate",
        "rounds": "election_round",
        "step-templates": "election_step_template",
        "incidents": "election_incident",
        "sanctions": "election_sanction",
    },
    "meetings": {"records": "meeting", "files": "meeting_file"},
    "dues": {"payments": "dues_payment"},
    "circulars": {"circulars": "circular", "receipts": "circular_receipt", "files": "circular_file"},
    "development": {"people": "dev_applicant"},
    "transfers": {"requests": "transfer"},
}
# Routes whose parameters the two tables above cannot tell apart: url name → parameter → kind.
ROUTE_KINDS = {
    "grading:file_download": {"kind": "file_kind", "pk": "objection"},
    "elections:paper_pdf": {"pk": "election_project", "paper": "election_paper"},
    "organizations:reorganization_paper": {"pk": "reorganization", "paper": "reorg_paper"},
    "organizations:reorganization_move": {"pk": "reorganization", "action": "reorg_action"},
    "transfers:move": {"pk": "transfer", "action": "transfer_action"},
}
# parameter name → object kind (takes precedence over the segment)
NAME_KINDS = {
    "campaign_pk": "campaign",
    "org_pk": "township",
    "township_pk": "township",
    "template_pk": "template",
    "dimension_pk": "dimension",
    "item_pk": "item",
    "year": "year",
    "kind": "import_kind",
    "assessment_pk": "assessment",
    "notice_pk": "notice",
    "objection_pk": "objection",
    "request_pk": "regrade_request",
}
# kinds that belong to no organization: the same object is used for every role
GLOBAL_KINDS = {"campaign", "template", "dimension", "item", "year", "import_kind", "file_kind", "election_paper"}
GLOBAL_KINDS |= {"reorg_paper", "reorg_action"}  # which paper (请示/批复) and which move of a reorganization
GLOBAL_KINDS.add("election_step_template")  # a row of the district's 32-step template: no organization
GLOBAL_KINDS.add("delivery")  # one delivery of a reminder (发送记录): district staff only, belongs to no organization
GLOBAL_KINDS.add("transfer_action")  # which move of a transfer (组织关系转接)

PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


# --- A GET never writes (issue 15 §5) -----------------------------------------------------------------------------

# The one write a GET may make: the audit row that records a read or an export of records (who looked, when), one
# verb per app that exports.
READ_AUDIT_VERBS = frozenset(
    {
        "roster.export",
        "organizations.export",
        "grading.export",
        "rectification.export",
        "election.export",
        "dues.export",
        "circulars.export",
    }
)
AUDIT_TABLE = "partybuild_event"
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|MERGE|TRUNCATE|CREATE|DROP|ALTER)\b", re.IGNORECASE)
LOCK = re.compile(r"\bFOR\s+(NO\s+KEY\s+)?UPDATE\b|\bFOR\s+SHARE\b", re.IGNORECASE)


def is_allowed_audit_read(sql: str, params: Any) -> bool:
    """An INSERT of one audit event whose verb records a read or an export."""
    if not re.match(rf'^\s*INSERT\s+INTO\s+"?{AUDIT_TABLE}"?', sql, re.IGNORECASE):
        return False
    values = params if isinstance(params, list | tuple) else []
    return any(v in READ_AUDIT_VERBS for v in values if isinstance(v, str))


def forbidden_statement(sql: str, params: Any) -> str | None:
    """Why ``sql`` has no place in a GET: a write (other than the read's audit row) or a row lock; None when it has."""
    if LOCK.search(sql):
        return "row lock"
    if WRITE.match(sql) and not is_allowed_audit_read(sql, params):
        return "write"
    return None


@contextlib.contextmanager
def no_writes(path: str, found: list[str]) -> Iterator[None]:
    """Inside: every statement the request sends; a write or a row lock is added to ``found`` with the path."""

    def watch(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        why = forbidden_statement(sql, params)
        if why is not None:
            found.append(f"WRITE GET {path}: {why}: {sql[:160]}")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        yield


@dataclass(frozen=True)
class Route:
    route: str
    name: str
    params: tuple[tuple[str, str], ...]  # (parameter name, kind)

    @property
    def is_public(self) -> bool:
        namespace = self.name.split(":")[0] if ":" in self.name else ""
        return self.name in PUBLIC_NAMES or namespace in PUBLIC_NAMESPACES


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
            yield prefix + str(p.pattern), name


def kind_of(route: str, start: int, name: str, url_name: str = "") -> str:
    if name in ROUTE_KINDS.get(url_name, {}):
        return ROUTE_KINDS[url_name][name]
    if name in NAME_KINDS:
        return NAME_KINDS[name]
    before = [s for s in route[:start].split("/") if s]
    segment = before[-1] if before else ""
    namespaced = NAMESPACE_SEGMENT_KINDS.get(url_name.split(":")[0] if ":" in url_name else "", {})
    if segment in namespaced:
        return namespaced[segment]
    return SEGMENT_KINDS.get(segment, f"unknown:{segment}/<{name}>")


def routes(urlconf: str | None = None) -> list[Route]:
    result = []
    for route, name in _walk(get_resolver(urlconf).url_patterns):
        if route.startswith(SKIPPED_PREFIXES) or route.startswith("^"):
            continue
        params = tuple((m["name"], kind_of(route, m.start(), m["name"], name)) for m in PARAM.finditer(route))
        result.append(Route(route, name, params))
    return result


def build_path(route: Route, values: dict[str, Any]) -> str:
    path = PARAM.sub(lambda m: str(values[m["name"]]), route.route)
    return "/" + path


@dataclass
class Side:
    """The objects of one side of the tree (one township and one organization under it)."""

    objects: dict[str, Any] = field(default_factory=dict)

    def org_of(self, kind: str) -> Any:
        return self.objects.get(f"{kind}__org")


@dataclass
class Scenario:
    sides: dict[str, Side]
    globals: dict[str, Any]
    # role name → (user, the side inside its scope, the side outside it or None)
    roles: dict[str, tuple[Any, str, str | None]]


def values_for(route: Route, scenario: Scenario, side: str) -> dict[str, Any] | None:
    values: dict[str, Any] = {}
    for name, kind in route.params:
        if kind in GLOBAL_KINDS:
            values[name] = scenario.globals[kind]
        elif kind in scenario.sides[side].objects:
            values[name] = scenario.sides[side].objects[kind]
        else:
            return None
    return values


def check(
    scenario: Scenario,
    make_client: Callable[[Any], Any],
    can_view: Callable[[Any, Side, str], bool],
    urlconf: str | None = None,
    only: Callable[[Route], bool] | None = None,
) -> list[str]:
    """Every failure as a line: unknown parameter kinds, leaks (out of scope not 404), anonymous not sent to
    login, server errors, and any GET that writes or locks a row (``no_writes``)."""
    failures: list[str] = []
    anonymous = make_client(None)

    def get(client: Any, path: str) -> Any:
        with no_writes(path, failures):
            return client.get(path)

    for route in routes(urlconf):
        if only is not None and not only(route):
            continue
        unknown = [k for _, k in route.params if k.startswith("unknown:")]
        if unknown:
            failures.append(f"{route.route} ({route.name}): no resolver for {', '.join(unknown)}")
            continue
        values = values_for(route, scenario, "A")
        if values is None:
            failures.append(f"{route.route} ({route.name}): the scenario has no object of {route.params}")
            continue
        path = build_path(route, values)
        response = get(anonymous, path)
        if route.is_public:
            if response.status_code >= 500:
                failures.append(f"anonymous GET {path}: {response.status_code}")
        elif response.status_code not in (302, 405) or (
            response.status_code == 302 and "/accounts/login/" not in response["Location"]
        ):
            failures.append(f"anonymous GET {path}: {response.status_code}, expected a redirect to the login page")
        if route.is_public:
            continue
        for role, (user, inside, outside) in scenario.roles.items():
            client = make_client(user)
            scoped = [p for p in route.params if p[1] not in GLOBAL_KINDS]
            if outside is not None and scoped:
                out_values = values_for(route, scenario, outside)
                if out_values is not None:
                    # Parameters of global kinds stay; every organization-bound one comes from the other side.
                    out_path = build_path(route, out_values)
                    for method in ("get", "post"):
                        status = (get(client, out_path) if method == "get" else client.post(out_path)).status_code
                        if status not in (404, 405):
                            failures.append(f"LEAK {role} {method.upper()} {out_path}: {status}, expected 404")
            in_values = values_for(route, scenario, inside)
            if in_values is None:
                continue
            in_path = build_path(route, in_values)
            status = get(client, in_path).status_code
            if status >= 500:
                failures.append(f"{role} GET {in_path}: {status}")
            elif status == 404 and scoped:
                kind = scoped[0][1]
                if can_view(user, scenario.sides[inside], kind):
                    failures.append(f"{role} GET {in_path}: 404 for an object inside its scope")
    return failures
