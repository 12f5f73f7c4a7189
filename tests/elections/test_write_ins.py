"""A8 另选他人 as 《中国共产党基层组织选举工作条例》第二十五条 writes it ("选举人对候选人可以投赞成票或者不赞成票,
也可以弃权。投不赞成票者可以另选他人"), and as the common 计票办法 reads a ballot that breaks it: only the part of the
ballot that cannot stand is void, the ballot's other marks are counted ("一张选票仅某一部分无法判断投票人意图时,
可将该部分作为废票,其余可辨认部分作为有效票"). A ballot with more "for" (marks plus valid write-ins) than seats stays
void (A7, 1990条例第二十条).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from elections.models import BallotRound, Meeting
from elections.rules.ballot import Ballot, Mark, read_ballot
from elections.rules.tally import TallyInput, tally
from elections.services.ballots import ballots_so_far
from tests.crawl_support import rule_codes_shown

F, A, X = Mark.FOR, Mark.AGAINST, Mark.ABSTAIN
NAMES = ("王一", "李二", "张三", "刘四")


def test_article_25_writing_in_a_printed_name_beside_its_own_against_counts_for_nobody() -> None:
    """甲 不赞成 and 甲 written in: not 另选他人 (甲 is on the ballot), so 甲 gets no vote from it."""
    reading = read_ballot(Ballot({"王一": A, "李二": F}, ("王一",)), seats=3, candidates=NAMES)
    assert reading.valid and reading.votes_for == ("李二",)
    assert "王一是选票上的候选人" in reading.note and "不计票" in reading.note


def test_article_25_writing_in_another_printed_name_counts_for_nobody_either() -> None:
    reading = read_ballot(Ballot({"王一": A, "李二": X}, ("李二",)), seats=3, candidates=NAMES)
    assert reading.valid and reading.votes_for == ()


def test_article_25_a_write_in_with_no_against_is_void_and_the_ballot_s_marks_still_count() -> None:
    reading = read_ballot(Ballot({"王一": F, "李二": X}, ("赵五",)), seats=3, candidates=NAMES)
    assert reading.valid and reading.votes_for == ("王一",)
    assert reading.note == (
        "另选他人1人(赵五),多于划“不赞成”的0人,另选无效,其余标记有效"
        "(《中国共产党基层组织选举工作条例》第二十五条:投不赞成票者可以另选他人)"
    )
    assert not re.search(r"[AK][0-9]", reading.note)


def test_article_25_more_write_ins_than_against_voids_every_write_in_of_that_ballot() -> None:
    """Nothing on the paper says which write-in stands beside the one 不赞成: the write-ins are the part of the ballot
    whose intent cannot be read, so all of them are void; the marks stand."""
    reading = read_ballot(Ballot({"王一": A, "李二": F}, ("赵五", "钱六")), seats=3, candidates=NAMES)
    assert reading.valid and reading.votes_for == ("李二",)
    assert "另选他人2人(赵五、钱六),多于划“不赞成”的1人" in reading.note


def test_a7_still_counts_valid_write_ins_toward_the_seats() -> None:
    """3 seats: 2 for + 1 write-in = 3 → valid; 3 for + 1 write-in → void (1990条例第二十条)."""
    ok = read_ballot(Ballot({"王一": F, "李二": F, "张三": A}, ("赵五",)), seats=3, candidates=NAMES)
    assert ok.valid and ok.votes_for == ("王一", "李二", "赵五") and ok.note == ""
    over = read_ballot(Ballot({"王一": F, "李二": F, "张三": F, "刘四": A}, ("赵五",)), seats=3, candidates=NAMES)
    assert not over.valid and over.reason == "赞成4人(含另选他人),多于应选名额3名"
    # a void write-in does not count toward the seats: 3 for and an unbacked write-in is a valid ballot
    kept = read_ballot(Ballot({"王一": F, "李二": F, "张三": F}, ("赵五",)), seats=3, candidates=NAMES)
    assert kept.valid and kept.votes_for == ("王一", "李二", "张三")


def test_the_tally_explains_each_void_write_in_on_the_result() -> None:
    unbacked = Ballot({"王一": F}, ("赵五",))
    printed = Ballot({"王一": A}, ("王一",))
    plain = Ballot({"王一": F, "李二": F})
    result = tally(TallyInput(2, 5, 5, 5, 5, NAMES, (unbacked, printed, plain, plain, plain)))
    assert result.valid_ballots == 5 and result.invalid_ballots == 0
    assert result.votes["王一"] == 4 and "赵五" not in result.votes
    assert any(n.startswith("第1张:另选他人1人(赵五)") for n in result.notes)
    assert any(n.startswith("第2张:") and "王一是选票上的候选人" in n for n in result.notes)


# --- Where ballots are entered: the counters see the void write-in and the ballot still counts --------------------


@pytest.fixture
def ballot_round(project):
    meeting = Meeting.objects.create(project=project, held_on=timezone.localdate(), present_count=8)
    return BallotRound.objects.create(
        meeting=meeting, number=1, purpose="committee", seats=2, names=["王一", "李二", "张三"], due=8, present=8
    )


@pytest.mark.django_db
def test_article_25_on_the_entry_page_an_unbacked_write_in_is_void_and_explained(ballot_round, users):
    client = Client()
    client.force_login(users.sec_a1)
    url = f"/elections/rounds/{ballot_round.pk}/ballots/"
    page = client.get(url).content.decode()
    assert "每划一个“不赞成”可另选一人" in page
    data = {"action": "add", "mark_0": "for", "mark_1": "abstain", "write_ins": "赵六"}
    page = client.post(url, data, follow=True).content.decode()
    assert "第1张已录入" in page
    progress = ballots_so_far(ballot_round)
    assert (progress.valid, progress.invalid) == (1, 0) and progress.votes == {"王一": 1, "李二": 0, "张三": 0}
    assert "第1张:另选他人1人(赵六),多于划“不赞成”的0人,另选无效,其余标记有效" in page
    assert not rule_codes_shown(page)
