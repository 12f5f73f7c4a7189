"""A9 as 《中国共产党基层组织选举工作条例》第二十四条 writes it: "因故未出席会议的党员或者代表不能委托他人代为投票"
(a member who cannot write may have a non-candidate fill in the ballot, "由本人委托非候选人按照选举人的意志代写": that
ballot is the member's own and is entered like any other). A ballot marked as cast for an absent member is refused
where ballots are entered, with the rule in words, and nothing is stored."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from core.models import Event
from elections.models import BallotEntry, BallotRound, Meeting
from elections.rules.ballot import Ballot, Mark
from elections.services.ballots import ballot_add
from tests.crawl_support import rule_codes_shown

pytestmark = pytest.mark.django_db

NAMES = ["王一", "李二", "张三"]


@pytest.fixture
def ballot_round(project):
    meeting = Meeting.objects.create(project=project, held_on=timezone.localdate(), present_count=8)
    return BallotRound.objects.create(
        meeting=meeting, number=1, purpose="committee", seats=2, names=NAMES, due=8, present=8
    )


def test_article_24_a_proxy_ballot_is_refused_by_the_service(ballot_round, users):
    with pytest.raises(ValidationError, match="不得委托他人代为投票") as refused:
        ballot_add(actor=users.sec_a1, ballot_round=ballot_round, ballot=Ballot({"王一": Mark.FOR}), proxy=True)
    assert "第二十四条" in refused.value.messages[0]
    assert not BallotEntry.objects.filter(round=ballot_round).exists()
    assert not Event.objects.filter(verb="election.ballot").exists()
    ballot_add(actor=users.sec_a1, ballot_round=ballot_round, ballot=Ballot({"王一": Mark.FOR}))  # the member's own
    assert BallotEntry.objects.filter(round=ballot_round).count() == 1


def test_article_24_the_entry_form_marks_a_proxy_ballot_and_refuses_it_in_words(ballot_round, users):
    client = Client()
    client.force_login(users.sec_a1)
    url = f"/elections/rounds/{ballot_round.pk}/ballots/"
    page = client.get(url).content.decode()
    assert 'name="proxy"' in page and "委托他人代投" in page
    data = {"action": "add", "mark_0": "for", "proxy": "on"}
    page = client.post(url, data, follow=True).content.decode()
    assert "不得委托他人代为投票,缺席党员不能投票(《中国共产党基层组织选举工作条例》第二十四条)" in page
    assert "第1张已录入" not in page and not rule_codes_shown(page)
    assert not BallotEntry.objects.filter(round=ballot_round).exists()
