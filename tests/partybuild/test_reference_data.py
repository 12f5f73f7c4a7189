"""Reference data lives in fixtures/*.json: what the apps and the database hold of it equals the files, the loader
is idempotent and keeps the district's edits unless asked, and a broken file is refused with a message that says
where and what."""

from __future__ import annotations

import copy
import json
import shutil
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import chinese_calendar
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.models import Event
from elections.models import StepTemplate
from elections.services.steps import default_steps
from fixtures import reader
from grading.models import Dimension, Item
from grading.services import campaigns as grading_services
from rectification.models import DevelopmentTarget, Problem
from rectification.rules import acceptance as acceptance_rules
from rectification.rules import ledger as ledger_rules

FIXTURES = Path(reader.__file__).resolve().parent


def _file(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _load(*args: str) -> str:
    out = StringIO()
    call_command("load_reference_data", *args, stdout=out)
    return out.getvalue()


# --- The files are the data -------------------------------------------------------------------------------------


def test_every_file_passes_its_check() -> None:
    assert reader.check_all() == list(reader.FILES)
    assert sorted(p.name for p in FIXTURES.glob("*.json")) == sorted(reader.FILES)


def test_a_new_campaigns_default_template_equals_the_file(users) -> None:
    campaign = grading_services.campaign_create(actor=users.ds, year=2026)
    template = campaign.templates.get(field="")
    data = _file("grading_template.json")
    stored = {
        "name": template.name,
        "dimensions": [
            {
                "name": d.name,
                "points": d.max_points,
                "items": [
                    {"text": i.text, "points": i.max_points, "guidance": i.guidance, "veto": i.is_veto}
                    for i in Item.objects.filter(dimension=d).order_by("order")
                ],
            }
            for d in Dimension.objects.filter(template=template).order_by("order")
        ],
    }
    for dim in data["dimensions"]:
        dim["points"] = Decimal(str(dim["points"]))
        for item in dim["items"]:
            item["points"] = Decimal(str(item["points"]))
    assert stored == {"name": data["name"], "dimensions": data["dimensions"]}
    assert sum(d["points"] for d in stored["dimensions"]) == 100


def _rows(year: int) -> list[dict]:
    return [
        {
            "number": t.number,
            "phase": t.phase,
            "title": t.title,
            "owner": t.owner,
            "documents": t.required_documents,
            "due_offset_days": t.due_offset_days,
        }
        for t in StepTemplate.objects.filter(year=year).order_by("number")
    ]


def test_the_loader_puts_the_files_election_steps_in_the_database_once(db) -> None:
    out = _load("--years", "2031")
    assert "参考数据文件检查通过" in out and "2031年换届环节模板:新建32个" in out
    assert _rows(2031) == _file("election_steps.json")["steps"]
    assert Event.objects.filter(verb="election.step_templates").count() == 1
    # again: nothing created, nothing recorded
    assert "2031年换届环节模板:新建0个" in _load("--years", "2031")
    assert StepTemplate.objects.filter(year=2031).count() == 32
    assert Event.objects.filter(verb="election.step_templates").count() == 1


def test_the_loader_keeps_the_districts_edits_unless_asked(db) -> None:
    _load("--years", "2031")
    StepTemplate.objects.filter(year=2031, number=3).update(title="离任经济责任审计", due_offset_days=-52)
    out = _load("--years", "2031")
    assert "1个与文件不同" in out
    assert StepTemplate.objects.get(year=2031, number=3).title == "离任经济责任审计"

    out = _load("--years", "2031", "--reset-steps", "2031")
    assert "按文件重置1个" in out
    assert _rows(2031) == _file("election_steps.json")["steps"]
    event = Event.objects.get(verb="election.step_templates_reset")
    assert event.before == {"3": {"title": "离任经济责任审计", "due_offset_days": -52}}
    assert event.actor_name == "系统"


def test_the_loader_refuses_to_reset_a_year_that_projects_use(tree) -> None:
    from elections.models import ElectionProject, Step

    _load("--years", "2031")
    StepTemplate.objects.filter(year=2031, number=3).update(title="离任经济责任审计")
    project = ElectionProject.objects.create(
        organization=tree.village_a1, township=tree.township_a, year=2031, seats=3, election_date=date(2031, 11, 20)
    )
    Step.objects.create(
        project=project, template=StepTemplate.objects.get(year=2031, number=1), due_on=date(2031, 9, 1)
    )
    with pytest.raises(CommandError, match="2031年已有换届项目使用环节模板,不能再按参考数据文件重置"):
        _load("--years", "2031", "--reset-steps", "2031")
    assert StepTemplate.objects.get(year=2031, number=3).title == "离任经济责任审计"
    assert not Event.objects.filter(verb="election.step_templates_reset").exists()


def test_the_election_step_page_defaults_are_the_files() -> None:
    steps = _file("election_steps.json")["steps"]
    assert [(d.number, d.phase, d.title, d.owner, list(d.documents), d.offset) for d in default_steps()] == [
        (s["number"], s["phase"], s["title"], s["owner"], s["documents"], s["due_offset_days"]) for s in steps
    ]


def test_the_rectification_choices_are_the_files() -> None:
    data = _file("rectification.json")

    def pairs(key: str) -> list[tuple[str, str]]:
        return [(row["code"], row["label"]) for row in data[key]]

    assert ledger_rules.ProblemCategory.choices == pairs("problem_categories")
    assert ledger_rules.ProblemSource.choices == pairs("problem_sources")
    assert acceptance_rules.InspectionItem.choices == pairs("inspection_items")
    assert ledger_rules.TargetKind.choices == pairs("development_targets")
    assert ledger_rules.DEVELOPMENT_TARGETS == {row["code"]: row["need"] for row in data["development_targets"]}
    # the models store the same codes, and every code fits its column
    for model, field, key in (
        (Problem, "category", "problem_categories"),
        (Problem, "source", "problem_sources"),
        (DevelopmentTarget, "kind", "development_targets"),
    ):
        column = model._meta.get_field(field)
        assert list(column.choices) == pairs(key)
        assert all(len(code) <= column.max_length for code, _ in pairs(key))


def test_every_holiday_the_calendar_package_names_has_a_chinese_name() -> None:
    names = _file("holiday_names.json")["names"]
    assert {h.value for h in chinese_calendar.Holiday} <= set(names)
    from core.holiday_package import HOLIDAY_NAMES

    assert names == HOLIDAY_NAMES


# --- A broken file is refused --------------------------------------------------------------------------------------


def _broken(name: str, change) -> str:
    data = copy.deepcopy(_file(name))
    change(data)
    with pytest.raises(reader.ReferenceDataError) as caught:
        reader.PARSERS[name](data, name)
    return str(caught.value)


def test_a_template_whose_dimension_does_not_add_up_is_refused() -> None:
    def change(d):
        d["dimensions"][1]["items"][0]["points"] = 4

    assert _broken("grading_template.json", change) == (
        "参考数据文件 fixtures/grading_template.json 有误:第2个维度“党员队伍好”:各项分值合计19分,与本维度的20分不符"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(total_points=120), "total_points:总分应为100分(C7),不是120分"),
        (lambda d: d["dimensions"].pop(), "dimensions:各维度分值合计80分,与总分100分不符"),
        (lambda d: d["dimensions"][0]["items"][4].update(points=2), "一票否决项(C4)不计分,分值应为0"),
        (lambda d: d["dimensions"][0]["items"][0].pop("guidance"), "第1个维度“领导班子好” → 第1项:缺少guidance"),
        (lambda d: d["dimensions"][0].update(points="20"), "第1个维度“领导班子好” → points:分值应为数字"),
        (lambda d: d.update(dimension=[]), "有未知的键dimension"),
    ],
)
def test_a_broken_template_is_refused_with_the_place_and_the_fault(change, message) -> None:
    assert message in _broken("grading_template.json", change)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["steps"].pop(), "steps:应有32个环节(第五篇五),现有31个"),
        (lambda d: d["steps"][4].update(number=6), "第5个环节:编号应为5"),
        (lambda d: d["steps"][0].update(phase="voting"), "第1个环节 → phase:阶段“voting”不在 phases 中"),
        (lambda d: d["steps"][2].update(documents=["photo"]), "材料类别“photo”不在 document_kinds 中"),
        (lambda d: d["steps"][31].update(due_offset_days=400), "期限须在选举日前后366天以内"),
        (lambda d: d["steps"][31].update(phase="preparing"), "第32个环节:阶段顺序倒退"),
    ],
)
def test_broken_election_steps_are_refused_with_the_place_and_the_fault(change, message) -> None:
    assert message in _broken("election_steps.json", change)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["problem_categories"].append({"code": "other", "label": "其它"}), "有重复的代码"),
        (lambda d: d["problem_sources"].append({"code": "Other Source", "label": "其它"}), "应由小写字母"),
        (lambda d: d["development_targets"][0].update(need=-1), "目标人数不能为负数"),
        (lambda d: d.pop("inspection_items"), "缺少inspection_items"),
    ],
)
def test_broken_rectification_lists_are_refused_with_the_place_and_the_fault(change, message) -> None:
    assert message in _broken("rectification.json", change)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["categories"][0]["bands"][1].update(up_to=2000), "各档上限应逐档增加"),
        (lambda d: d["categories"][0]["bands"][3].update(up_to=20000), "只有最后一档没有上限"),
        (lambda d: d["categories"][0]["bands"][2].update(percent=0.8), "比例应逐档增加"),
        (lambda d: d["categories"][2].update(min=2), "min 应小于 max"),
        (lambda d: d["categories"][3].update(amount=0.205), "金额最多到分"),
        (lambda d: d["categories"][3].update(min=0.1, max=1), "应有且只有一种交纳方式"),
        (lambda d: d["categories"].pop(1), "缺少程序要用到的类别:retired"),
    ],
)
def test_broken_dues_bands_are_refused_with_the_place_and_the_fault(change, message) -> None:
    assert message in _broken("dues_bands.json", change)


def test_a_list_without_a_code_the_program_names_is_refused() -> None:
    lists = reader.rectification_lists()
    rows = [c for c in lists.problem_sources if c.code != "acceptance"]
    with pytest.raises(reader.ReferenceDataError, match="问题来源缺少程序要用到的代码:acceptance"):
        reader.choice_members(rows, required=("acceptance",), what="问题来源")


@pytest.fixture
def broken_dir(tmp_path, monkeypatch):
    for name in reader.FILES:
        shutil.copy(FIXTURES / name, tmp_path / name)
    monkeypatch.setattr(reader, "FIXTURES_DIR", tmp_path)
    return tmp_path


def test_the_loader_refuses_a_file_that_is_not_json(db, broken_dir) -> None:
    (broken_dir / "election_steps.json").write_text('{"steps": [', encoding="utf-8")
    with pytest.raises(CommandError, match=r"fixtures/election_steps.json 不是有效的 JSON\(第1行第12列\)"):
        _load("--check")


def test_the_loader_refuses_a_template_that_does_not_add_up_and_writes_nothing(db, broken_dir) -> None:
    data = _file("grading_template.json")
    data["dimensions"][4]["items"][0]["points"] = 12
    (broken_dir / "grading_template.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="第5个维度“群众反映好”:各项分值合计22分,与本维度的20分不符"):
        _load("--years", "2031")
    assert not StepTemplate.objects.filter(year=2031).exists()


def test_the_loader_refuses_steps_whose_phases_are_not_the_systems(db, broken_dir) -> None:
    data = _file("election_steps.json")
    data["phases"][-1] = "after"
    for step in data["steps"]:
        step["phase"] = "after" if step["phase"] == "following_up" else step["phase"]
    (broken_dir / "election_steps.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    reader.load.cache_clear()
    try:
        with pytest.raises(CommandError, match="phases应为preparing、launching"):
            _load("--check")
    finally:
        reader.load.cache_clear()
        default_steps.cache_clear()


def test_a_missing_file_is_named(broken_dir) -> None:
    (broken_dir / "rectification.json").unlink()
    with pytest.raises(reader.ReferenceDataError, match="参考数据文件 fixtures/rectification.json 不存在"):
        reader.check_all()


def test_the_surname_stroke_table_is_the_files() -> None:
    from elections.rules.stroke_order import STROKES

    data = _file("surname_strokes.json")
    firsts = data["first_strokes"]
    assert firsts == ["横", "竖", "撇", "点", "折"]
    assert STROKES == {
        char: (row["strokes"], firsts.index(row["first"]) + 1) for row in data["surnames"] for char in row["chars"]
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["surnames"][1].update(chars="卜丁"), "surnames → 第2项 → chars:“丁”重复出现"),
        (lambda d: d["surnames"][0].update(first="提"), "surnames → 第1项 → first:起笔“提”不在 first_strokes 中"),
        (lambda d: d["surnames"][0].update(strokes=0), "笔画数应在1–36之间"),
    ],
)
def test_a_broken_stroke_table_is_refused_with_the_place_and_the_fault(change, message) -> None:
    assert message in _broken("surname_strokes.json", change)


def test_load_demo_checks_and_loads_the_reference_data_before_building(db, monkeypatch) -> None:
    from django.utils import timezone

    from organizations.management.commands import load_demo

    class Stop(Exception):
        pass

    def build_demo(**kwargs):
        raise Stop

    monkeypatch.setattr(load_demo.demo, "build_demo", build_demo)
    out = StringIO()
    with pytest.raises(Stop):
        call_command("load_demo", "--small", stdout=out)
    assert "参考数据文件检查通过" in out.getvalue()
    assert _rows(timezone.localdate().year) == _file("election_steps.json")["steps"]


def test_the_joint_review_departments_are_the_files() -> None:
    """Q1 (第五篇 五(四)15): the matrix's columns are the file's departments, in its order."""
    from elections.rules.joint_review import DEPARTMENTS, REREVIEW_BODY

    data = _file("joint_review_departments.json")
    assert DEPARTMENTS == {d["code"]: d["label"] for d in data["departments"]}
    assert len(DEPARTMENTS) == 14 and REREVIEW_BODY == data["rereview_body"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["departments"][1].update(code="discipline"), "departments:有重复的代码"),
        (lambda d: d["departments"][1].update(label="纪委监委"), "departments:有重复的名称"),
        (lambda d: d["departments"][0].update(code="Discipline"), "应由小写字母、数字和下划线组成"),
        (lambda d: d.update(departments=[]), "departments:应为至少1项的列表"),
        (lambda d: d.pop("rereview_body"), "缺少rereview_body"),
    ],
)
def test_a_broken_joint_review_list_is_refused_with_the_place_and_the_fault(change, message) -> None:
    assert message in _broken("joint_review_departments.json", change)
