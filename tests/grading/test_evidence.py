"""The evidence registry (grading/evidence.py, issue 16 deliver 5): providers answer for many organizations at once,
figures go beside the items whose guidance names their records, grading imports no provider's app."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from grading import evidence
from grading.evidence import Evidence, evidence_for, evidence_for_item, register_evidence_provider

MEETINGS = Evidence(
    source="测试",
    label="支委会",
    value="10/12 次",
    detail="缺3月、5月",
    shortfall=True,
    keywords=("三会一课", "支委会"),
    sentence="召开支委会10次。",
)
DUES = Evidence(source="测试", label="党费收缴率", value="95%", keywords=("党费",), sentence="党费收缴率95%。")


@pytest.fixture
def providers(monkeypatch):
    monkeypatch.setattr(evidence, "_providers", [])
    return evidence._providers


def test_every_asked_id_is_answered_and_providers_are_merged_in_order(providers) -> None:
    calls = []

    def meetings(ids, year):
        calls.append((tuple(ids), year))
        return {1: [MEETINGS], 99: [MEETINGS]}  # 99 was not asked for: dropped

    register_evidence_provider(meetings)
    register_evidence_provider(meetings)  # once only
    register_evidence_provider(lambda ids, year: {1: [DUES]})
    found = evidence_for([1, 2, 1], 2026)
    assert found == {1: [MEETINGS, DUES], 2: []}
    assert calls == [((1, 2), 2026)]  # one call for all the ids, duplicates removed


def test_no_ids_asks_no_provider(providers) -> None:
    register_evidence_provider(lambda ids, year: pytest.fail("asked with no ids"))
    assert evidence_for([], 2026) == {}


def test_a_figure_goes_beside_the_items_whose_text_or_guidance_names_its_records() -> None:
    three = ("“三会一课”制度落实,记录完整", "查支部党员大会、支委会、党小组会和党课记录。")
    assert evidence_for_item([MEETINGS, DUES], *three) == [MEETINGS]
    assert evidence_for_item([MEETINGS, DUES], "党员教育管理经常,按时足额交纳党费", "") == [DUES]
    assert evidence_for_item([MEETINGS, DUES], "发展壮大集体经济", "查集体经济收入") == []


def test_self_report_sentences_join_the_figures_that_have_one() -> None:
    plain = Evidence(source="测试", label="x", value="1")
    assert evidence.self_report_sentences([MEETINGS, plain, DUES]) == "召开支委会10次。党费收缴率95%。"


def test_grading_imports_no_app_that_provides_evidence() -> None:
    root = Path(__file__).resolve().parents[2] / "grading"
    named = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                named.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                named |= {a.name.split(".")[0] for a in node.names}
    assert not named & {"meetings", "dues"}
