"""A5 fewer pass than seats, 1990年《中国共产党基层组织选举工作暂行条例》第二十二条: "当选人数少于应选名额时,对不足的
名额可以另行选举。如果接近应选名额且符合规定的委员会最少人数,也可以由大会征得多数选举人同意,减少名额,不再进行选举"."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from core.models import Event
from elections.models import RoundPurpose, SeatReduction
from elections.rules.seats import check_reduction_vote, check_seats_filled, reduction_passed
from elections.services.approval import result_approve
from elections.services.counts import count_totals
from elections.services.rounds import round_close, round_open
from elections.services.seat_reduction import seats_left, seats_reduce
from tests.crawl_support import rule_codes_shown
from tests.elections.conftest import village_a1_at_congress

# --- the rule (no database) ----------------------------------------------------------------------------------


def test_agreement_is_more_than_half_of_those_present():
    """ "征得多数选举人同意": 8 present → 4 is not enough, 5 is."""
    assert not reduction_passed(votes_for=4, present=8) and reduction_passed(votes_for=5, present=8)


def test_result_with_seats_left_needs_a_further_ballot_or_the_vote():
    (refusal,) = check_seats_filled(seats=4, elected=3, reduced_to=None)
    assert "尚有1个名额未选出" in refusal.message and "减少名额" in refusal.message
    assert check_seats_filled(seats=4, elected=3, reduced_to=3) == []
    assert check_seats_filled(seats=4, elected=4, reduced_to=None) == []


def test_the_vote_needs_seats_left_and_no_more_voters_than_present():
    assert check_reduction_vote(seats=4, elected=4, votes_for=5, votes_against=0, abstained=0, present=8)
    assert check_reduction_vote(seats=4, elected=3, votes_for=6, votes_against=3, abstained=0, present=8)
    assert check_reduction_vote(seats=4, elected=3, votes_for=5, votes_against=3, abstained=0, present=8) == []


# --- recorded, and required at the township's approval --------------------------------------------------------


@pytest.fixture
def three_of_four(tree, users, members, settings, tmp_path, calendar_2026, election_date):
    """Village A1 elects 4 of 5 candidates; 3 pass the first round, 1 seat is left (the congress of 8 is held)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    village = members["a1"]
    project, meeting = village_a1_at_congress(users, tree, members, election_date, seats=4)
    first = round_open(actor=users.sec_a1, meeting=meeting, purpose=RoundPurpose.COMMITTEE)
    votes = {n: v for n, v in zip([m.name for m in village[:5]], [8, 7, 6, 4, 3], strict=True)}
    count_totals(
        actor=users.sec_a1, ballot_round=first, issued=8, returned=8, valid_ballots=8, invalid_ballots=0, votes=votes
    )
    result = round_close(actor=users.sec_a1, ballot_round=first)
    assert result.elected == [m.name for m in village[:3]] and result.seats_left == 1
    secretary = round_open(actor=users.sec_a1, meeting=meeting, purpose=RoundPurpose.SECRETARY)
    count_totals(
        actor=users.sec_a1,
        ballot_round=secretary,
        issued=secretary.present,
        returned=secretary.present,
        valid_ballots=secretary.present,
        invalid_ballots=0,
        votes={village[0].name: secretary.present},
    )
    round_close(actor=users.sec_a1, ballot_round=secretary)
    return project


@pytest.mark.django_db
def test_approval_with_a_seat_left_and_no_vote_is_refused(three_of_four, users):
    with pytest.raises(ValidationError, match="尚有1个名额未选出") as refused:
        result_approve(actor=users.ts_a, project=three_of_four)
    assert "A5" not in str(refused.value)


@pytest.mark.django_db
def test_the_congress_votes_to_reduce_the_seats_and_the_result_is_approved(three_of_four, users):
    project = three_of_four
    assert seats_left(project) == 1
    with pytest.raises(PermissionDenied):
        seats_reduce(actor=users.viewer_a, project=project, votes_for=5)
    reduction = seats_reduce(actor=users.sec_a1, project=project, votes_for=6, votes_against=1, abstained=1)
    assert reduction.passed and (reduction.seats_before, reduction.seats_after) == (4, 3)
    assert reduction.recorded_by == users.sec_a1 and reduction.present == 8
    assert Event.objects.filter(verb="election.seats_reduce").exists()
    assert seats_left(project) == 0
    first = project.meeting.rounds.get(number=1)
    with pytest.raises(ValidationError, match="不再另行选举"):
        round_open(actor=users.sec_a1, meeting=project.meeting, purpose=RoundPurpose.FURTHER, follows=first)
    with pytest.raises(ValidationError, match="已就减少名额进行过表决"):
        seats_reduce(actor=users.sec_a1, project=project, votes_for=6)
    result_approve(actor=users.ts_a, project=project, note="同意")
    project.refresh_from_db()
    assert project.new_term.seats == 3


@pytest.mark.django_db
def test_a_vote_that_fails_is_recorded_and_the_seat_stays_open(three_of_four, users):
    reduction = seats_reduce(actor=users.sec_a1, project=three_of_four, votes_for=4, votes_against=4)
    assert not reduction.passed and SeatReduction.objects.count() == 1
    with pytest.raises(ValidationError, match="尚有1个名额未选出"):
        result_approve(actor=users.ts_a, project=three_of_four)


@pytest.mark.django_db
def test_meeting_page_offers_the_vote_when_seats_are_left(three_of_four, users):
    project = three_of_four
    client = Client()
    client.force_login(users.sec_a1)
    page = client.get(f"/elections/projects/{project.pk}/").content.decode()
    meeting_url = f"/elections/projects/{project.pk}/meeting/"
    assert meeting_url in page
    page = client.get(meeting_url).content.decode()
    url = f"/elections/projects/{project.pk}/seats/reduce/"
    assert "尚有1个名额未选出" in page and url in page and not rule_codes_shown(page)
    response = client.post(url, {"votes_for": 6, "votes_against": 2, "abstained": 0})
    assert response.status_code == 302
    page = client.get(meeting_url).content.decode()
    assert "减少为3名" in page and "通过" in page
    viewer = Client()
    viewer.force_login(users.viewer_a)
    assert viewer.post(url, {"votes_for": 6}).status_code == 403
