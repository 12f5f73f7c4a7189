"""The repository's documentation stands alone: whoever clones the project can read everything its docs point to.

Two rules, checked on the files as they are in the working tree:
- no file refers to the specification folder the project was first written from (it is not part of the repository);
  the project's own account of the domain is docs/domain.md;
- every relative link in docs/*.md, README.md and CONTRIBUTING.md resolves to a file or folder of the repository;
- every rule code (A1, B3, K7, …) that a rules module cites has its row in docs/domain.md, where rules are defined.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
THIS_FILE = Path(__file__).resolve()

# Written in pieces so that this file does not match itself when the rule is read by other tools (grep).
OUTSIDE_POINTERS = ("../" + "shared", "shared" + "/spec", "/work/" + "shared")

# Folders that are not the project: the virtualenv, git's own data, caches and generated or local files.
SKIPPED_DIRS = {
    ".git",
    ".venv",
    "venv",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "node_modules",
    "var",
    "media",
    "staticfiles",
    "test-artifacts",
}

DOC_FILES = ["README.md", "CONTRIBUTING.md"]

# [text](target) and ![alt](target), with an optional "title"; reference definitions `[id]: target`.
INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+\"[^\"]*\")?\s*$", re.MULTILINE)
FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]*`")


def repository_files():
    """Every file of the project, skipping the folders above."""
    stack = [ROOT]
    while stack:
        folder = stack.pop()
        for entry in sorted(folder.iterdir()):
            if entry.is_dir():
                if entry.name not in SKIPPED_DIRS:
                    stack.append(entry)
            elif entry.is_file():
                yield entry


def doc_files() -> list[Path]:
    files = sorted((ROOT / "docs").glob("*.md"))
    files += [ROOT / name for name in DOC_FILES if (ROOT / name).exists()]
    return files


def relative_links(markdown: str, *, anchors: bool = False) -> list[str]:
    """The link targets of a Markdown text that point inside the repository (code spans and blocks are not links);
    with ``anchors``, links to a heading of the same page (``#…``) too."""
    text = INLINE_CODE.sub("", FENCE.sub("", markdown))
    targets = INLINE_LINK.findall(text) + REFERENCE_LINK.findall(text)
    outside = r"^([a-z][a-z0-9+.-]*:|//)" if anchors else r"^([a-z][a-z0-9+.-]*:|#|//)"
    return [t for t in targets if not re.match(outside, t, re.IGNORECASE)]


def heading_anchors(markdown: str) -> set[str]:
    """The anchors a Markdown viewer (GitHub, GitLab) gives the headings: lower case, punctuation dropped (letters of
    any script kept), spaces as hyphens; a repeated heading gets -1, -2…"""
    seen: dict[str, int] = {}
    anchors = set()
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", FENCE.sub("", markdown), re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def test_no_file_points_outside_the_repository():
    offenders = []
    for path in repository_files():
        if path.resolve() == THIS_FILE:
            continue
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue  # binary files (images, fonts) hold no pointers
        for number, line in enumerate(text.splitlines(), start=1):
            if any(pointer in line for pointer in OUTSIDE_POINTERS):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert not offenders, "files that point outside the repository:\n" + "\n".join(offenders)


def test_the_documentation_files_exist():
    for name in ("docs/domain.md", "docs/architecture.md", "CONTRIBUTING.md", "README.md"):
        assert (ROOT / name).is_file(), name


@pytest.mark.parametrize("doc", doc_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(doc: Path):
    """A link leads to a file or folder of the repository and, when it names a heading of a Markdown page, to one
    that exists."""
    broken = []
    for target in relative_links(doc.read_text(encoding="utf-8"), anchors=True):
        path_part, _, anchor = target.partition("#")
        path_part = path_part.split("?", 1)[0]
        resolved = (doc.parent / path_part).resolve() if path_part else doc.resolve()
        if not resolved.exists() or ROOT not in (resolved, *resolved.parents):
            broken.append(target)
        elif anchor and resolved.suffix == ".md":
            if anchor.lower() not in heading_anchors(resolved.read_text(encoding="utf-8")):
                broken.append(target)
    assert not broken, f"{doc.relative_to(ROOT)}: links that lead nowhere in the repository: {broken}"


def test_the_link_reader_finds_links_and_skips_code():
    """The checks above are only as good as the link reader: it must see links and ignore code and web addresses."""
    sample = (
        'See [the domain](domain.md#rules), ![picture](img/apps.svg "apps") and [web](https://example.org).\n'
        "`[not](a-link.md)`\n```\n[nor](this.md)\n```\n[ref]: ../README.md\n[anchor](#top)\n"
    )
    assert relative_links(sample) == ["domain.md#rules", "img/apps.svg", "../README.md"]
    assert relative_links(sample, anchors=True) == ["domain.md#rules", "img/apps.svg", "#top", "../README.md"]


def test_heading_anchors_follow_the_viewers_rule():
    page = "# Top\n## Elections (两推一选)\n### D. Deadlines, and days\n```\n# not a heading\n```\n## Top\n"
    assert heading_anchors(page) == {"top", "elections-两推一选", "d-deadlines-and-days", "top-1"}


# The modules where rules are defined; their comments and messages cite rules by code (A1, B3, K7, …).
RULE_MODULES = [
    "organizations/rules.py",
    "grading/rules/grades.py",
    "grading/rules/counting.py",
    "rectification/rules/cases.py",
    "rectification/rules/ledger.py",
    "rectification/rules/acceptance.py",
    "rectification/rules/yearend.py",
    "elections/rules/votes.py",
    "elections/rules/terms.py",
    "elections/rules/eligibility.py",
    "elections/rules/ballot.py",
    "elections/rules/tally.py",
    "elections/rules/checks.py",
    "elections/rules/incidents.py",
    "elections/rules/joint_review.py",
    "elections/rules/posts.py",
    "core/workdays.py",
    "meetings/rules/frequency.py",
    "meetings/rules/records.py",
    "dues/rules/bands.py",
    "dues/rules/ledger.py",
    "stats/rules/bands.py",
    "development/rules/pipeline.py",
    "circulars/rules/receipts.py",
]
RULE_CODE = re.compile(r"\b([ABCDEFKMNPQTU]\d{1,2}a?)\b")


def test_every_rule_code_the_rules_modules_cite_has_a_row_in_the_domain_doc():
    """docs/domain.md is where a rule code is defined: a code cited in a rules module has its row there."""
    domain = (ROOT / "docs" / "domain.md").read_text(encoding="utf-8")
    cited = set()
    for name in RULE_MODULES:
        path = ROOT / name
        if path.exists():
            cited |= set(RULE_CODE.findall(path.read_text(encoding="utf-8")))
    assert cited, "no rule code found: the list of rules modules is out of date"
    missing = sorted(code for code in cited if f"| {code} |" not in domain)
    assert not missing, f"rule codes cited in the code with no row in docs/domain.md: {missing}"


def test_the_permission_table_of_the_domain_doc_is_the_codes():
    """docs/domain.md shows ROLE_PERMISSIONS as a table; it must say what organizations/roles.py says."""
    from organizations.roles import ROLE_PERMISSIONS, Perm, Role

    lines = (ROOT / "docs" / "domain.md").read_text(encoding="utf-8").splitlines()
    header_at = next(i for i, line in enumerate(lines) if line.startswith("| permission (`Perm`) |"))
    header = [cell.strip() for cell in lines[header_at].strip("|").split("|")]
    roles = [Role(name) for name in header[2:]]
    assert set(roles) == set(Role), "the table has a column for every role"
    shown: dict[Role, set[Perm]] = {role: set() for role in roles}
    listed = set()
    for line in lines[header_at + 2 :]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        perm = Perm(cells[0].strip("`"))
        listed.add(perm)
        for role, mark in zip(roles, cells[2:], strict=True):
            assert mark in ("✓", "—"), f"{perm}: {mark!r}"
            if mark == "✓":
                shown[role].add(perm)
    assert listed == set(Perm), "the table has a row for every permission"
    assert shown == {role: set(ROLE_PERMISSIONS[role]) for role in roles}
