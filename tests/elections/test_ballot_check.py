"""Ballot-by-ballot counts: finishing keeps who entered each ballot, and the double entry of this mode — another
person's check (核对) of the paper tally sheet's totals, compared with the ballots by K9 and confirmed by whoever
publishes the round. Services first (rules, refusals, permissions), then the pages (forms, 403/404)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from core.models import Event
from elections.models import BallotCheck, BallotRound, EntryMode, Meeting, RoundStatus
from elections.rules.tally import Ballot, Mark
from elections.services.ballots import (
    ballot_add,
    ballots_check,
    ballots_clear,
    ballots_finish,
    ballots_so_far,
    check_comparison,
    check_findings,
)
from elections.services.counts import REPLACE_BALLOTS, NeedsConfirmation, count_ballots, count_totals
from elections.services.rounds import round_close

pytestmark = pytest.mark.django_db

NAMES = ["王一", "李二", "张三"]
# Five ballots for two seats: 王一 5, 李二 4, 张三 1, and one ballot with three "for" (invalid, A7).
BALLOTS = [
    Ballot({"王一": Mark.FOR, "李二": Mark.FOR, "张三": Mark.AGAINST}),
    Ballot({"王一": Mark.FOR, "李二": Mark.FOR}),
    Ballot({"王一": Mark.FOR, "李二": Mark.FOR, "张三": Mark.ABSTAIN}),
    Ballot({"王一": Mark.FOR, "张三": Mark.FOR}),
    Ballot({"王一": Mark.FOR, "李二": Mark.FOR, "张三": Mark.FOR}),
    Ballot({"王一": Mark.FOR, "李二": Mark.AGAINST}, write_ins=("赵六",)),
]
# Publishing a ballot-by-ballot count confirms its warnings: one paper not returned (K7) and one invalid of six (K8).
WARNINGS = ["K7", "K8"]
AGREEING = {"valid_ballots": 5, "invalid_ballots": 1, "votes": {"王一": 5, "李二": 3, "张三": 1, "赵六": 1}}


@pytest.fixture
def ballot_round(project):
    meeting = Meeting.objects.create(project=project, held_on=timezone.localdate(), present_count=8)
    return BallotRound.objects.create(
        meeting=meeting, number=1, purpose="committee", seats=2, names=NAMES, due=8, present=8
    )


@pytest.fixture
def named(users):
    """Accounts with names, as the pages show them."""
    for user, (last, first) in [
        (users.sec_a1, ("张", "书记")),
        (users.ts_a, ("李", "干事")),
        (users.ds, ("王", "科长")),
    ]:
        user.last_name, user.first_name = last, first
        user.save(update_fields=["last_name", "first_name"])
    return users


def enter(actor, ballot_round, ballots=BALLOTS) -> None:
    for ballot in ballots:
        ballot_add(actor=actor, ballot_round=ballot_round, ballot=ballot)


@pytest.fixture
def finished(ballot_round, named):
    """All six ballots entered by the secretary, who finishes the entry (one not returned: K7)."""
    enter(named.sec_a1, ballot_round)
    ballots_finish(actor=named.sec_a1, ballot_round=ballot_round, issued=7, returned=6)
    ballot_round.refresh_from_db()
    return ballot_round


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(r) -> str:
    return f"/elections/rounds/{r.pk}/ballots/"


def round_url(r) -> str:
    return f"/elections/rounds/{r.pk}/"


# --- Who entered the ballots ---------------------------------------------------------------------------------


def test_finishing_keeps_every_ballot_and_who_entered_it(ballot_round, named):
    enter(named.sec_a1, ballot_round, BALLOTS[:4])
    enter(named.ts_a, ballot_round, BALLOTS[4:])
    before = list(ballot_round.ballots.order_by("number").values_list("pk", "number", "entered_by_id", "marks"))
    ballots_finish(actor=named.ds, ballot_round=ballot_round, issued=7, returned=6)
    after = list(ballot_round.ballots.order_by("number").values_list("pk", "number", "entered_by_id", "marks"))
    assert after == before  # the same rows: not deleted and made again by the one who finished
    assert [e for _, _, e, _ in after] == [named.sec_a1.pk] * 4 + [named.ts_a.pk] * 2
    ballot_round.refresh_from_db()
    assert (ballot_round.status, ballot_round.mode) == (RoundStatus.COUNTED, EntryMode.BALLOTS)
    assert (ballot_round.issued, ballot_round.returned, ballot_round.counted_by) == (7, 6, named.ds)
    progress = ballots_so_far(ballot_round)
    assert [str(run) for run in progress.entered_by] == ["张书记(第1–4张)", "李干事(第5–6张)"]
    finished = Event.objects.get(verb="election.count")
    assert "逐张录入选票6张,录入完毕" in finished.summary and finished.after == {"issued": 7, "returned": 6}
    page = client_for(named.ts_a).get(url(ballot_round)).content.decode()
    assert "录入人:张书记(第1–4张)、李干事(第5–6张);王科长确认全部录入" in page


def test_runs_split_when_entry_changes_hands_and_back(ballot_round, named):
    enter(named.sec_a1, ballot_round, BALLOTS[:2])
    enter(named.ts_a, ballot_round, BALLOTS[2:3])
    enter(named.sec_a1, ballot_round, BALLOTS[3:4])
    runs = ballots_so_far(ballot_round).entered_by
    assert [str(run) for run in runs] == ["张书记(第1–2张)", "李干事(第3张)", "张书记(第4张)"]


def test_a_refused_finish_keeps_the_ballots_and_the_round_open(ballot_round, named):
    enter(named.sec_a1, ballot_round)
    with pytest.raises(ValidationError, match="不等于收回选票"):
        ballots_finish(actor=named.ts_a, ballot_round=ballot_round, issued=8, returned=8)
    ballot_round.refresh_from_db()
    assert ballot_round.status == RoundStatus.OPEN and ballot_round.counted_by is None
    assert set(ballot_round.ballots.values_list("entered_by_id", flat=True)) == {named.sec_a1.pk}


def test_whole_list_entry_still_replaces_the_ballots(finished, named):
    ballots_clear(actor=named.sec_a1, ballot_round=finished)
    result = count_ballots(actor=named.ts_a, ballot_round=finished, issued=7, returned=6, ballots=list(BALLOTS))
    assert result.valid_ballots == 5 and result.invalid_ballots == 1
    finished.refresh_from_db()
    assert finished.status == RoundStatus.COUNTED and finished.counted_by == named.ts_a
    assert list(finished.ballots.values_list("entered_by_id", flat=True)) == [named.ts_a.pk] * 6


# --- The check: services -------------------------------------------------------------------------------------


def test_a_check_that_agrees_is_stored_with_who_and_when_and_the_round_closes(finished, named):
    check = ballots_check(actor=named.ts_a, ballot_round=finished, **AGREEING)
    assert check.entered_by == named.ts_a and check.entered_at is not None
    assert (check.valid_ballots, check.invalid_ballots) == (5, 1)
    assert check.votes == AGREEING["votes"]
    assert check_findings(finished) == []
    comparison = check_comparison(finished)
    assert comparison.independent and not comparison.pending and comparison.entered_by == "李干事"
    assert [(r.label, r.ballots, r.sheet) for r in comparison.rows] == [
        ("有效票", 5, 5),
        ("无效票", 1, 1),
        ("王一得票", 5, 5),
        ("李二得票", 3, 3),
        ("张三得票", 1, 1),
        ("赵六(另选)得票", 1, 1),
    ]
    event = Event.objects.get(verb="election.ballots_check")
    assert event.actor == named.ts_a and "录入计票单核对,与逐张录入的选票一致" in event.summary
    assert event.after["valid"] == 5 and event.after["differences"] == []
    result = round_close(actor=named.sec_a1, ballot_round=finished, confirm=WARNINGS)
    assert result.valid and result.elected == ["王一"] and not any("不一致" in w for w in result.warnings)


def test_the_result_is_read_from_the_ballots_not_the_check(finished, named):
    ballots_check(
        actor=named.ts_a,
        ballot_round=finished,
        valid_ballots=5,
        invalid_ballots=1,
        votes={"王一": 5, "李二": 5, "张三": 0},
    )
    result = round_close(actor=named.sec_a1, ballot_round=finished, confirm=["K9", *WARNINGS])
    assert result.votes["李二"] == 3 and result.elected == ["王一"]  # the ballots' 3, not the sheet's 5


def test_a_check_that_differs_must_be_confirmed_when_published(finished, named):
    ballots_check(
        actor=named.ts_a,
        ballot_round=finished,
        valid_ballots=6,
        invalid_ballots=0,
        votes={"王一": 6, "李二": 3, "张三": 1, "赵六": 1},
    )
    [finding] = check_findings(finished)
    assert finding.code == "K9"
    assert finding.message == ("逐张录入的选票与计票单核对不一致(选票/计票单):有效票(5/6)、无效票(1/0)、王一得票(5/6)")
    comparison = check_comparison(finished)
    assert [r.label for r in comparison.rows if r.differs] == ["有效票", "无效票", "王一得票"]
    event = Event.objects.get(verb="election.ballots_check")
    assert "不一致" in event.summary and event.after["differences"] == [finding.message]
    # published without confirming: refused, naming the fields, nothing stored
    with pytest.raises(NeedsConfirmation, match="王一得票") as refused:
        round_close(actor=named.sec_a1, ballot_round=finished, confirm=WARNINGS)
    assert "有效票(5/6)" in refused.value.messages[0]
    finished.refresh_from_db()
    assert finished.status == RoundStatus.COUNTED and not hasattr(finished, "result")
    # confirmed: published from the ballots, the confirmed difference kept with the result and in the audit trail
    result = round_close(actor=named.sec_a1, ballot_round=finished, confirm=["K9", *WARNINGS])
    assert result.valid and finding.message in result.warnings
    closed = Event.objects.get(verb="election.round_close")
    assert "已确认以逐张录入的选票为准" in closed.summary and closed.after["confirmed"][-1] == finding.message


def test_a_difference_corrected_by_entering_the_check_again(finished, named):
    ballots_check(actor=named.ts_a, ballot_round=finished, valid_ballots=5, invalid_ballots=1, votes={"王一": 4})
    assert check_findings(finished)
    ballots_check(actor=named.ds, ballot_round=finished, **AGREEING)  # another person may enter it again
    assert BallotCheck.objects.filter(round=finished).count() == 1
    assert check_findings(finished) == []
    again = Event.objects.filter(verb="election.ballots_check").latest("pk")
    assert "重新录入计票单核对" in again.summary and again.before["votes"] == {"王一": 4}
    assert round_close(actor=named.sec_a1, ballot_round=finished, confirm=WARNINGS).valid


def test_a_difference_corrected_by_entering_the_ballots_again(ballot_round, named):
    enter(named.sec_a1, ballot_round, BALLOTS[:5])  # one paper missed
    ballots_finish(actor=named.sec_a1, ballot_round=ballot_round, issued=7, returned=5)
    ballot_round.refresh_from_db()
    ballots_check(actor=named.ts_a, ballot_round=ballot_round, **AGREEING)
    [finding] = check_findings(ballot_round)
    assert "无效票(1/1)" not in finding.message and "李二得票" not in finding.message
    assert "有效票(4/5)" in finding.message and "赵六得票(0/1)" in finding.message
    ballots_clear(actor=named.sec_a1, ballot_round=ballot_round)
    ballot_round.refresh_from_db()
    comparison = check_comparison(ballot_round)
    assert comparison.pending and comparison.findings == []  # kept, compared again once the ballots are in
    enter(named.sec_a1, ballot_round)
    ballots_finish(actor=named.sec_a1, ballot_round=ballot_round, issued=7, returned=6)
    ballot_round.refresh_from_db()
    assert check_findings(ballot_round) == []
    assert round_close(actor=named.sec_a1, ballot_round=ballot_round, confirm=WARNINGS).valid


def test_a_round_without_a_check_still_closes(finished, named):
    assert check_comparison(finished) is None and check_findings(finished) == []
    assert round_close(actor=named.sec_a1, ballot_round=finished, confirm=WARNINGS).valid


def test_the_person_who_entered_ballots_may_not_check_them(ballot_round, named):
    enter(named.sec_a1, ballot_round, BALLOTS[:4])
    enter(named.ts_a, ballot_round, BALLOTS[4:])
    ballots_finish(actor=named.ds, ballot_round=ballot_round, issued=7, returned=6)
    for actor, message in [
        (named.sec_a1, "核对须由没有录入选票的另一人对照计票单录入:您录入了本轮第1–4张选票"),
        (named.ts_a, "您录入了本轮第5–6张选票"),
        (named.ds, "本轮的逐张录入是您确认录入完毕的"),
    ]:
        with pytest.raises(ValidationError, match=message):
            ballots_check(actor=actor, ballot_round=ballot_round, **AGREEING)
    assert not BallotCheck.objects.exists() and not Event.objects.filter(verb="election.ballots_check").exists()


def test_a_check_of_a_check_entered_by_someone_who_later_entered_ballots_is_flagged(finished, named):
    ballots_check(actor=named.ts_a, ballot_round=finished, **AGREEING)
    ballots_clear(actor=named.sec_a1, ballot_round=finished)
    enter(named.ts_a, finished)
    ballots_finish(actor=named.ts_a, ballot_round=finished, issued=7, returned=6)
    finished.refresh_from_db()
    assert not check_comparison(finished).independent
    page = client_for(named.sec_a1).get(round_url(finished)).content.decode()
    assert "这不是两人核对" in page


@pytest.mark.parametrize(
    ("numbers", "message"),
    [
        ({"valid_ballots": 5, "invalid_ballots": 1, "votes": {"王一": 9}}, "计票单:王一得票9票,多于有效票5张"),
        (
            {"valid_ballots": 2, "invalid_ballots": 4, "votes": {"王一": 2, "李二": 2, "张三": 2}},
            "计票单:各人得票合计6票",
        ),
        ({"valid_ballots": 5, "invalid_ballots": 1, "votes": {"王一": -1}}, "计票单:王一的得票数不能为负数"),
    ],
)
def test_a_check_that_cannot_be_a_tally_sheet_is_refused(finished, named, numbers, message):
    with pytest.raises(ValidationError, match=message):
        ballots_check(actor=named.ts_a, ballot_round=finished, **numbers)
    assert not BallotCheck.objects.exists()


def test_no_check_before_the_ballots_are_finished_or_after_publishing_or_for_totals(ballot_round, named):
    enter(named.sec_a1, ballot_round)
    with pytest.raises(ValidationError, match="本轮选票还没有全部录入"):
        ballots_check(actor=named.ts_a, ballot_round=ballot_round, **AGREEING)
    ballots_finish(actor=named.sec_a1, ballot_round=ballot_round, issued=7, returned=6)
    round_close(actor=named.sec_a1, ballot_round=ballot_round, confirm=WARNINGS)
    with pytest.raises(ValidationError, match="已公布结果"):
        ballots_check(actor=named.ts_a, ballot_round=ballot_round, **AGREEING)


def test_totals_mode_has_its_own_double_entry(ballot_round, named):
    count_totals(
        actor=named.sec_a1,
        ballot_round=ballot_round,
        issued=8,
        returned=8,
        valid_ballots=8,
        invalid_ballots=0,
        votes={"王一": 6, "李二": 5, "张三": 1},
    )
    with pytest.raises(ValidationError, match="由另一人再次录入计票结果即与第一次比对"):
        ballots_check(actor=named.ts_a, ballot_round=ballot_round, **AGREEING)


def test_switching_to_totals_drops_the_check(finished, named):
    ballots_check(actor=named.ts_a, ballot_round=finished, **AGREEING)
    count_totals(
        actor=named.ds,
        ballot_round=finished,
        issued=7,
        returned=6,
        valid_ballots=5,
        invalid_ballots=1,
        votes={"王一": 5, "李二": 3, "张三": 1},
        confirm=["K7", "K8", REPLACE_BALLOTS],
    )
    assert not BallotCheck.objects.exists() and not finished.ballots.exists()
    assert check_comparison(BallotRound.objects.get(pk=finished.pk)) is None


def test_a_user_without_the_permission_may_not_check(finished, users):
    with pytest.raises(PermissionDenied):
        ballots_check(actor=users.viewer_a, ballot_round=finished, **AGREEING)
    with pytest.raises(PermissionDenied):
        ballots_check(actor=users.sec_b1, ballot_round=finished, **AGREEING)  # another village's secretary


# --- The check: pages ----------------------------------------------------------------------------------------


def check_post(**overrides) -> dict:
    data = {"action": "check", "valid": "5", "invalid": "1", "votes_0": "5", "votes_1": "3", "votes_2": "1"}
    data |= {"write_in_name_0": "赵六", "write_in_votes_0": "1"}
    return data | overrides


def test_posting_the_check_form(finished, named):
    client = client_for(named.ts_a)
    page = client.get(url(finished)).content.decode()
    assert 'id="el-check-form"' in page and "两人核对:对照计票单录入(可选)" in page
    response = client.post(url(finished), check_post())
    assert response.status_code == 302 and response["Location"] == url(finished)
    check = BallotCheck.objects.get(round=finished)
    assert check.entered_by == named.ts_a and check.votes == AGREEING["votes"]
    page = client.get(url(finished)).content.decode()
    assert "核对已保存:计票单与逐张录入的选票一致" in page
    assert "李干事于" in page and "计票单与逐张录入的选票一致:有效票、无效票和每人得票都相同" in page
    assert "重新录入核对" in page
    round_page = client.get(round_url(finished)).content.decode()
    assert "计票单核对" in round_page and 'value="K9"' not in round_page


def test_a_differing_check_through_the_pages_then_published_with_confirmation(finished, named):
    client = client_for(named.ts_a)
    page = client.post(url(finished), check_post(votes_1="2"), follow=True).content.decode()
    assert "核对已保存。逐张录入的选票与计票单核对不一致(选票/计票单):李二得票(3/2)" in page
    assert "不一致</span>" in page
    publisher = client_for(named.sec_a1)
    round_page = publisher.get(round_url(finished)).content.decode()
    assert "李二得票(3/2)" in round_page and 'name="confirm" value="K9"' in round_page
    assert 'name="confirm" value="K7"' in round_page and 'name="confirm" value="K8"' in round_page
    refused = publisher.post(round_url(finished), {"action": "close", "confirm": WARNINGS}).content.decode()
    assert "公布前请核实以下情况并勾选确认" in refused and "李二得票(3/2)" in refused
    finished.refresh_from_db()
    assert finished.status == RoundStatus.COUNTED
    done = publisher.post(round_url(finished), {"action": "close", "confirm": ["K9", *WARNINGS]})
    assert done.status_code == 302
    finished.refresh_from_db()
    assert finished.status == RoundStatus.VALID
    assert any("李二得票(3/2)" in w for w in finished.result.warnings)
    assert "李二得票(3/2)" in publisher.get(round_url(finished)).content.decode()  # still shown after publishing


def test_the_check_form_keeps_what_was_typed_when_refused(finished, named):
    client = client_for(named.ts_a)
    missing = client.post(url(finished), check_post(votes_2="", write_in_votes_0="")).content.decode()
    assert "这个字段是必填项" in missing and "请填写另选他人赵六的得票数" in missing
    assert 'name="votes_1" value="3"' in missing and 'value="赵六"' in missing
    impossible = client.post(url(finished), check_post(votes_0="9")).content.decode()
    assert "计票单:王一得票9票,多于有效票5张" in impossible and 'name="votes_0" value="9"' in impossible
    on_ballot = client.post(url(finished), check_post(write_in_name_0="张三")).content.decode()
    assert "张三是选票上的候选人" in on_ballot
    assert not BallotCheck.objects.exists()


def test_the_one_who_entered_is_told_and_refused(finished, named):
    client = client_for(named.sec_a1)
    page = client.get(url(finished)).content.decode()
    assert 'id="el-check-form"' not in page and "请另一人登录后录入" in page
    refused = client.post(url(finished), check_post()).content.decode()  # a form posted anyway (another tab)
    assert "核对须由没有录入选票的另一人对照计票单录入" in refused and 'name="votes_1" value="3"' in refused
    assert not BallotCheck.objects.exists()


@pytest.mark.parametrize(("user", "get", "post"), [("viewer_a", 200, 403), ("ts_b", 404, 404), ("sec_b1", 404, 404)])
def test_the_check_refused_by_role_and_scope(finished, users, user, get, post):
    client = client_for(getattr(users, user))
    response = client.get(url(finished))
    assert response.status_code == get
    if get == 200:
        assert 'id="el-check-form"' not in response.content.decode()  # read-only: no dead form
    assert client.post(url(finished), check_post()).status_code == post
    assert not BallotCheck.objects.exists()


def test_totals_replace_ballots_entered_one_by_one_only_when_confirmed(finished, named):
    totals = {"issued": 7, "returned": 6, "valid_ballots": 5, "invalid_ballots": 1, "votes": {"王一": 5, "李二": 3}}
    with pytest.raises(NeedsConfirmation) as refused:
        count_totals(actor=named.ds, ballot_round=finished, confirm=["K7", "K8"], **totals)
    assert [f.code for f in refused.value.findings] == [REPLACE_BALLOTS]
    assert "已逐张录入6张选票" in refused.value.findings[0].message
    assert finished.ballots.count() == 6  # nothing deleted
    # through the page: the warning comes back as a box to tick, with the numbers typed still in the form
    client = client_for(named.ds)
    post = {"issued": "7", "returned": "6", "valid": "5", "invalid": "1", "votes_0": "5", "votes_1": "3"}
    page = client.post(round_url(finished), {**post, "confirm": ["K7", "K8"]}).content.decode()
    assert "已逐张录入6张选票" in page and 'value="5"' in page
    assert BallotRound.objects.get(pk=finished.pk).ballots.count() == 6
    client.post(round_url(finished), {**post, "confirm": ["K7", "K8", REPLACE_BALLOTS]})
    replaced = BallotRound.objects.get(pk=finished.pk)
    assert replaced.mode == EntryMode.TOTALS and not replaced.ballots.exists()
