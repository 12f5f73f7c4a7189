"""The election through its services: project → steps → voters → recommendations → eligibility → notice → meeting
→ count → secretary → approval, with the refusals each rule makes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from elections.models import (
    CandidatePost,
    CandidateStatus,
    ExcuseReason,
    ListStage,
    Phase,
    RecommendationRound,
    RoundPurpose,
    RoundStatus,
    StepTemplate,
    VoterStatus,
)
from elections.rules.tally import Ballot, Mark
from elections.services import workflow
from elections.services.approval import result_approve, secretary_status
from elections.services.candidates import (
    candidate_add,
    candidate_review,
    candidates_approve,
    candidates_promote,
    eligibility_record,
    recommendations_save,
)
from elections.services.counts import NeedsConfirmation, count_ballots, count_totals
from elections.services.meeting import attendance_save, meeting_open, scrutineers_save
from elections.services.notices import notice_publish
from elections.services.projects import project_create
from elections.services.rounds import round_close, round_open
from elections.services.voters import roll_counts, voter_excuse, voters_register
from organizations.models import MemberStatus, Position, Post
from tests.elections.conftest import finish_steps, joint_review_clear, pdf
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_project_has_the_32_steps_with_owners_and_due_dates(project, election_date):
    steps = list(project.steps.select_related("template"))
    assert [s.template.number for s in steps] == list(range(1, 33))
    assert {s.template.owner for s in steps} == {"village", "township", "county"}
    step26 = steps[25]
    assert step26.template.title == "投票选举" and step26.due_on == election_date
    assert project.status == Phase.PREPARING
    # idempotent: a second project of the same year reuses the templates
    assert StepTemplate.objects.filter(year=election_date.year).count() == 32


def test_committee_size_is_checked_b5(tree, users, members, calendar_2026, election_date):
    with pytest.raises(ValidationError, match="委员职数应为3至5名"):
        project_create(actor=users.ts_a, organization=tree.village_a1, election_date=election_date, seats=6)


def test_only_the_township_opens_a_project(tree, users, members, calendar_2026, election_date):
    with pytest.raises(PermissionDenied):
        project_create(actor=users.sec_a1, organization=tree.village_a1, election_date=election_date, seats=3)


def test_a_step_needs_its_documents_and_its_owner(project, users):
    step8 = project.steps.get(template__number=8)  # 请示、分工: village, 请示 + 批复
    step1 = project.steps.get(template__number=1)
    with pytest.raises(PermissionDenied):
        workflow.step_done(actor=users.sec_a1, step=step1)  # township's step
    with pytest.raises(ValidationError, match="尚未到该阶段"):
        workflow.step_done(actor=users.sec_a1, step=step8)
    finish_steps(users.ds, project, until=Phase.LAUNCHING)
    with pytest.raises(ValidationError, match="请示、批复"):
        workflow.step_done(actor=users.sec_a1, step=step8)
    workflow.document_upload(actor=users.sec_a1, step=step8, kind="request", upload=pdf())
    with pytest.raises(ValidationError, match="批复"):
        workflow.step_done(actor=users.sec_a1, step=step8)


def test_an_upload_that_is_not_what_it_says_is_refused(project, users):
    step = project.steps.get(template__number=3)
    fake = SimpleUploadedFile("审计.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError, match="不符"):
        workflow.document_upload(actor=users.ts_a, step=step, kind="other", upload=fake)
    assert not step.documents.exists()


def test_step_documents_go_through_the_shared_upload_validator(project, users):
    """core.uploads with elections' policy: a zip renamed .docx is no Word file; 20 MB at most."""
    import io
    import zipfile

    step = project.steps.get(template__number=3)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not a Word package")
    renamed = SimpleUploadedFile("名单.docx", buffer.getvalue())
    with pytest.raises(ValidationError, match="不符"):
        workflow.document_upload(actor=users.ts_a, step=step, kind="other", upload=renamed)
    assert workflow.STEP_DOCUMENTS.limit == "20MB"
    assert not step.documents.exists()


def test_phases_advance_when_their_steps_are_done(project, users):
    project = finish_steps(users.ds, project, until=Phase.MOBILIZING)
    assert project.status == Phase.MOBILIZING
    with pytest.raises(ValidationError):
        workflow.transition(actor=users.ds, project=project, action="elect")


def test_voters_from_the_roster_a2_and_excused_a1a(project, users, tree):
    MemberFactory(organization=tree.village_a1, status=MemberStatus.PROBATIONARY)
    MemberFactory(organization=tree.village_a1, is_migrant=True)
    assert voters_register(actor=users.sec_a1, project=project) == 10
    counts = roll_counts(project)
    assert counts["due"] == 9 and counts["ineligible"] == 1
    voter = project.voters.filter(status=VoterStatus.DUE).first()
    voter_excuse(actor=users.sec_a1, voter=voter, reason=ExcuseReason.ABROAD)
    counts = roll_counts(project)
    assert counts["effective"] == 8 and counts["quorum_needed"] == 7  # 5*7 > 4*8
    assert project.voters.filter(is_migrant=True).count() == 1
    probationary = project.voters.get(status=VoterStatus.INELIGIBLE)
    with pytest.raises(ValidationError, match="没有选举权"):
        voter_excuse(actor=users.sec_a1, voter=probationary, reason=ExcuseReason.ABROAD)


def _nominate(project, users, members, n=4):
    recommendations_save(
        actor=users.sec_a1,
        project=project,
        round=RecommendationRound.MEMBERS,
        counts={m.pk: 8 - i for i, m in enumerate(members[:n])},
    )
    cands = [candidate_add(actor=users.sec_a1, project=project, member=m) for m in members[:n]]
    for c in cands:
        eligibility_record(
            actor=users.ts_a, candidate=c, department="县纪委监委", results={f"barring:{i}": True for i in range(1, 12)}
        )
    return cands


def test_eligibility_refusal_names_the_rule(project, users, members, tree):
    young = MemberFactory(organization=tree.village_a1, status=MemberStatus.PROBATIONARY)
    c = candidate_add(actor=users.sec_a1, project=project, member=young)
    c = candidate_review(actor=users.ts_a, candidate=c)
    assert c.status == CandidateStatus.REFUSED
    assert c.errors[0]["rule"] == "A2" and "预备党员" in c.errors[0]["message"]
    other = candidate_add(actor=users.sec_a1, project=project, member=members["a1"][0])
    other = eligibility_record(actor=users.ts_a, candidate=other, department="县公安局", results={"barring:1": False})
    assert other.status == CandidateStatus.REFUSED
    assert other.errors[0]["rule"] == "三(五)(1)" and "刑事处罚" in other.errors[0]["message"]
    check = other.checks.get(rule="barring:1")
    assert check.department == "县公安局" and check.checked_by == users.ts_a and not check.passed


def test_the_township_cap_on_disciplined_nominees(project, users, members):
    c = candidate_add(
        actor=users.sec_a1,
        project=project,
        member=members["a1"][1],
        discipline="impact_ongoing",
        discipline_review_approved=True,
    )
    c = candidate_review(actor=users.ts_a, candidate=c)
    # township A has 2 children: 15 % of 2 → 0 such nominees allowed
    assert c.status == CandidateStatus.REFUSED and any(f["rule"] == "三(五)15%" for f in c.errors)


def test_margin_a11_on_the_inspection_list(project, users, members):
    cands = _nominate(project, users, members["a1"], n=3)
    with pytest.raises(ValidationError, match="第九条、第十三条"):
        candidates_promote(
            actor=users.sec_a1, project=project, stage=ListStage.INSPECTION, candidate_ids=[c.pk for c in cands]
        )


def test_notice_runs_five_working_days(project, users, members):
    cands = _nominate(project, users, members["a1"])
    ids = [c.pk for c in cands]
    candidates_promote(actor=users.sec_a1, project=project, stage=ListStage.INSPECTION, candidate_ids=ids)
    candidates_promote(actor=users.sec_a1, project=project, stage=ListStage.FINAL, candidate_ids=ids)
    notice = notice_publish(actor=users.sec_a1, project=project, starts_on=date(2026, 9, 28))
    # Mon 28, Tue 29, Wed 30 September, then the National Day holiday (1–8 October): 5th working day is 10 October
    # (a 调休 Saturday) or later; the calendar decides, never plain calendar days
    assert notice.ends_on >= date(2026, 10, 9)
    assert notice.is_open(date(2026, 9, 30)) and notice.is_open(notice.ends_on)
    assert not notice.is_open(notice.ends_on + timedelta(days=1)) and not notice.is_open(date(2026, 9, 27))


def test_the_whole_election_to_the_new_committee(electing, users, members, tree):
    project = electing
    village = members["a1"]
    old = Position.objects.create(
        organization=tree.village_a1, member=village[7], post=Post.SECRETARY, started_on=date(2021, 11, 1)
    )
    voters_register(actor=users.sec_a1, project=project)
    cands = _nominate(project, users, village, n=4)
    sec = candidate_add(actor=users.sec_a1, project=project, member=village[0], post=CandidatePost.SECRETARY)
    eligibility_record(
        actor=users.ts_a, candidate=sec, department="县委组织部", results={f"secretary:{i}": True for i in range(1, 10)}
    )
    ids = [c.pk for c in [*cands, sec]]
    candidates_promote(actor=users.sec_a1, project=project, stage=ListStage.INSPECTION, candidate_ids=ids)
    candidates_promote(actor=users.sec_a1, project=project, stage=ListStage.FINAL, candidate_ids=ids)
    joint_review_clear(users, project)
    candidates_approve(actor=users.ts_a, project=project)
    notice_publish(actor=users.sec_a1, project=project, starts_on=timezone.localdate())
    project = finish_steps(users.ds, project, until=Phase.ELECTING)

    meeting = meeting_open(actor=users.sec_a1, project=project, held_on=timezone.localdate())
    counts = attendance_save(actor=users.sec_a1, meeting=meeting, present_member_ids=[m.pk for m in village])
    assert counts["present"] == 8 and counts["quorum_met"]
    with pytest.raises(ValidationError, match="不得担任监票人"):
        scrutineers_save(actor=users.sec_a1, meeting=meeting, scrutineers=[village[0].name], counters=[])
    scrutineers_save(actor=users.sec_a1, meeting=meeting, scrutineers=[village[6].name], counters=["李四"])

    first = round_open(actor=users.sec_a1, meeting=meeting, purpose=RoundPurpose.COMMITTEE)
    names = first.names
    assert len(names) == 4 and first.seats == 3
    # a count that cannot be: K5 (a name above the valid ballots) is refused, naming the check
    with pytest.raises(ValidationError, match="多于有效票"):
        count_totals(
            actor=users.sec_a1,
            ballot_round=first,
            issued=8,
            returned=8,
            valid_ballots=8,
            invalid_ballots=0,
            votes={names[0]: 9},
        )
    # A4: two tied at the last seat → a further ballot for 1 seat between them
    votes = {village[0].name: 7, village[1].name: 6, village[2].name: 5, village[3].name: 5}
    count_totals(
        actor=users.sec_a1, ballot_round=first, issued=8, returned=8, valid_ballots=8, invalid_ballots=0, votes=votes
    )
    # a second entry by another person that differs: K9 must be confirmed
    with pytest.raises(NeedsConfirmation, match="两次录入不一致"):
        count_totals(
            actor=users.ts_a,
            ballot_round=first,
            issued=8,
            returned=8,
            valid_ballots=8,
            invalid_ballots=0,
            votes=votes | {village[3].name: 4},
        )
    count_totals(
        actor=users.ts_a, ballot_round=first, issued=8, returned=8, valid_ballots=8, invalid_ballots=0, votes=votes
    )
    result = round_close(actor=users.sec_a1, ballot_round=first)
    assert result.valid and result.elected == [village[0].name, village[1].name]
    assert sorted(result.next_ballot_candidates) == sorted([village[2].name, village[3].name])
    assert result.seats_left == 1 and result.next_ballot_rule == "A4"

    runoff = round_open(actor=users.sec_a1, meeting=meeting, purpose=RoundPurpose.FURTHER, follows=first)
    assert runoff.seats == 1 and sorted(runoff.names) == sorted([village[2].name, village[3].name])
    ballots = [Ballot(marks={village[2].name: Mark.FOR, village[3].name: Mark.AGAINST})] * 6 + [
        Ballot(marks={village[2].name: Mark.AGAINST, village[3].name: Mark.FOR})
    ] * 2
    count_ballots(actor=users.sec_a1, ballot_round=runoff, issued=8, returned=8, ballots=ballots)
    result = round_close(actor=users.sec_a1, ballot_round=runoff)
    assert result.elected == [village[2].name]

    secretary = round_open(actor=users.sec_a1, meeting=meeting, purpose=RoundPurpose.SECRETARY)
    assert secretary.names == [village[0].name] and secretary.due == 3
    count_totals(
        actor=users.sec_a1,
        ballot_round=secretary,
        issued=3,
        returned=3,
        valid_ballots=3,
        invalid_ballots=0,
        votes={village[0].name: 3},
    )
    round_close(actor=users.sec_a1, ballot_round=secretary)
    assert secretary_status(project) == "pending_approval"

    with pytest.raises(PermissionDenied):
        result_approve(actor=users.sec_a1, project=project)
    result_approve(actor=users.ts_a, project=project, note="同意")
    project.refresh_from_db()
    assert secretary_status(project) == "approved"
    current = {(p.member.name, p.post) for p in Position.objects.filter(organization=tree.village_a1, ended_on=None)}
    assert current == {
        (village[0].name, Post.SECRETARY),
        (village[1].name, Post.COMMITTEE_MEMBER),
        (village[2].name, Post.COMMITTEE_MEMBER),
    }
    old.refresh_from_db()
    assert old.ended_on is not None  # the old committee stays in the history
    assert project.new_term.seats == 3 and project.new_term.organization == tree.village_a1


def test_a_void_vote_without_quorum_says_why(electing, users, members):
    project = electing
    village = members["a1"]
    voters_register(actor=users.sec_a1, project=project)
    _nominate(project, users, village, n=4)
    ids = list(project.candidates.values_list("pk", flat=True))
    candidates_promote(actor=users.sec_a1, project=project, stage=ListStage.INSPECTION, candidate_ids=ids)
    candidates_promote(actor=users.sec_a1, project=project, stage=ListStage.FINAL, candidate_ids=ids)
    joint_review_clear(users, project)
    candidates_approve(actor=users.ts_a, project=project)
    notice_publish(actor=users.sec_a1, project=project, starts_on=timezone.localdate())
    project = finish_steps(users.ds, project, until=Phase.ELECTING)
    meeting = meeting_open(actor=users.sec_a1, project=project, held_on=timezone.localdate())
    counts = attendance_save(actor=users.sec_a1, meeting=meeting, present_member_ids=[m.pk for m in village[:6]])
    assert not counts["quorum_met"] and counts["quorum_needed"] == 7
    r = round_open(actor=users.sec_a1, meeting=meeting, purpose=RoundPurpose.COMMITTEE)
    count_totals(
        actor=users.sec_a1,
        ballot_round=r,
        issued=6,
        returned=6,
        valid_ballots=6,
        invalid_ballots=0,
        votes={village[0].name: 6},
    )
    result = round_close(actor=users.sec_a1, ballot_round=r)
    r.refresh_from_db()
    assert not result.valid and r.status == RoundStatus.VOID and "五分之四" in result.reason
