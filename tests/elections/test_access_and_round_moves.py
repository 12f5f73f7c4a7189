"""The one way in (``elections.access``): 404 out of scope like missing, 403 in scope without the permission; and the
ballot round's table of moves (``ROUND_MOVES``), the only code that sets a round's status."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from elections import access
from elections.models import BallotRound, Meeting, RoundStatus
from elections.rules.tally import Ballot, Mark
from elections.services.ballots import ballot_add, ballots_clear, ballots_finish
from elections.services.rounds import round_close
from elections.services.workflow import ROUND_MOVES, round_transition
from organizations.roles import Perm

pytestmark = pytest.mark.django_db


@pytest.fixture
def ballot_round(project):
    meeting = Meeting.objects.create(project=project, held_on=timezone.localdate(), present_count=3)
    return BallotRound.objects.create(
        meeting=meeting, number=1, purpose="committee", seats=1, names=["王一", "李二"], due=3, present=3
    )


def test_project_for_is_404_out_of_scope_and_403_without_the_permission(project, users):
    assert access.project_for(users.viewer_a, project.pk) == project
    with pytest.raises(Http404):
        access.project_for(users.ts_b, project.pk)
    with pytest.raises(Http404):
        access.project_for(users.ts_a, 2**31 - 1)
    with pytest.raises(PermissionDenied):
        access.project_for(users.viewer_a, project.pk, perm=Perm.ELECTION_VILLAGE_STEPS)
    assert access.project_for(users.sec_a1, project.pk, perm=Perm.ELECTION_VILLAGE_STEPS) == project


def test_a_township_is_opened_for_only_as_a_township(tree, users):
    assert access.organization_for(users.ts_a, tree.township_a.pk, perm=Perm.ELECTION_MANAGE, township=True)
    with pytest.raises(Http404):
        access.organization_for(users.ts_a, tree.village_a1.pk, perm=Perm.ELECTION_MANAGE, township=True)
    with pytest.raises(PermissionDenied, match="启动换届选举的权限"):
        access.organization_for(users.viewer_a, tree.township_a.pk, perm=Perm.ELECTION_MANAGE, township=True)


def test_round_for_and_the_round_actions(ballot_round, users):
    assert access.round_for(users.sec_a1, ballot_round.pk, perm=Perm.ELECTION_VILLAGE_STEPS) == ballot_round
    with pytest.raises(Http404):
        access.round_for(users.sec_b1, ballot_round.pk)
    assert access.actions_for(users.viewer_a, ballot_round.meeting.project) == {"may_steps": False, "may_manage": False}
    assert access.actions_for(users.ts_a, ballot_round.meeting.project)["may_manage"] is True


def test_the_table_names_every_status_a_round_can_reach_and_none_leaves_a_published_round():
    assert {move.target for move in ROUND_MOVES.values()} == set(RoundStatus.values)
    published = {RoundStatus.VALID, RoundStatus.VOID}
    assert all(not (move.sources & published) for move in ROUND_MOVES.values())


def test_a_round_moves_only_as_the_table_says(ballot_round, users):
    with pytest.raises(ValidationError, match="不能公布计票结果"):
        round_transition(ballot_round, "publish_valid")  # open: nothing counted to publish
    for _ in range(3):
        ballot_add(actor=users.sec_a1, ballot_round=ballot_round, ballot=Ballot({"王一": Mark.FOR}))
    ballots_finish(actor=users.sec_a1, ballot_round=ballot_round, issued=3, returned=3)
    ballot_round.refresh_from_db()
    assert ballot_round.status == RoundStatus.COUNTED
    assert ballots_clear(actor=users.sec_a1, ballot_round=ballot_round) == 3
    ballot_round.refresh_from_db()
    assert ballot_round.status == RoundStatus.OPEN
    for _ in range(3):
        ballot_add(actor=users.sec_a1, ballot_round=ballot_round, ballot=Ballot({"王一": Mark.FOR}))
    ballots_finish(actor=users.sec_a1, ballot_round=ballot_round, issued=3, returned=3)
    round_close(actor=users.sec_a1, ballot_round=ballot_round)
    ballot_round.refresh_from_db()
    assert ballot_round.status == RoundStatus.VALID
    with pytest.raises(ValidationError, match="已公布|不能"):
        round_transition(ballot_round, "clear")
