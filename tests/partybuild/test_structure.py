"""The shape of the code, read with ``ast`` so that it stays true: rules modules import no model and load without
Django settings, and the project's modules import each other without cycles.

No database and no settings are needed here; the subprocess test imports each rules module in a fresh interpreter
with ``DJANGO_SETTINGS_MODULE`` removed from the environment.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = (
    "partybuild",
    "core",
    "organizations",
    "grading",
    "rectification",
    "elections",
    "meetings",
    "dues",
    "stats",
    "transfers",
    "scale",
    "fixtures",
)

# The pure modules: plain values in, plain values out. Choice enums (django.db.models TextChoices/IntegerChoices)
# are allowed; models, querysets, settings and the rest of Django are not. Every ``<app>.rules`` module or package
# (issue 13's layout), and the pure modules not yet moved under one.
OTHER_PURE_MODULES = ("fixtures.reader",)
ALLOWED_DJANGO = {("django.db.models", "TextChoices"), ("django.db.models", "IntegerChoices")}

# Imports inside a function that close a cycle of the import graph: allowed on purpose, each with its reason.
# (importer, imported) -> why the import waits until the function runs.
DEFERRED_CYCLE_IMPORTS: dict[tuple[str, str], str] = {}


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT)
            if "migrations" in rel.parts:
                continue
            parts = list(rel.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()
RULES_MODULES = tuple(sorted(m for m in MODULES if "rules" in m.split(".")[1:] or (m in OTHER_PURE_MODULES)))


def _resolve(name: str) -> str | None:
    """The project module an import names (``a.b.c`` → ``a.b`` when ``c`` is an attribute), or None if outside."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str) -> list[tuple[str, str, bool]]:
    """(imported project module, the name as written, at module level?) for every import statement of ``module``.

    Module level: statements run at import, including those under ``if``/``try`` but not under ``if TYPE_CHECKING``.
    """
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    top_level: set[int] = set()

    def walk_top(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            top_level.add(id(node))
            if isinstance(node, ast.If | ast.Try):
                walk_top(node.body)
                walk_top(node.orelse)
                if isinstance(node, ast.Try):
                    for handler in node.handlers:
                        walk_top(handler.body)
                    walk_top(node.finalbody)

    walk_top(tree.body)
    found: list[tuple[str, str, bool]] = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - (node.level - 1)] + ([node.module] if node.module else []))
            names = [f"{base}.{alias.name}" for alias in node.names]
        for name in names:
            target = _resolve(name)
            if target and target != module:
                found.append((target, name, id(node) in top_level))
    return found


IMPORTS = {module: _imports(module) for module in MODULES}


def _graph(*, module_level_only: bool) -> dict[str, set[str]]:
    return {m: {target for target, _, top in found if top or not module_level_only} for m, found in IMPORTS.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(sorted(component))
    return components


def _reaches(graph: dict[str, set[str]], source: str, target: str) -> bool:
    seen, todo = {source}, [source]
    while todo:
        for nxt in graph[todo.pop()]:
            if nxt == target:
                return True
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


# --- Import cycles ------------------------------------------------------------------------------------------------


def test_the_scan_sees_the_project() -> None:
    assert {"core.jobs", "grading.rules", "elections.rules.tally", "fixtures.reader"} <= MODULES.keys()
    assert ("core.models", True) in {(t, top) for t, _, top in IMPORTS["core.jobs"]}
    # a function-level import is seen as one (the context processor asks for the menu inside its function)
    assert ("organizations.navigation", False) in {(t, top) for t, _, top in IMPORTS["partybuild.context_processors"]}


# --- The base app ---------------------------------------------------------------------------------------------------

APPS = ("organizations", "grading", "rectification", "elections", "meetings", "dues", "stats", "transfers", "scale")


def test_core_imports_no_app_and_not_the_project_shell() -> None:
    """``core`` is the base every app imports (issue 13): it imports no app and nothing of the project shell
    (``partybuild``: settings, urls, celery, wsgi, the shell's pages), not even inside a function. What it needs of
    the tree it asks through ``core.access``, whose answers organizations registers."""
    wrong = sorted(
        (module, target)
        for module, found in IMPORTS.items()
        if module.split(".")[0] == "core"
        for target, _, _ in found
        if target.split(".")[0] in (*APPS, "partybuild")
    )
    assert wrong == []


def test_the_shell_holds_only_what_needs_the_apps() -> None:
    """``partybuild`` keeps settings, urls, celery and wsgi, and the pages that need the tree (home, audit log, jobs,
    calendar, notifications, error pages) with their middleware and context processor: no models, no services."""
    shell = sorted(m.split(".", 1)[1] for m in MODULES if m.startswith("partybuild."))
    allowed = {
        "settings",
        "settings_production",
        "settings_test",
        "urls",
        "app_urls",
        "celery",
        "wsgi",
        "context_processors",
        "middleware",
    }
    assert [m for m in shell if m not in allowed and not m.startswith("views")] == []


def test_no_import_cycle_at_module_level() -> None:
    assert _cycles(_graph(module_level_only=True)) == []


def test_no_two_modules_import_each_other_even_inside_functions() -> None:
    graph = _graph(module_level_only=False)
    pairs = sorted({tuple(sorted((a, b))) for a in graph for b in graph[a] if a in graph[b]})
    assert pairs == []


def test_function_level_imports_that_close_a_cycle_are_listed_with_a_reason() -> None:
    full = _graph(module_level_only=False)
    closing = set()
    for module, found in IMPORTS.items():
        for target, _, top in found:
            if not top and _reaches(full, target, module):
                closing.add((module, target))
    listed = set(DEFERRED_CYCLE_IMPORTS)
    assert sorted(closing - listed) == [], "a new function-level import closes a cycle: break it or list it"
    assert sorted(listed - closing) == [], "listed but no longer closing a cycle: remove it from the list"
    assert all(reason.strip() for reason in DEFERRED_CYCLE_IMPORTS.values())


# --- Rules modules --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("module", RULES_MODULES)
def test_rules_modules_import_no_model_and_no_django_but_choice_enums(module: str) -> None:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            bad += [a.name for a in node.names if a.name.startswith("django") or a.name.endswith(".models")]
        elif isinstance(node, ast.ImportFrom) and node.module:
            pairs = [(node.module, a.name) for a in node.names]
            if node.module.startswith("django"):
                bad += [f"{m}.{n}" for m, n in pairs if (m, n) not in ALLOWED_DJANGO]
            elif node.module.endswith(".models") or any(n == "models" for _, n in pairs):
                bad += [f"{m}.{n}" for m, n in pairs]
    project = {t for t, _, _ in IMPORTS[module]}
    assert bad == []
    assert sorted(project - set(RULES_MODULES)) == [], "a rules module imports only other rules modules"


def test_rules_modules_import_without_django_settings() -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = (
        "import importlib, os, sys\n"
        f"for name in {list(RULES_MODULES)!r}:\n"
        "    importlib.import_module(name)\n"
        "from django.conf import settings\n"
        "assert not settings.configured, 'settings were configured'\n"
        "assert 'DJANGO_SETTINGS_MODULE' not in os.environ, os.environ['DJANGO_SETTINGS_MODULE']\n"
        "loaded = sorted(m for m in sys.modules if m.endswith('.models') and m.split('.')[0] != 'django')\n"
        "assert loaded == [], loaded\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "ok"
