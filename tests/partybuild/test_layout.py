"""One shape for every app (issue 13): the layers of docs/architecture.md as files or folders of the same names,
no module over 400 lines, no function over 60 without its reason, views without ORM or permission logic of their
own, selectors that take the user, and one way in to each object (``access.py``).

An app is checked once it has been laid out (``LAID_OUT``); the apps still to move are listed so that the list can
only shrink.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAID_OUT: tuple[str, ...] = (
    "organizations",
    "elections",
    "grading",
    "rectification",
    "meetings",
    "dues",
    "stats",
    "circulars",
    "development",
    "transfers",
    "ops",
)
APPS = (
    "organizations",
    "grading",
    "rectification",
    "elections",
    "meetings",
    "dues",
    "stats",
    "circulars",
    "development",
    "transfers",
    "ops",
)
TO_MOVE = tuple(a for a in APPS if a not in LAID_OUT)

# What an app's folder may hold at its top level (each a module ``name.py`` or a package ``name/``).
LAYERS = {
    "models",
    "rules",
    "services",
    "selectors",
    "access",
    "views",
    "forms",
    "documents",
    "urls",
    "tasks",
    "admin",
    "apps",
    "todo",
    "panels",
    "events",
    "evidence",
    "demo",
    "resources",
}
OTHER_ENTRIES = {"__init__.py", "migrations", "management", "templatetags", "__pycache__"}
# Shared pieces every app uses, which live in organizations until the shared base app exists (issue 13, item 3):
# the scope every check reads, the roles and permissions, and the menu's registry.
SHARED_PIECES = {"organizations": {"scope", "roles", "navigation"}}
MAX_LINES = 400
MAX_FUNCTION_LINES = 60
LONG_REASON = "Long because"  # a function over MAX_FUNCTION_LINES says why in its docstring, with these words


def _python_files(app: str) -> list[Path]:
    return [p for p in sorted((ROOT / app).rglob("*.py")) if "migrations" not in p.relative_to(ROOT).parts]


def _layer_files(app: str, layer: str) -> list[Path]:
    module, package = ROOT / app / f"{layer}.py", ROOT / app / layer
    return [module] if module.exists() else sorted(package.rglob("*.py")) if package.is_dir() else []


def _functions(tree: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


@pytest.mark.parametrize("app", LAID_OUT)
def test_the_apps_folder_holds_only_its_layers(app: str) -> None:
    entries = {p.name for p in (ROOT / app).iterdir()}
    allowed = LAYERS | SHARED_PIECES.get(app, set())
    stray = sorted(e for e in entries if e not in OTHER_ENTRIES and e.removesuffix(".py") not in allowed)
    assert not stray, f"{app}/: not a layer of docs/architecture.md: {stray}"
    assert (ROOT / app / "access.py").exists(), f"{app}/access.py: the one way in to the app's objects"


@pytest.mark.parametrize("app", LAID_OUT)
def test_no_module_over_400_lines_and_no_long_function_without_its_reason(app: str) -> None:
    faults = []
    for path in _python_files(app):
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > MAX_LINES:
            faults.append(f"{path.relative_to(ROOT)}: {len(text.splitlines())} lines")
        for fn in _functions(ast.parse(text)):
            length = (fn.end_lineno or fn.lineno) - fn.lineno + 1
            if length > MAX_FUNCTION_LINES and LONG_REASON not in (ast.get_docstring(fn) or ""):
                faults.append(f"{path.relative_to(ROOT)}:{fn.lineno} {fn.name}: {length} lines")
    assert not faults, "\n".join(faults)


PERMISSION_CALLS = {"require", "can", "holds_at_root"}


def _shell_views() -> list[Path]:
    """The project shell's pages (partybuild/views*.py: home, audit log, jobs, calendar, notifications, errors)."""
    return sorted((ROOT / "partybuild").glob("views*.py"))


@pytest.mark.parametrize("app", [*LAID_OUT, "partybuild"])
def test_views_run_no_query_and_no_permission_check_of_their_own(app: str) -> None:
    faults = []
    for path in _shell_views() if app == "partybuild" else _layer_files(app, "views"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "objects":
                faults.append(f"{path.relative_to(ROOT)}:{node.lineno}: .objects (a query belongs in a selector)")
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                if name in PERMISSION_CALLS:
                    faults.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}() (permissions belong in access)")
    assert not faults, "\n".join(faults)


@pytest.mark.parametrize("app", LAID_OUT)
def test_every_public_selector_takes_the_user_first(app: str) -> None:
    faults = []
    for path in _layer_files(app, "selectors"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                params = [a.arg for a in node.args.posonlyargs + node.args.args + node.args.kwonlyargs]
                if not params or params[0] != "user":
                    faults.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}({', '.join(params)})")
    assert not faults, "\n".join(faults)


def test_the_list_of_apps_to_move_only_shrinks() -> None:
    assert set(LAID_OUT) | set(TO_MOVE) == set(APPS)


def test_the_environment_is_not_tracked() -> None:
    """``.venv`` (a directory, or in a worktree a symlink to the shared one) is never committed: a tracked symlink
    replaces the real environment of every checkout it is merged into (git removes ignored files in its way)."""
    import subprocess

    tracked = subprocess.run(
        ["git", "ls-files", "--", ".venv"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.split()
    assert tracked == []
