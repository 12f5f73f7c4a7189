"""A12 as 《中国共产党支部工作条例(试行)》第二十条 and the plan (第五篇 五 26) write it: a branch of fewer than 7 full
members has no committee ("设1名书记,必要时可以设1名副书记"), so its secretary is elected by the members' congress,
all the voters of the first round; with a committee, by the new committee's first plenary ("再召开委员会第一次全体
会议选举书记"); in a direct election (the plan's "也可采取直接选举的办法……再等额(或差额)选举新一届村(社区)党组织
书记、副书记"), by the congress too."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from elections.models import Candidate, CandidateStatus, ElectionMethod, Phase, RoundPurpose
from elections.rules.terms import has_committee, secretary_electorate, secretary_voted_by_committee
from elections.services.counts import count_totals
from elections.services.meeting import attendance_save, meeting_open
from elections.services.projects import project_create
from elections.services.rounds import round_close, round_open
from elections.services.voters import voters_register
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_branch_regulation_art_20_one_or_two_seats_are_no_committee() -> None:
    assert [has_committee(seats) for seats in (1, 2, 3, 5)] == [False, False, True, True]
    assert secretary_voted_by_committee(seats=3, direct=False)
    assert not secretary_voted_by_committee(seats=1, direct=False)
    assert not secretary_voted_by_committee(seats=5, direct=True)  # the plan's direct election: the congress
    assert secretary_electorate(has_committee=False) == "党员大会"


@pytest.fixture
def small_branch(tree, users, members, settings, tmp_path, calendar_2026):
    """A branch of 5 full members (3 in the shared tree, 2 more), 1 seat, indirect election, at its congress."""
    settings.MEDIA_ROOT = tmp_path / "media"
    branch = tree.branch_a21
    people = [*members["a21"], *MemberFactory.create_batch(2, organization=branch)]
    project = project_create(
        actor=users.ts_a, organization=branch, election_date=timezone.localdate() + timedelta(days=60), seats=1
    )
    voters_register(actor=users.ts_a, project=project)
    for member in people[:2]:
        Candidate.objects.create(project=project, member=member, status=CandidateStatus.APPROVED)
    type(project).objects.filter(pk=project.pk).update(status=Phase.ELECTING)  # the steps before are not this test's
    project.refresh_from_db()
    meeting = meeting_open(actor=users.ts_a, project=project, held_on=timezone.localdate())
    attendance_save(actor=users.ts_a, meeting=meeting, present_member_ids=[m.pk for m in people])
    return project, meeting, people


def _elect(users, ballot_round, name: str, present: int) -> None:
    count_totals(
        actor=users.ts_a,
        ballot_round=ballot_round,
        issued=present,
        returned=present,
        valid_ballots=present,
        invalid_ballots=0,
        votes={name: present},
    )
    round_close(actor=users.ts_a, ballot_round=ballot_round)


def test_branch_regulation_art_20_without_a_committee_the_members_congress_elects_the_secretary(small_branch, users):
    """5 full members, 1 seat: X elected in the first round does not elect himself (due=1, present=1); the
    secretary round counts against the congress's 5 due and 5 present."""
    project, meeting, people = small_branch
    first = round_open(actor=users.ts_a, meeting=meeting, purpose=RoundPurpose.COMMITTEE)
    assert (first.due, first.present) == (5, 5)
    _elect(users, first, people[0].name, 5)
    secretary = round_open(actor=users.ts_a, meeting=meeting, purpose=RoundPurpose.SECRETARY)
    assert secretary.names == [people[0].name]
    assert (secretary.due, secretary.excused, secretary.present) == (5, 0, 5)
    _elect(users, secretary, people[0].name, 5)
    secretary.refresh_from_db()
    assert secretary.result.valid and secretary.result.elected == [people[0].name]


def test_the_meeting_page_says_who_elects_the_secretary(small_branch, users):
    project, meeting, people = small_branch
    client = Client()
    client.force_login(users.ts_a)
    page = client.get(f"/elections/projects/{project.pk}/meeting/").content.decode()
    assert "书记、副书记由党员大会选举" in page
    type(project).objects.filter(pk=project.pk).update(seats=3, method=ElectionMethod.INDIRECT)
    page = client.get(f"/elections/projects/{project.pk}/meeting/").content.decode()
    assert "书记、副书记由新一届委员会全体会议选举" in page
