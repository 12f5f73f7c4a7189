"""资格联审 through its services (Q1/Q2, 第五篇 五(四)15): the township records each department's opinion, the district
the county group's re-review; the list cannot be approved (step 18) before, and a 不同意 stops the candidate."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.audit import Event
from elections.models import CandidateStatus, JointReviewOpinion
from elections.rules.joint_review import DEPARTMENTS
from elections.services.candidates import candidates_approve
from elections.services.review import joint_opinions_record, joint_rereview_record
from tests.elections.conftest import joint_review_clear

pytestmark = pytest.mark.django_db
ALL = list(DEPARTMENTS)


def record(users, project, cands, departments=ALL, agreed=True, reason="", **kw):
    return joint_opinions_record(
        actor=kw.get("actor", users.ts_a),
        project=project,
        candidate_ids=[c.pk for c in cands],
        departments=departments,
        agreed=agreed,
        reason=reason,
        given_on=kw.get("given_on", timezone.localdate()),
        reviewer=kw.get("reviewer", "赵审核"),
    )


def test_the_list_cannot_be_approved_before_the_joint_review(nominated, users):
    """Q1: step 18's approval is refused while a department has not answered, naming who and which."""
    project, cands = nominated
    record(users, project, cands, departments=ALL[:-1])
    with pytest.raises(ValidationError, match="资格联审尚有1个部门未反馈意见:民宗局"):
        candidates_approve(actor=users.ts_a, project=project)


def test_the_list_cannot_be_approved_before_the_rereview(nominated, users):
    """Q2: every department agreed, the group has not re-reviewed → refused."""
    project, cands = nominated
    record(users, project, cands)
    with pytest.raises(ValidationError, match="尚待县村\\(社区\\)“两委”换届工作领导小组复审"):
        candidates_approve(actor=users.ts_a, project=project)


def test_after_the_review_and_rereview_the_list_is_approved(nominated, users):
    """Q1/Q2 done → the township approves; the events say who recorded what."""
    project, cands = nominated
    joint_review_clear(users, project)
    assert candidates_approve(actor=users.ts_a, project=project) == 4
    verbs = set(Event.objects.filter(verb__startswith="election.joint").values_list("verb", flat=True))
    assert verbs == {"election.joint_review", "election.joint_rereview"}
    opinion = JointReviewOpinion.objects.filter(candidate=cands[0], department="court").get()
    assert opinion.reviewer == "王审核" and opinion.department_name == "法院" and opinion.recorded_by == users.ts_a


def test_a_disagreement_stops_the_candidate_with_its_reason(nominated, users):
    """Q1: 公安局 不同意 one candidate → refused at eligibility with the reason; the others can be approved."""
    project, cands = nominated
    record(users, project, cands[:1], departments=["public_security"], agreed=False, reason="有涉黑涉恶线索")
    cands[0].refresh_from_db()
    assert cands[0].status == CandidateStatus.REFUSED
    assert any("公安局不同意:有涉黑涉恶线索" in f["message"] for f in cands[0].errors)
    # the audit log says why in words, never by the internal rule code
    refusal = Event.objects.filter(verb="election.eligibility").order_by("-pk").first()
    assert "公安局不同意:有涉黑涉恶线索" in refusal.summary and "Q1" not in refusal.summary
    assert "Q1" not in str(refusal.after) and "error" not in str(refusal.after)
    with pytest.raises(ValidationError, match="尚有14个部门未反馈联审意见"):
        joint_rereview_record(
            actor=users.ds, project=project, candidate_ids=[cands[1].pk], agreed=True, reviewed_on=timezone.localdate()
        )
    record(users, project, cands[1:])
    joint_rereview_record(
        actor=users.ds,
        project=project,
        candidate_ids=[c.pk for c in cands[1:]],
        agreed=True,
        reviewed_on=timezone.localdate(),
    )
    assert candidates_approve(actor=users.ts_a, project=project) == 3
    cands[0].refresh_from_db()
    assert cands[0].status == CandidateStatus.REFUSED


def test_a_corrected_opinion_clears_the_candidate_again(nominated, users):
    """Q1: the clerk corrects a 不同意 typed on the wrong person: the candidate's review runs again."""
    project, cands = nominated
    record(users, project, cands[:1], departments=["court"], agreed=False, reason="误录")
    record(users, project, cands[:1], departments=["court"], agreed=True)
    cands[0].refresh_from_db()
    assert cands[0].status == CandidateStatus.ELIGIBLE and cands[0].errors == []


def test_only_the_township_records_opinions_and_only_the_district_rereviews(nominated, users):
    """Q1 is recorded by the township (election_manage), Q2 by the district (election_county)."""
    project, cands = nominated
    with pytest.raises(PermissionDenied):
        record(users, project, cands, actor=users.sec_a1)
    record(users, project, cands)
    with pytest.raises(PermissionDenied):
        joint_rereview_record(
            actor=users.ts_a,
            project=project,
            candidate_ids=[cands[0].pk],
            agreed=True,
            reviewed_on=timezone.localdate(),
        )


def test_bad_input_is_refused_in_chinese(nominated, users):
    project, cands = nominated
    with pytest.raises(ValidationError, match="不同意的,须填写理由"):
        record(users, project, cands, departments=["court"], agreed=False)
    with pytest.raises(ValidationError, match="请填写审核人姓名"):
        record(users, project, cands, reviewer=" ")
    with pytest.raises(ValidationError, match="请选择联审部门"):
        record(users, project, cands, departments=[])
    with pytest.raises(ValidationError, match="请选择候选人"):
        record(users, project, [])
    with pytest.raises(ValidationError, match="意见日期不能晚于今天"):
        record(users, project, cands, given_on=timezone.localdate() + timedelta(days=1))
    assert not JointReviewOpinion.objects.exists()


def test_after_the_rereview_the_opinions_stand(nominated, users):
    """Q2: once re-reviewed, a department's opinion is no longer changed."""
    project, cands = nominated
    joint_review_clear(users, project)
    with pytest.raises(ValidationError, match="已复审,部门意见不能再修改"):
        record(users, project, cands[:1], departments=["court"], agreed=False, reason="补充")


def test_a_rereview_that_disagrees_stops_the_candidate(nominated, users):
    """Q2: the group's 不同意 refuses the candidate with the reason."""
    project, cands = nominated
    record(users, project, cands)
    joint_rereview_record(
        actor=users.ds,
        project=project,
        candidate_ids=[cands[3].pk],
        agreed=False,
        reason="群众反映强烈",
        reviewed_on=timezone.localdate(),
    )
    cands[3].refresh_from_db()
    assert cands[3].status == CandidateStatus.REFUSED
    assert any("复审不同意:群众反映强烈" in f["message"] for f in cands[3].errors)
