"""Reorganizing a village branch as 第三篇 五 runs it: the plan out to every member for comments, the village's 请示,
the township's 批复 (PDFs with number and date), the members' meeting that hears the reply, then the change through
``organization_upgrade`` / ``sub_branch_create``; B1/B4 (RULES.md) still hold at every step."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import Event
from organizations import documents
from organizations.models import ChangeKind, MemberStatus, Organization, OrgChange, OrgKind
from organizations.models.reorganization import ReorgKind, ReorgState
from organizations.services import reorganization as svc
from organizations.services.reorganization import Action
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

PLAN = "洞村党支部有党员79名,拟升格为党总支,在其下设立松脂协会党支部等六个党支部。"


def upgrade(actor, org, new_kind=OrgKind.GENERAL_BRANCH, new_name="东风村党总支"):
    return svc.reorganization_start(
        actor=actor, organization=org, kind=ReorgKind.UPGRADE, new_kind=new_kind, new_name=new_name, plan=PLAN
    )


def move(actor, reorg, action, **payload):
    return svc.reorganization_move(actor=actor, reorganization=reorg, action=action, **payload)


def to_requested(actor, reorg, members_total):
    reorg = move(actor, reorg, Action.CONSULT, started_on=date(2026, 3, 20))
    return move(
        actor, reorg, Action.REQUEST, members_consulted=members_total, number="东支〔2026〕1号", on=date(2026, 4, 1)
    )


def pdf_text(content: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def test_a_79_member_branch_becomes_a_general_branch_through_request_and_reply(users, tree, members):
    """第三篇 四/五: the 79-member branch → 党总支: 征求意见 of every member, 请示, 批复, 党员大会, 实施."""
    MemberFactory.create_batch(71, organization=tree.village_a1)  # 8 + 71 = 79
    reorg = upgrade(users.sec_a1, tree.village_a1)
    assert reorg.state == ReorgState.DRAFT
    reorg = move(users.sec_a1, reorg, Action.CONSULT, started_on=date(2026, 3, 20))
    svc.reorganization_comment_add(
        actor=users.sec_a1,
        reorganization=reorg,
        author_name="松脂协会",
        content="协会党员单独成立支部",
        received_on=date(2026, 3, 22),
    )
    reorg = move(
        users.sec_a1, reorg, Action.REQUEST, members_consulted=79, number="东支〔2026〕1号", on=date(2026, 4, 1)
    )
    assert reorg.state == ReorgState.REQUESTED and reorg.members_total == 79
    request_text = pdf_text(documents.reorganization_paper(reorg, "request")[1])
    assert "东支〔2026〕1号" in request_text and "请示" in request_text and "2026年4月1日" in request_text
    assert "征求党员意见79名" in request_text.replace("\n", "")
    reorg = move(users.ts_a, reorg, Action.APPROVE, number="镇党委〔2026〕8号", on=date(2026, 4, 8), note="")
    assert reorg.reply_body == tree.township_a.name
    reply_text = pdf_text(documents.reorganization_paper(reorg, "reply")[1])
    assert "镇党委〔2026〕8号" in reply_text and "同意将" in reply_text
    reorg = move(users.sec_a1, reorg, Action.MEET, on=date(2026, 4, 12), due=79, present=70, note="宣读批复")
    reorg = move(users.ts_a, reorg, Action.IMPLEMENT, effective_on=date(2026, 4, 15))
    village = Organization.objects.get(pk=tree.village_a1.pk)
    assert village.kind == OrgKind.GENERAL_BRANCH and village.name == "东风村党总支"
    change = OrgChange.objects.get(organization=village, kind=ChangeKind.UPGRADED)
    assert "镇党委〔2026〕8号" in change.note
    reorg = move(users.ts_a, reorg, Action.FINISH)
    assert reorg.state == ReorgState.DONE
    verbs = set(
        Event.objects.filter(target_id=str(reorg.pk), verb__startswith="reorganization.").values_list("verb", flat=True)
    )
    assert {
        "reorganization.start",
        "reorganization.consult",
        "reorganization.comment",
        "reorganization.request",
        "reorganization.approve",
        "reorganization.meet",
        "reorganization.implement",
        "reorganization.finish",
    } <= verbs


def test_the_plan_must_reach_every_member_before_the_request(users, tree, members):
    """第三篇 五 征求意见: "把形成的党组织设置初步方案发放到每位党员手中"."""
    reorg = svc.reorganization_start(
        actor=users.ts_a, organization=tree.general_a2, kind=ReorgKind.SUB_UNITS, units_planned="协会党小组", plan=PLAN
    )
    reorg = move(users.ts_a, reorg, Action.CONSULT, started_on=date(2026, 3, 20))
    total, _ = svc.members_of(tree.general_a2)
    with pytest.raises(ValidationError) as exc:
        move(users.ts_a, reorg, Action.REQUEST, members_consulted=total - 1, number="1号", on=date(2026, 4, 1))
    assert f"现有党员{total}名,已征求{total - 1}名" in str(exc.value)


def test_the_branch_asks_but_does_not_answer_itself(users, tree, members):
    """组织实施 2–3: the village asks (以村党支部的名义请示), the township answers (镇党委批复)."""
    MemberFactory.create_batch(50, organization=tree.village_a1)
    reorg = to_requested(users.sec_a1, upgrade(users.sec_a1, tree.village_a1), 58)
    with pytest.raises(PermissionDenied):
        move(users.sec_a1, reorg, Action.APPROVE, number="1号", on=date(2026, 4, 8))
    with pytest.raises(PermissionDenied):
        svc.reorganization_start(actor=users.viewer_a, organization=tree.village_a1, kind=ReorgKind.SUB_UNITS, plan="x")
    assert svc.allowed_actions(users.sec_a1, reorg) == []
    assert set(svc.allowed_actions(users.ts_a, reorg)) == {Action.APPROVE, Action.REFUSE}


def test_a_refusal_needs_a_reason_and_ends_it(users, tree, members):
    MemberFactory.create_batch(50, organization=tree.village_a1)
    reorg = to_requested(users.sec_a1, upgrade(users.sec_a1, tree.village_a1), 58)
    with pytest.raises(ValidationError) as exc:
        move(users.ts_a, reorg, Action.REFUSE, number="镇〔2026〕9号", on=date(2026, 4, 8), note="")
    assert "不同意时须写明理由" in str(exc.value)
    reorg = move(users.ts_a, reorg, Action.REFUSE, number="镇〔2026〕9号", on=date(2026, 4, 8), note="党员分布集中")
    assert reorg.state == ReorgState.REFUSED and svc.allowed_actions(users.ts_a, reorg) == []
    assert "不同意" in pdf_text(documents.reorganization_paper(reorg, "reply")[1])
    assert Organization.objects.get(pk=tree.village_a1.pk).kind == OrgKind.BRANCH
    # the request has ended: a new one may be started
    assert upgrade(users.sec_a1, tree.village_a1).state == ReorgState.DRAFT


def test_b4_a_committee_under_100_is_refused_at_the_request(users, tree, members):
    """B4 (农村条例 Art. 5): a 党委 needs 100 members; the 请示 says so in words."""
    reorg = upgrade(users.sec_a1, tree.village_a1, OrgKind.COMMITTEE, "东风村党委")
    reorg = move(users.sec_a1, reorg, Action.CONSULT)
    with pytest.raises(ValidationError) as exc:
        move(users.sec_a1, reorg, Action.REQUEST, members_consulted=8, number="1号", on=date(2026, 4, 1))
    assert "党员8名,不足100名" in str(exc.value) and "B4" not in str(exc.value)


def test_b4_a_small_general_branch_is_answered_and_done_by_the_district(users, tree, members):
    """B4: a 党总支 of 50 or fewer only "确因工作需要", approved by the district: the township may not answer."""
    reorg = to_requested(users.sec_a1, upgrade(users.sec_a1, tree.village_a1), 8)
    with pytest.raises(PermissionDenied) as exc:
        move(users.ts_a, reorg, Action.APPROVE, number="镇〔2026〕8号", on=date(2026, 4, 8))
    assert "区委组织部" in str(exc.value)
    reorg = move(users.ds, reorg, Action.APPROVE, number="区组〔2026〕3号", on=date(2026, 4, 8), note="景区党员分散")
    assert reorg.reply_body == "区委组织部"
    reorg = move(users.sec_a1, reorg, Action.MEET, on=date(2026, 4, 12), due=8, present=8)
    reorg = move(users.ds, reorg, Action.IMPLEMENT, effective_on=date(2026, 4, 15))
    change = OrgChange.objects.get(organization=tree.village_a1, kind=ChangeKind.UPGRADED)
    assert "经区委组织部审批" in change.note and "区组〔2026〕3号" in change.note


def test_sub_branches_under_the_reply_keep_b1(users, tree, members):
    """组织实施 6 and B1 (支部条例 Arts. 4–5): each 党支部 set up with 3 full members; the reply is its basis."""
    general = tree.general_a2
    MemberFactory.create_batch(4, organization=general)
    reorg = svc.reorganization_start(
        actor=users.ts_a, organization=general, kind=ReorgKind.SUB_UNITS, units_planned="松脂协会党支部", plan=PLAN
    )
    total, _ = svc.members_of(general)
    reorg = to_requested(users.ts_a, reorg, total)
    reorg = move(users.ts_a, reorg, Action.APPROVE, number="镇〔2026〕8号", on=date(2026, 4, 8))
    reorg = move(users.ts_a, reorg, Action.MEET, on=date(2026, 4, 12), due=total, present=total)
    with pytest.raises(ValidationError):
        move(users.ts_a, reorg, Action.IMPLEMENT, effective_on=date(2026, 4, 10))  # before the meeting
    reorg = move(users.ts_a, reorg, Action.IMPLEMENT, effective_on=date(2026, 4, 15))
    with pytest.raises(ValidationError) as exc:
        move(users.ts_a, reorg, Action.FINISH)
    assert "尚未按方案设立任何下属组织" in str(exc.value)
    own = list(general.members.filter(left_on__isnull=True, status=MemberStatus.FULL))
    with pytest.raises(ValidationError):
        svc.reorganization_unit_add(
            actor=users.ts_a,
            reorganization=reorg,
            code="A2-9",
            name="松脂协会党支部",
            kind=OrgKind.BRANCH,
            members=own[:2],
            effective_on=date(2026, 4, 15),
        )
    child = svc.reorganization_unit_add(
        actor=users.ts_a,
        reorganization=reorg,
        code="A2-9",
        name="松脂协会党支部",
        kind=OrgKind.BRANCH,
        members=own[:3],
        effective_on=date(2026, 4, 15),
    )
    assert "镇〔2026〕8号" in OrgChange.objects.get(organization=general, kind=ChangeKind.SUB_CREATED).note
    assert move(users.ts_a, reorg, Action.FINISH).state == ReorgState.DONE
    assert list(reorg.created_units.all()) == [child]


def test_a_page_loaded_before_another_move_is_refused(users, tree, members):
    reorg = upgrade(users.sec_a1, tree.village_a1)
    loaded = reorg.version
    move(users.sec_a1, reorg, Action.CONSULT)
    with pytest.raises(ValidationError) as exc:
        move(users.ts_a, reorg, Action.WITHDRAW, version=loaded)
    assert "已被他人办理" in str(exc.value)


def test_one_open_request_per_organization_and_plans_in_words(users, tree, members):
    with pytest.raises(ValidationError) as exc:
        svc.reorganization_start(actor=users.sec_a1, organization=tree.village_a1, kind=ReorgKind.UPGRADE, plan=PLAN)
    assert "请选择改设后的类别" in str(exc.value)
    upgrade(users.sec_a1, tree.village_a1)
    with pytest.raises(ValidationError) as exc:
        upgrade(users.sec_a1, tree.village_a1)
    assert "已有一项正在办理" in str(exc.value)
