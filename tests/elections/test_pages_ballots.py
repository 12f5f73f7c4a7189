"""Ballot-by-ballot entry (one paper at a time, running counts, the count checks) and the pledges page:
role × scope, the happy path and the refusals with their rule."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from core.models import Event
from elections.models import BallotRound, ListStage, Meeting, PledgeKind, RoundStatus
from elections.services.ballots import ballot_add, ballots_so_far
from elections.services.candidates import candidates_promote
from elections.services.counts import NeedsConfirmation, count_totals
from elections.services.rounds import round_close
from tests.crawl_support import rule_codes_shown
from tests.elections.test_services import _nominate

pytestmark = pytest.mark.django_db

NAMES = ["王一", "李二", "张三"]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ballot_round(project):
    meeting = Meeting.objects.create(project=project, held_on=timezone.localdate(), present_count=8)
    return BallotRound.objects.create(
        meeting=meeting, number=1, purpose="committee", seats=2, names=NAMES, due=8, present=8
    )


def url(r) -> str:
    return f"/elections/rounds/{r.pk}/ballots/"


def add(client, r, marks: dict[int, str], write_ins: str = ""):
    data = {"action": "add", "write_ins": write_ins, **{f"mark_{i}": m for i, m in marks.items()}}
    return client.post(url(r), data, follow=True)


def test_ballots_one_at_a_time_with_running_counts_then_finished(ballot_round, users):
    client = client_for(users.sec_a1)
    assert "第1张" in client.get(url(ballot_round)).content.decode()
    for _ in range(5):
        add(client, ballot_round, {0: "for", 1: "for", 2: "against"})
    add(client, ballot_round, {0: "for", 1: "for", 2: "for"})  # three "for" with two seats: invalid (A7)
    page = add(client, ballot_round, {0: "against", 1: "abstain"}, write_ins="赵六").content.decode()
    assert "第7张已录入" in page and "第8张" in page
    progress = ballots_so_far(ballot_round)
    assert (progress.entered, progress.valid, progress.invalid) == (7, 6, 1)
    assert progress.votes == {"王一": 5, "李二": 5, "张三": 0, "赵六": 1}
    assert "多于应选名额" in page  # the invalid ballot's reason
    # a count that does not match the ballots entered is refused with its check
    refused = client.post(url(ballot_round), {"action": "finish", "issued": 8, "returned": 8})
    refused_text = refused.content.decode()
    assert "不等于收回选票" in refused_text and not rule_codes_shown(refused_text)
    done = client.post(url(ballot_round), {"action": "finish", "issued": 8, "returned": 7})
    assert done.status_code == 302
    ballot_round.refresh_from_db()
    assert ballot_round.status == RoundStatus.COUNTED and ballot_round.mode == "ballots"
    page = client.get(url(ballot_round)).content.decode()
    assert "未收回" in page and "第8张" not in page  # the check list, and no more entry form
    assert Event.objects.filter(verb="election.ballot").count() == 7
    # publishing confirms the warnings of a count entered one by one, as saving totals does (K7, K8)
    with pytest.raises(NeedsConfirmation) as unconfirmed:
        round_close(actor=users.sec_a1, ballot_round=ballot_round)
    assert {f.code for f in unconfirmed.value.findings} == {"K7", "K8"}
    result = round_close(actor=users.sec_a1, ballot_round=ballot_round, confirm=["K7", "K8"])
    assert result.valid and result.elected == ["王一", "李二"]
    assert any("未收回" in w for w in ballot_round.result.warnings)
    assert not any(w.startswith("K") for w in ballot_round.result.warnings)
    # the published result lists the names by votes (equal votes by name), as the result report does
    shown = client.get(f"/elections/rounds/{ballot_round.pk}/").content.decode()
    listed = shown[shown.index("结果:选举有效") :]
    assert [listed.index(f"{n}:") for n in ("李二", "王一", "赵六", "张三")] == sorted(
        listed.index(f"{n}:") for n in ("李二", "王一", "赵六", "张三")
    )


def test_undo_and_clear(ballot_round, users):
    client = client_for(users.sec_a1)
    add(client, ballot_round, {0: "for"})
    add(client, ballot_round, {1: "for"})
    client.post(url(ballot_round), {"action": "undo"})
    assert ballots_so_far(ballot_round).votes["李二"] == 0
    client.post(url(ballot_round), {"action": "clear"})
    assert ballot_round.ballots.count() == 0


def test_a_name_not_on_the_ballot_is_refused(ballot_round, users):
    from elections.rules.tally import Ballot, Mark

    with pytest.raises(Exception, match="选票上没有"):
        ballot_add(actor=users.sec_a1, ballot_round=ballot_round, ballot=Ballot({"外人": Mark.FOR}))


def test_no_ballots_after_totals(ballot_round, users):
    count_totals(
        actor=users.sec_a1,
        ballot_round=ballot_round,
        issued=8,
        returned=8,
        valid_ballots=8,
        invalid_ballots=0,
        votes={"王一": 6, "李二": 5, "张三": 1},
    )
    client = client_for(users.sec_a1)
    page = add(client, ballot_round, {0: "for"}).content.decode()
    assert "已按得票总数录入" in page
    assert ballot_round.ballots.count() == 0


@pytest.mark.parametrize(("user", "get", "post"), [("viewer_a", 200, 403), ("ts_b", 404, 404), ("sec_b1", 404, 404)])
def test_ballot_entry_refused(ballot_round, users, user, get, post):
    client = client_for(getattr(users, user))
    response = client.get(url(ballot_round))
    assert response.status_code == get
    if get == 200:
        assert "保存,下一张" not in response.content.decode()  # read-only: no dead button
    assert client.post(url(ballot_round), {"action": "add", "mark_0": "for"}).status_code == post
    assert ballot_round.ballots.count() == 0


def test_township_may_enter_too(ballot_round, users):
    add(client_for(users.ts_a), ballot_round, {0: "for"})
    assert ballot_round.ballots.count() == 1


# --- Pledges -------------------------------------------------------------------------------------------------


@pytest.fixture
def final_list(project, users, members):
    cands = _nominate(project, users, members["a1"])
    ids = [c.pk for c in cands]
    candidates_promote(actor=users.sec_a1, project=project, stage=ListStage.INSPECTION, candidate_ids=ids)
    candidates_promote(actor=users.sec_a1, project=project, stage=ListStage.FINAL, candidate_ids=ids)
    return cands


def test_pledges_recorded_and_shown(project, users, final_list):
    client = client_for(users.sec_a1)
    page = client.get(f"/elections/projects/{project.pk}/pledges/").content.decode()
    assert final_list[0].member.name in page and "保存承诺" in page
    today = timezone.localdate()
    response = client.post(
        f"/elections/projects/{project.pk}/pledges/",
        {
            "candidate": final_list[0].pk,
            "kind": PledgeKind.DISCIPLINE,
            "signed_on": today.isoformat(),
            "text": "严守纪律",
        },
    )
    assert response.status_code == 302
    assert final_list[0].pledges.get().kind == PledgeKind.DISCIPLINE
    assert Event.objects.filter(verb="election.pledge").exists()
    assert f"{today:%Y-%m-%d}签订" in client.get(f"/elections/projects/{project.pk}/pledges/").content.decode()


def test_pledge_signing_day_comes_prefilled_in_the_form_a_browser_takes(project, users, final_list):
    """<input type=date> takes only yyyy-mm-dd (the locale's "2026/11/29" showed an empty field)."""
    page = client_for(users.sec_a1).get(f"/elections/projects/{project.pk}/pledges/").content.decode()
    assert f'type="date" name="signed_on" value="{timezone.localdate().isoformat()}"' in page


def test_pledge_needs_a_candidate_of_the_list(project, users, final_list):
    response = client_for(users.sec_a1).post(
        f"/elections/projects/{project.pk}/pledges/",
        {"candidate": 999999, "kind": PledgeKind.DISCIPLINE, "signed_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()


@pytest.mark.parametrize(("user", "get", "post"), [("viewer_a", 200, 403), ("ts_b", 404, 404), ("liaison", 404, 404)])
def test_pledges_refused(project, users, final_list, user, get, post):
    client = client_for(getattr(users, user))
    response = client.get(f"/elections/projects/{project.pk}/pledges/")
    assert response.status_code == get
    if get == 200:
        assert "保存承诺" not in response.content.decode()
    data = {"candidate": final_list[0].pk, "kind": "discipline", "signed_on": timezone.localdate().isoformat()}
    assert client.post(f"/elections/projects/{project.pk}/pledges/", data).status_code == post
    assert not final_list[0].pledges.exists()
