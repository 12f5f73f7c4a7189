"""The transfer workflow at the service level (issue 17 组织关系转接): a member moves from a village of township A
to a community of township B and back with the letter and both confirmations; a transfer out of the district ends
with the receipt; a transfer in creates the member; who may do what; Chinese refusals; the letter's numbering."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from core.models import Event
from organizations.models import Member, MemberTransfer
from organizations.services.members import ID_NUMBER_NOT_AVAILABLE
from organizations.services.tree import members_move
from transfers import access
from transfers.models import LetterSequence, TransferKind, TransferRequest, TransferState
from transfers.selectors.requests import transfer_view
from transfers.selectors.transit import org_in_transit, todo_counts
from transfers.services.requests import DESTINATION_REFUSED, transfer_in_record, transfer_start
from transfers.services.workflow import Action, allowed_actions, transfer_move

DAY = date(2026, 5, 6)


def start(actor, member, to_org, **kw):
    return transfer_start(
        actor=actor, member=member, kind=TransferKind.WITHIN, to_org=to_org, reason="工作调动", started_on=DAY, **kw
    )


def issue(actor, transfer, on=DAY):
    return transfer_move(
        actor=actor, transfer=transfer, action=Action.ISSUE, on=on, valid_days=30, dues_paid_to="2026-04"
    )


def test_a_member_moves_to_another_townships_village_and_back(tree, users, members) -> None:
    member = members["a1"][0]
    t = start(users.sec_a1, member, tree.community_b1)
    assert t.state == TransferState.REVIEW and t.to_name == tree.community_b1.name
    assert Event.objects.filter(verb="transfer.start", target_id=str(t.pk)).exists()
    # the receiving side sees the request (its fields only) before the member is in its scope
    seen = access.transfer_for(users.sec_b1, t.pk)
    view = transfer_view(users.sec_b1, seen)
    assert not view.may_open_member and view.actions == []
    assert org_in_transit(users.sec_b1, tree.community_b1)[1] == [seen]

    t = issue(users.ts_a, t)
    assert (t.state, t.letter_number) == (TransferState.AWAITING, "〔2026〕第001号")
    assert t.issuing_committee == tree.township_a
    assert t.dues_paid_to == "2026年4月"
    assert todo_counts(users.sec_b1).to_confirm == 1
    assert allowed_actions(users.sec_b1, access.transfer_for(users.sec_b1, t.pk)) == [Action.CONFIRM, Action.RETURN]

    t = transfer_move(actor=users.sec_b1, transfer=t, action=Action.CONFIRM, on=date(2026, 5, 8), version=t.version)
    member.refresh_from_db()
    assert t.state == TransferState.RECEIVED and member.organization == tree.community_b1
    moved = MemberTransfer.objects.get(member=member)
    assert (moved.from_org, moved.to_org, moved.moved_on) == (tree.village_a1, tree.community_b1, date(2026, 5, 8))
    tree.village_a1.refresh_from_db()
    tree.community_b1.refresh_from_db()
    assert (tree.village_a1.member_count, tree.community_b1.member_count) == (7, 5)
    assert transfer_view(users.sec_b1, access.transfer_for(users.sec_b1, t.pk)).may_open_member

    # and back: township B numbers its own letters
    back = start(users.sec_b1, member, tree.village_a1)
    back = issue(users.ts_b, back)
    assert back.letter_number == "〔2026〕第001号" and back.issuing_committee == tree.township_b
    transfer_move(actor=users.sec_a1, transfer=back, action=Action.CONFIRM, on=date(2026, 5, 9))
    member.refresh_from_db()
    assert member.organization == tree.village_a1
    assert MemberTransfer.objects.filter(member=member).count() == 2  # the history keeps both moves
    assert Event.objects.filter(verb="transfer.confirm").count() == 2


def test_who_may_do_what(tree, users, members) -> None:
    member = members["a1"][1]
    with pytest.raises(PermissionDenied):
        start(users.sec_b1, member, tree.community_b1)  # not the sender's roster
    t = start(users.sec_a1, member, tree.community_b1)
    for actor in (users.sec_a1, users.ts_b, users.sec_b1):  # the letter is the committee over the sender's
        with pytest.raises(PermissionDenied):
            issue(actor, t)
    t = issue(users.ts_a, t)
    for actor in (users.sec_a1, users.ts_a):  # confirming is the receiver's
        with pytest.raises(PermissionDenied):
            transfer_move(actor=actor, transfer=t, action=Action.CONFIRM)
    # township B reads neither end of a transfer inside township A: the same 404 as a missing one
    inside = start(users.sec_a1, members["a1"][5], tree.branch_a21)
    answers = []
    for pk in (inside.pk, 10**6):
        with pytest.raises(Http404) as refused:
            access.transfer_for(users.ts_b, pk)
        answers.append(str(refused.value))
    assert answers[0] == answers[1]
    # a stale page is refused
    with pytest.raises(ValidationError, match="已被他人办理"):
        transfer_move(actor=users.sec_b1, transfer=t, action=Action.RETURN, note="不符", version=t.version - 1)


def test_a_member_in_transit_is_not_moved_or_transferred_again(tree, users, members) -> None:
    member = members["a1"][2]
    start(users.sec_a1, member, tree.community_b1)
    with pytest.raises(ValidationError, match="正在转接中"):
        start(users.sec_a1, member, tree.branch_a21)
    with pytest.raises(ValidationError, match="正在转接中"):
        members_move(actor=users.ts_a, members=[member], to_org=tree.branch_a21, moved_on=DAY)


def test_refusals_are_chinese(tree, users, members) -> None:
    member = members["a1"][3]
    with pytest.raises(ValidationError) as missing:
        start(users.sec_a1, member, None)
    with pytest.raises(ValidationError) as township:
        start(users.sec_a1, member, tree.township_b)
    assert missing.value.message_dict == township.value.message_dict == {"to_org": [DESTINATION_REFUSED]}
    with pytest.raises(ValidationError, match="现在所在"):
        start(users.sec_a1, member, tree.village_a1)
    with pytest.raises(ValidationError, match="转接原因"):
        transfer_start(actor=users.sec_a1, member=member, kind="within", to_org=tree.community_b1, reason=" ")
    with pytest.raises(ValidationError, match="区外"):
        transfer_start(actor=users.sec_a1, member=member, kind="out", reason="迁居")
    t = start(users.sec_a1, member, tree.community_b1)
    with pytest.raises(ValidationError, match="1至90天"):
        transfer_move(actor=users.ts_a, transfer=t, action=Action.ISSUE, on=DAY, valid_days=0, dues_paid_to="2026-04")
    with pytest.raises(ValidationError, match="理由"):
        transfer_move(actor=users.ts_a, transfer=t, action=Action.REFUSE, on=DAY, note="")
    with pytest.raises(ValidationError, match="不能早于"):
        issue(users.ts_a, t, on=date(2026, 5, 1))
    t = transfer_move(actor=users.ts_a, transfer=t, action=Action.REFUSE, on=DAY, note="党费未交清")
    assert t.state == TransferState.RETURNED
    with pytest.raises(ValidationError, match="不能开具介绍信"):
        issue(users.ts_a, t)


def test_letters_are_numbered_per_committee_and_year(tree, users, members) -> None:
    a, b, c = members["a1"][4:7]
    numbers = [issue(users.ts_a, start(users.sec_a1, m, tree.community_b1)).letter_number for m in (a, b)]
    later = issue(users.ts_a, start(users.sec_a1, c, tree.community_b1), on=date(2027, 1, 4))
    assert numbers == ["〔2026〕第001号", "〔2026〕第002号"] and later.letter_number == "〔2027〕第001号"
    assert LetterSequence.objects.get(committee=tree.township_a, year=2026).last == 2


def test_a_transfer_out_of_the_district_ends_with_the_receipt(tree, users, members) -> None:
    member = members["a1"][7]
    t = transfer_start(
        actor=users.sec_a1, member=member, kind=TransferKind.OUT, to_name="外县某镇党委", reason="迁居", started_on=DAY
    )
    t = issue(users.ts_a, t)
    assert t.state == TransferState.LETTER_OUT and t.to_org is None
    with pytest.raises(PermissionDenied):
        transfer_move(actor=users.sec_a1, transfer=t, action=Action.RECEIPT, on=DAY)
    t = transfer_move(actor=users.ts_a, transfer=t, action=Action.RECEIPT, on=date(2026, 5, 20), note="回执已寄回")
    member.refresh_from_db()
    assert t.state == TransferState.RECEIPTED
    assert (member.left_on, member.left_reason) == (date(2026, 5, 20), "组织关系转出")


def test_a_transfer_in_creates_the_member_on_confirmation(tree, users, members) -> None:
    data = {
        "name": "转入甲",
        "gender": "female",
        "ethnicity": "汉族",
        "birth_date": date(1992, 3, 4),
        "education": "bachelor",
        "joined_on": date(2015, 7, 1),
        "status": "full",
        "id_number": "110101199203040028",
        "phone": "",
    }
    t = transfer_in_record(
        actor=users.sec_b1,
        to_org=tree.community_b1,
        from_name="外市某党支部",
        letter_number="〔2026〕第088号",
        reason="",
        started_on=DAY,
        **data,
    )
    assert t.state == TransferState.AWAITING and t.member is None
    t = transfer_move(actor=users.sec_b1, transfer=t, action=Action.CONFIRM, on=DAY)
    assert Member.objects.get(id_number=data["id_number"]).organization == tree.community_b1
    # an ID number held by a member out of the recorder's scope: the same words whoever holds it (issue 12 §5)
    taken = {**data, "id_number": members["a1"][0].id_number}
    with pytest.raises(ValidationError) as refused:
        transfer_in_record(
            actor=users.sec_b1, to_org=tree.community_b1, from_name="外市", letter_number="1", reason="", **taken
        )
    assert refused.value.message_dict == {"id_number": [ID_NUMBER_NOT_AVAILABLE]}


def test_withdrawing_ends_it_and_frees_the_member(tree, users, members) -> None:
    member = members["a21"][0]
    t = start(users.ts_a, member, tree.community_b1)
    t = transfer_move(actor=users.ts_a, transfer=t, action=Action.WITHDRAW, note="本人不再调动")
    assert t.state == TransferState.WITHDRAWN and not TransferRequest.objects.get(pk=t.pk).is_open
    assert members_move(actor=users.ts_a, members=[member], to_org=tree.village_a1, moved_on=DAY) == 1
