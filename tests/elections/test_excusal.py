"""A1a: who may be left out of "due" (《中国共产党基层组织选举工作条例》第十六条), with the higher body's consent and
the congress's vote recorded."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from core.models import Event
from elections.models import ExcuseReason, Phase, RoundPurpose
from elections.rules.excusal import ExcusalRecord, check_excusal, check_vote, vote_passed
from elections.services.excusal import excusal_consent, excusal_problems, excusal_vote
from elections.services.meeting import meeting_open
from elections.services.rounds import round_open
from elections.services.voters import voter_excuse, voters_register
from tests.crawl_support import rule_codes_shown
from tests.elections.conftest import finish_steps


def test_sentence_ground_reads_as_article_16():
    """第十六条(三): "虽未受到留党察看以上党纪处分,但正在服刑的" — only a sentence being served excuses; a
    discipline short of 留党察看 does not, and a member under 留党察看 has no vote at all (A2)."""
    label = ExcuseReason.SENTENCED.label
    assert label == "虽未受到留党察看以上党纪处分,但正在服刑"
    assert "以外处分" not in label


# --- the rule (no database) ----------------------------------------------------------------------------------


def test_no_one_excused_needs_no_decision():
    assert check_excusal([], ExcusalRecord(), due=10) == []


def test_excused_without_consent_or_vote_is_refused():
    """第十六条: "经上级党组织同意,并经党员大会通过": the arithmetic alone (A1a's 50 − 2 = 48) is not enough."""
    (refusal,) = check_excusal([1, 2], ExcusalRecord(), due=50)
    assert "须经上级党组织同意" in refusal.message and "第十六条" in refusal.message
    (refusal,) = check_excusal([1, 2], ExcusalRecord(consented=frozenset({1, 2})), due=50)
    assert "须经党员大会表决通过" in refusal.message
    assert check_excusal([1, 2], ExcusalRecord(consented=frozenset({1, 2}), votes_for=26), due=50) == []


def test_a_changed_list_needs_a_new_consent():
    (refusal,) = check_excusal([1, 3], ExcusalRecord(consented=frozenset({1, 2}), votes_for=40), due=50)
    assert "名单已变更,须重新报批" in refusal.message


def test_vote_passes_with_more_than_half_of_those_due():
    """支部工作条例: "赞成人数超过应到会有表决权的党员的半数为通过": due 50 → 25 is not enough, 26 is."""
    assert not vote_passed(votes_for=25, due=50) and vote_passed(votes_for=26, due=50)
    (refusal,) = check_excusal([1], ExcusalRecord(consented=frozenset({1}), votes_for=25), due=50)
    assert "未获通过" in refusal.message
    assert check_vote(votes_for=40, votes_against=8, abstained=3, due=50)  # 51 votes of 50
    assert check_vote(votes_for=40, votes_against=7, abstained=3, due=50) == []


# --- recorded, and enforced where the ballot is opened --------------------------------------------------------


@pytest.fixture
def at_congress(electing, users, members):
    project = finish_steps(users.ds, electing, until=Phase.ELECTING)
    voters_register(actor=users.sec_a1, project=project)
    voter = project.voters.get(member=members["a1"][7])
    voter_excuse(actor=users.sec_a1, voter=voter, reason=ExcuseReason.SENTENCED)
    meeting = meeting_open(actor=users.sec_a1, project=project, held_on=timezone.localdate())
    return project, meeting


@pytest.mark.django_db
def test_ballot_refused_until_consent_and_vote_are_recorded(at_congress, users):
    project, meeting = at_congress
    with pytest.raises(ValidationError, match="须经上级党组织同意"):
        round_open(actor=users.sec_a1, meeting=meeting, purpose=RoundPurpose.COMMITTEE)
    with pytest.raises(PermissionDenied):
        excusal_consent(actor=users.sec_a1, project=project, document="同意")
    with pytest.raises(ValidationError, match="先经上级党组织同意"):
        excusal_vote(actor=users.sec_a1, project=project, votes_for=7, votes_against=0, abstained=0)
    decision = excusal_consent(actor=users.ts_a, project=project, document="某党委〔2026〕5号")
    assert decision.consent_by == users.ts_a and len(decision.consented_names) == 1
    assert Event.objects.filter(verb="election.excusal_consent", actor=users.ts_a).exists()
    assert excusal_problems(project) == [
        "1名党员不计入应到会人数,须经党员大会表决通过(《中国共产党基层组织选举工作条例》第十六条)"
    ]
    with pytest.raises(ValidationError, match="超过应到会"):
        excusal_vote(actor=users.sec_a1, project=project, votes_for=8, votes_against=1, abstained=0)
    decision = excusal_vote(actor=users.sec_a1, project=project, votes_for=7, votes_against=1, abstained=0)
    assert decision.voted_on == meeting.held_on and decision.vote_recorded_by == users.sec_a1
    assert excusal_problems(project) == []


@pytest.mark.django_db
def test_voters_page_shows_and_records_the_decisions(at_congress, users):
    """From the project's 选举登记 tab: the township consents, the village enters the congress's vote."""
    project, _ = at_congress
    township = Client()
    township.force_login(users.ts_a)
    page = township.get(f"/elections/projects/{project.pk}/").content.decode()
    voters_url = f"/elections/projects/{project.pk}/voters/"
    assert voters_url in page
    page = township.get(voters_url).content.decode()
    assert "须经上级党组织同意" in page and "同意不计入" in page and not rule_codes_shown(page)
    assert township.post(voters_url, {"consent": "1", "document": "某党委〔2026〕6号"}).status_code == 302
    secretary = Client()
    secretary.force_login(users.sec_a1)
    page = secretary.get(voters_url).content.decode()
    assert "某党委〔2026〕6号" in page and "党员大会表决" in page and "同意不计入" not in page
    response = secretary.post(voters_url, {"vote": "1", "votes_for": 7, "votes_against": 0, "abstained": 1})
    assert response.status_code == 302
    page = secretary.get(voters_url).content.decode()
    assert "赞成7人" in page and "须经" not in page
