"""取消候选人资格 and 宣布当选无效, 第五篇 六.2: "对候选人及其亲友直接或指使他人用金钱、财物或者其他利益收买本村选民,
被确认为有贿选行为的,取消其候选人资格或宣布其当选无效". Decided by the township or the district with the reason, the
body, the document; a disqualified candidate is on no later ballot; an annulled election frees the seat for a further
ballot (the A5 path), ends the post and is approved again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import Event
from elections.models import CandidateStatus, DecidingBody, Phase, RoundPurpose
from elections.rules.incidents import Ground
from elections.services.annulment import Decision, candidate_disqualify, result_annul
from elections.services.approval import result_approve
from elections.services.counts import count_totals
from elections.services.rounds import elected_for, round_close, round_open
from elections.services.seat_reduction import seats_left
from organizations.models import Position
from tests.elections.conftest import finish_steps, pdf, village_a1_at_congress

pytestmark = pytest.mark.django_db


def decision(**kw) -> Decision:
    data = {
        "ground": Ground.BRIBERY,
        "reason": "经查实,其亲属向选民发放购物卡",
        "body": DecidingBody.TOWNSHIP,
        "decided_by_name": "镇党委书记王某",
        "document_number": "镇党委〔2026〕12号",
        "decided_on": timezone.localdate(),
    }
    return Decision(**{**data, **kw})


def _count(actor, ballot_round, votes):
    n = ballot_round.present
    count_totals(
        actor=actor, ballot_round=ballot_round, issued=n, returned=n, valid_ballots=n, invalid_ballots=0, votes=votes
    )
    return round_close(actor=actor, ballot_round=ballot_round)


@pytest.fixture
def at_congress(tree, users, members, settings, tmp_path, calendar_2026, election_date):
    """Village A1 (8 full members), 3 seats, 5 approved committee candidates and a secretary nominee; the congress
    is open, everyone present, no round yet."""
    settings.MEDIA_ROOT = tmp_path / "media"
    project, _meeting = village_a1_at_congress(users, tree, members, election_date, seats=3)
    return project


@pytest.fixture
def approved(at_congress, users, members):
    """甲乙丙 (village[0..2]) elected of 5 (village[4] first disqualified for 贿选), 甲 secretary, approved, and the
    electing steps done: the project is in 后续工作 with the new committee in post."""
    project, village = at_congress, members["a1"]
    candidate_disqualify(actor=users.ts_a, candidate=project.candidates.get(member=village[4]), decision=decision())
    first = round_open(actor=users.sec_a1, meeting=project.meeting, purpose=RoundPurpose.COMMITTEE)
    assert village[4].name not in first.names and len(first.names) == 4
    _count(users.sec_a1, first, {m.name: 8 - i for i, m in enumerate(village[:3])} | {village[3].name: 2})
    secretary = round_open(actor=users.sec_a1, meeting=project.meeting, purpose=RoundPurpose.SECRETARY)
    _count(users.sec_a1, secretary, {village[0].name: secretary.present})
    result_approve(actor=users.ts_a, project=project, note="同意")
    return finish_steps(users.ds, project, until=Phase.FOLLOWING_UP)


def test_disqualification_takes_the_candidate_off_every_list(at_congress, users, members):
    project, village = at_congress, members["a1"]
    candidate = project.candidates.get(member=village[0], post="committee")
    with pytest.raises(PermissionDenied):
        candidate_disqualify(actor=users.sec_a1, candidate=candidate, decision=decision())
    with pytest.raises(ValidationError) as refused:
        candidate_disqualify(actor=users.ts_a, candidate=candidate, decision=decision(reason="", document_number=""))
    assert refused.value.messages == ["请填写查实情况", "请填写决定文号"]
    sanction = candidate_disqualify(
        actor=users.ds, candidate=candidate, decision=decision(body=DecidingBody.DISTRICT, upload=pdf("决定.pdf"))
    )
    assert sanction.original_name == "决定.pdf" and sanction.file.name.startswith("elections/sanctions/")
    statuses = set(project.candidates.filter(member=village[0]).values_list("status", flat=True))
    assert statuses == {CandidateStatus.DISQUALIFIED}  # committee and secretary candidacies both
    event = Event.objects.get(verb="election.disqualify")
    assert "取消" in event.summary and "区委组织部" in event.summary and "贿选" in event.summary
    with pytest.raises(ValidationError, match="已经取消"):
        candidate_disqualify(actor=users.ts_a, candidate=candidate, decision=decision())


def test_a_bad_file_leaves_nothing(at_congress, users, members):
    from django.core.files.uploadedfile import SimpleUploadedFile

    candidate = at_congress.candidates.get(member=members["a1"][1], post="committee")
    bad = SimpleUploadedFile("决定.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError):
        candidate_disqualify(actor=users.ts_a, candidate=candidate, decision=decision(upload=bad))
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.APPROVED


def test_annulment_reopens_the_seat_and_the_reelection_is_approved(approved, users, members):
    """宣布乙当选无效 in 后续工作: 乙's post ends, the project goes back to 大会选举, the seat goes to a further ballot
    among those neither elected nor struck off (丁, not the disqualified 戊), and is approved again into the same
    term."""
    project, village = approved, members["a1"]
    term = project.new_term
    assert project.status == Phase.FOLLOWING_UP
    with pytest.raises(PermissionDenied):
        result_annul(actor=users.viewer_a, project=project, name=village[1].name, decision=decision())
    with pytest.raises(ValidationError, match="没有当选"):
        result_annul(actor=users.ts_a, project=project, name=village[3].name, decision=decision())
    with pytest.raises(ValidationError, match="决定日期不能晚于今天"):
        result_annul(
            actor=users.ts_a,
            project=project,
            name=village[1].name,
            decision=decision(decided_on=timezone.localdate() + timedelta(days=1)),
        )
    result_annul(actor=users.ds, project=project, name=village[1].name, decision=decision(body=DecidingBody.DISTRICT))
    project.refresh_from_db()
    assert project.status == Phase.ELECTING and seats_left(project) == 1
    assert village[1].name not in elected_for(project, "committee")
    assert not Position.objects.filter(term=term, member=village[1], ended_on__isnull=True).exists()
    assert Event.objects.filter(verb="election.annul", summary__contains="当选无效").exists()
    assert Event.objects.filter(verb="election.phase", summary__contains="重新进入大会选举").exists()
    with pytest.raises(ValidationError, match="尚有1个名额未选出"):
        result_approve(actor=users.ts_a, project=project)
    first = project.meeting.rounds.get(number=1)
    further = round_open(actor=users.sec_a1, meeting=project.meeting, purpose=RoundPurpose.FURTHER, follows=first)
    assert (further.names, further.seats) == ([village[3].name], 1)
    _count(users.sec_a1, further, {village[3].name: 6})
    result_approve(actor=users.ts_a, project=project, note="同意补选结果")
    project.refresh_from_db()
    assert project.status == Phase.FOLLOWING_UP and project.new_term == term
    in_post = set(Position.objects.filter(term=term, ended_on__isnull=True).values_list("member__name", flat=True))
    assert in_post == {village[0].name, village[2].name, village[3].name}
    with pytest.raises(ValidationError, match="已经宣布无效"):
        result_annul(actor=users.ts_a, project=project, name=village[1].name, decision=decision())


def test_annulling_the_secretary_needs_a_new_secretary_before_approval(approved, users, members):
    project, village = approved, members["a1"]
    result_annul(actor=users.ts_a, project=project, name=village[0].name, decision=decision())
    project.refresh_from_db()
    assert elected_for(project, "secretary") == []
    first = project.meeting.rounds.get(number=1)
    further = round_open(actor=users.sec_a1, meeting=project.meeting, purpose=RoundPurpose.FURTHER, follows=first)
    _count(users.sec_a1, further, {village[3].name: 6})
    with pytest.raises(ValidationError, match="尚未选举书记"):
        result_approve(actor=users.ts_a, project=project)
    secretary = round_open(actor=users.sec_a1, meeting=project.meeting, purpose=RoundPurpose.SECRETARY)
    assert village[0].name not in secretary.names
    _count(users.sec_a1, secretary, {village[2].name: secretary.present})
    result_approve(actor=users.ts_a, project=project)
    posts = dict(
        Position.objects.filter(term=project.new_term, ended_on__isnull=True).values_list("member__name", "post")
    )
    assert posts[village[2].name] == "secretary" and village[0].name not in posts


def test_an_elected_person_is_annulled_not_disqualified(approved, users, members):
    candidate = approved.candidates.get(member=members["a1"][1], post="committee")
    with pytest.raises(ValidationError, match="应宣布其当选无效"):
        candidate_disqualify(actor=users.ts_a, candidate=candidate, decision=decision())
