"""Q1/Q2, the joint qualification review (资格联审), as pure rules. Source: 第五篇 五(四)15 "县委组织部会同纪委监委、
法院、检察院、司法局、公安局、民政局、政法委(综治办、县610办)审计局、信访局、安监局、环保局、卫计局、财政局(减负办)、
民宗局等部门,对……候选人初步人选进行资格联审,并报县村(社区)'两委'换届工作领导小组复审"."""

from __future__ import annotations

from elections.rules.joint_review import (
    DEPARTMENTS,
    LEAD,
    REREVIEW_BODY,
    Opinion,
    ReReview,
    check_opinion,
    check_rereview,
    confirm_failures,
    review_state,
)

ALL = list(DEPARTMENTS)


def agreed(*codes: str) -> list[Opinion]:
    return [Opinion(c, True) for c in codes]


def test_the_departments_are_the_plans_fourteen_in_its_order():
    """第五篇 五(四)15 names fourteen departments beside the convening 县委组织部."""
    assert list(DEPARTMENTS.values()) == [
        "纪委监委", "法院", "检察院", "司法局", "公安局", "民政局", "政法委(综治办、县610办)",
        "审计局", "信访局", "安监局", "环保局", "卫计局", "财政局(减负办)", "民宗局",
    ]  # fmt: skip
    assert LEAD == "县委组织部" and REREVIEW_BODY == "县村(社区)“两委”换届工作领导小组"


def test_nothing_answered_lists_every_department():
    """Q1: each listed department must answer."""
    state = review_state([], None)
    assert state.missing == tuple(DEPARTMENTS.values()) and not state.all_answered
    assert state.label == "联审中(0/14)" and not state.blocked and not state.cleared


def test_thirteen_of_fourteen_is_not_complete_and_names_the_missing_one():
    """Q1: one department short (民宗局) → not complete, the message names it."""
    state = review_state(agreed(*ALL[:-1]), None)
    assert state.missing == ("民宗局",)
    (failure,) = confirm_failures("张三", state)
    assert failure.rule == "Q1" and "1个部门未反馈意见:民宗局" in failure.message


def test_all_agreed_waits_for_the_rereview():
    """Q2: fourteen 同意 and no 复审 yet → 待复审, not confirmable."""
    state = review_state(agreed(*ALL), None)
    assert state.all_answered and not state.cleared and state.label == "待复审"
    (failure,) = confirm_failures("张三", state)
    assert failure.rule == "Q2" and "尚待县村(社区)“两委”换届工作领导小组复审" in failure.message


def test_all_agreed_and_rereviewed_is_cleared():
    """Q2: every department agreed and the group agreed → confirmable."""
    state = review_state(agreed(*ALL), ReReview(True))
    assert state.cleared and state.label == "联审通过" and confirm_failures("张三", state) == []


def test_one_disagreement_blocks_with_its_reason_even_before_the_others_answer():
    """Q1: a 不同意 stops the candidate whatever the others say, and the reason is shown."""
    state = review_state([Opinion("public_security", False, "有涉黑涉恶线索")], None)
    assert state.blocked and state.label == "联审未通过"
    (failure,) = confirm_failures("李四", state)
    assert failure.message == "李四资格联审未通过(公安局不同意:有涉黑涉恶线索)"


def test_a_rereview_that_disagrees_blocks():
    """Q2: the group's 不同意 stops the candidate with its reason."""
    state = review_state(agreed(*ALL), ReReview(False, "群众反映强烈"))
    assert state.blocked and not state.cleared
    assert "复审不同意:群众反映强烈" in confirm_failures("王五", state)[0].message


def test_a_department_no_longer_listed_does_not_count():
    """Q1: opinions of departments off the list are ignored (the list is reference data)."""
    state = review_state([*agreed(*ALL[:-1]), Opinion("tax", True)], None)
    assert state.answered == 13 and state.missing == ("民宗局",)


def test_an_opinion_names_a_listed_department_and_a_disagreement_says_why():
    """Q1: unknown department refused; 不同意 without a reason refused; 同意 needs none."""
    assert check_opinion("tax", True, "")[0].message.startswith("请选择资格联审部门")
    assert check_opinion("court", False, "  ")[0].message == "法院不同意的,须填写理由"
    assert check_opinion("court", True, "") == []
    assert check_opinion("court", False, "正在被审查调查") == []
    assert check_opinion("court", False, "理" * 201)[0].message == "理由不超过200字"


def test_the_rereview_waits_for_every_department():
    """Q2: "并报……领导小组复审" comes after the departments: 13 answered → refused, naming the missing one."""
    state = review_state(agreed(*ALL[:-1]), None)
    (failure,) = check_rereview("张三", state, True, "")
    assert failure.rule == "Q2" and "尚有1个部门未反馈联审意见(民宗局)" in failure.message
    full = review_state(agreed(*ALL), None)
    assert check_rereview("张三", full, True, "") == []
    assert check_rereview("张三", full, False, "")[0].message == "复审不同意张三的,须填写理由"
