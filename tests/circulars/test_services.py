"""The services of circulars: drafting with each way of choosing recipients, sending (notifications), 签收, replying
(late, closed), reminding at most once a day; each allowed actor leaves an Event, the others are refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from circulars import access
from circulars.models import Circular, Receipt
from circulars.selectors import circulars as selectors
from circulars.services import circulars as services
from circulars.services import receipts as receipt_services
from circulars.services.recipients import Choice, Mode
from circulars.todo import circulars_todo
from core.models import Event, Notification
from organizations.roles import Role
from organizations.services.grants import role_grant
from tests.circulars.conftest import pdf, values

pytestmark = pytest.mark.django_db


def _receipt(circular, org) -> Receipt:
    return Receipt.objects.select_related("circular__sender", "organization").get(circular=circular, organization=org)


def _orgs(circular) -> set[str]:
    return set(circular.receipts.values_list("organization__name", flat=True))


def test_drafts_by_each_way_of_choosing(tree, users):
    def draft(choice):
        return services.circular_create(actor=users.ts_a, sender=tree.township_a, values=values(), choice=choice)

    every = {"东风村党支部", "东风镇中学党总支", "东风镇中学第一党支部"}
    assert _orgs(draft(Choice(Mode.ALL))) == every
    assert _orgs(draft(Choice(Mode.KIND, kind="branch"))) == {"东风村党支部", "东风镇中学第一党支部"}
    assert _orgs(draft(Choice(Mode.ROLE, role=Role.BRANCH_SECRETARY))) == {"东风村党支部"}
    picked = draft(Choice(Mode.PICKED, picked=frozenset({tree.general_a2.pk, tree.community_b1.pk})))
    assert _orgs(picked) == {"东风镇中学党总支"}  # B1 is not under township A: never a recipient
    assert picked.state == "draft" and picked.audience == "逐个选择(共1个)"
    event = Event.objects.filter(verb="circulars.create", target_id=str(picked.pk)).get()
    assert event.org_path == tree.township_a.path and event.summary.startswith("东风镇党委:起草通知")
    district = services.circular_create(
        actor=users.ds, sender=tree.district, values=values(), choice=Choice(Mode.TOWNSHIPS)
    )
    assert _orgs(district) == {"东风镇党委", "城关街道党工委"}


def test_only_the_senders_staff_drafts(tree, users):
    for actor in (users.ts_b, users.sec_a1, users.viewer_a, users.liaison):
        with pytest.raises(PermissionDenied):
            services.circular_create(actor=actor, sender=tree.township_a, values=values(), choice=Choice(Mode.ALL))
    assert not Circular.objects.exists()


def test_bad_input_is_refused_in_chinese(tree, users):
    bad = values(title="", deadline=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ValidationError) as refused:
        services.circular_create(actor=users.ts_a, sender=tree.township_a, values=bad, choice=Choice(Mode.ALL))
    assert "请填写标题" in refused.value.messages
    assert any("早于今天" in m for m in refused.value.messages)
    with pytest.raises(ValidationError, match="接收的党组织"):
        services.circular_create(
            actor=users.ts_a, sender=tree.township_a, values=values(), choice=Choice(Mode.PICKED, picked=frozenset())
        )
    with pytest.raises(ValidationError, match="格式不支持"):
        services.circular_create(
            actor=users.ts_a,
            sender=tree.township_a,
            values=values(),
            choice=Choice(Mode.ALL),
            upload=pdf("病毒.exe"),
        )
    assert not Circular.objects.exists()


def test_sending_tells_the_accounts_of_every_recipient_once(sent, tree, users, django_capture_on_commit_callbacks):
    assert sent.state == "sent" and sent.sent_by == users.ts_a
    told = Notification.objects.filter(title__startswith="新通知公告").values_list("recipient__username", flat=True)
    assert set(told) == {"sec_a1", "liaison"}  # the accounts held at A1 and A2-1; A2 has none
    assert Event.objects.filter(verb="circulars.send", target_id=str(sent.pk)).exists()
    with pytest.raises(ValidationError, match="不能发送"):
        services.circular_move(actor=users.ts_a, circular=sent, move="send")
    with pytest.raises(PermissionDenied):
        services.circular_move(actor=users.sec_a1, circular=sent, move="close")
    with pytest.raises(ValidationError, match="不能再修改"):
        services.circular_update(actor=users.ts_a, circular=sent, values=values(), choice=Choice(Mode.ALL))


def test_a_draft_is_corrected_and_seen_by_the_sender_side_only(tree, users):
    draft = services.circular_create(actor=users.ts_a, sender=tree.township_a, values=values(), choice=Choice(Mode.ALL))
    with pytest.raises(Http404):
        access.circular_for(users.sec_a1, draft.pk)
    assert access.circular_for(users.ds, draft.pk) == draft
    services.circular_update(
        actor=users.ts_a,
        circular=draft,
        values=values(title="关于报送总结的通知"),
        choice=Choice(Mode.PICKED, picked=frozenset({tree.village_a1.pk})),
    )
    draft.refresh_from_db()
    assert draft.title == "关于报送总结的通知" and _orgs(draft) == {"东风村党支部"}
    assert Event.objects.filter(verb="circulars.update", target_id=str(draft.pk)).exists()


def test_the_secretary_reads_once_and_sees_only_its_own_receipt(sent, tree, users):
    receipt = _receipt(sent, tree.village_a1)
    receipt_services.receipt_read(actor=users.sec_a1, receipt=receipt)
    receipt_services.receipt_read(actor=users.sec_a1, receipt=_receipt(sent, tree.village_a1))
    receipt.refresh_from_db()
    assert receipt.read_by == users.sec_a1
    events = Event.objects.filter(verb="circulars.read")
    assert events.count() == 1 and events.get().org_path == tree.village_a1.path
    with pytest.raises(PermissionDenied):  # the township sees the receipt but does not sign for the branch
        receipt_services.receipt_read(actor=users.ts_a, receipt=_receipt(sent, tree.branch_a21))
    board = selectors.board_of(users.sec_a1, sent, timezone.localdate())
    assert [r.receipt.organization.name for r in board.rows] == ["东风村党支部"]
    with pytest.raises(Http404):
        access.circular_for(users.sec_b1, sent.pk)
    with pytest.raises(Http404):
        access.receipt_for(users.sec_a1, _receipt(sent, tree.branch_a21).pk)


def test_a_reply_with_a_file_and_a_late_one(sent, tree, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    receipt = receipt_services.receipt_reply(
        actor=users.sec_a1, receipt=_receipt(sent, tree.village_a1), text="已完成,见附件", upload=pdf()
    )
    assert receipt.read_at and receipt.replied_by == users.sec_a1
    assert [f.original_name for f in receipt.files.all()] == ["总结.pdf"]
    assert Event.objects.filter(verb="circulars.reply").get().summary == "东风村党支部:回复通知“关于报送年度总结的通知”"
    with pytest.raises(ValidationError, match="请填写回复内容或上传附件"):
        receipt_services.receipt_reply(actor=users.sec_a1, receipt=receipt, text="  ")
    Circular.objects.filter(pk=sent.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    late = receipt_services.receipt_reply(actor=users.sec_a1, receipt=_receipt(sent, tree.village_a1), text="补充")
    assert "(逾期)" in Event.objects.filter(verb="circulars.reply").latest("pk").summary
    board = selectors.board_of(users.ts_a, Circular.objects.get(pk=sent.pk), timezone.localdate())
    row = next(r for r in board.rows if r.receipt.pk == late.pk)
    assert row.late and board.counts["overdue"] == 2 and board.counts["replied"] == 1
    services.circular_move(actor=users.ts_a, circular=sent, move="close")
    with pytest.raises(ValidationError, match="不再接收回复"):
        receipt_services.receipt_reply(actor=users.sec_a1, receipt=_receipt(sent, tree.village_a1), text="再补充")


def test_remind_those_not_replied_once_a_day(sent, tree, users, django_capture_on_commit_callbacks):
    receipt_services.receipt_reply(actor=users.sec_a1, receipt=_receipt(sent, tree.village_a1), text="已报送")
    with pytest.raises(PermissionDenied):
        receipt_services.circular_remind(actor=users.sec_a1, circular=sent)
    with django_capture_on_commit_callbacks(execute=True):
        reminded = receipt_services.circular_remind(actor=users.ts_a, circular=sent)
    assert {r.organization.name for r in reminded} == {"东风镇中学党总支", "东风镇中学第一党支部"}
    assert Notification.objects.filter(title__startswith="提醒:", recipient=users.liaison).count() == 1
    assert not Notification.objects.filter(title__startswith="提醒:", recipient=users.sec_a1).exists()
    event = Event.objects.filter(verb="circulars.remind").get()
    assert event.after["count"] == 2
    with pytest.raises(ValidationError, match="每天最多提醒一次"):
        receipt_services.circular_remind(actor=users.ts_a, circular=sent)
    Receipt.objects.filter(circular=sent).update(reminded_on=timezone.localdate() - timedelta(days=1))
    assert len(receipt_services.circular_remind(actor=users.ts_a, circular=sent)) == 2


def test_the_daily_task_reminds_as_the_deadline_nears_once_a_day_with_the_button(
    sent, tree, users, django_capture_on_commit_callbacks
):
    from circulars.tasks import circulars_send_reminders
    from partybuild.celery import app

    assert app.conf.beat_schedule["circulars-reminders"]["task"] == circulars_send_reminders.name
    receipt_services.receipt_reply(actor=users.sec_a1, receipt=_receipt(sent, tree.village_a1), text="已报送")
    friday = date(2026, 12, 4)
    Circular.objects.filter(pk=sent.pk).update(deadline=date(2026, 12, 9))  # three working days away
    assert receipt_services.circulars_remind_due(today=friday) == 0
    Circular.objects.filter(pk=sent.pk).update(deadline=date(2026, 12, 8))  # Monday, Tuesday: two
    with django_capture_on_commit_callbacks(execute=True):
        assert receipt_services.circulars_remind_due(today=friday) == 2
    assert Notification.objects.filter(title__startswith="提醒:", recipient=users.liaison).count() == 1
    assert not Notification.objects.filter(title__startswith="提醒:", recipient=users.sec_a1).exists()
    event = Event.objects.get(verb="circulars.remind")
    assert event.actor_name == "系统" and event.after["count"] == 2 and "回复截止临近" in event.summary
    assert receipt_services.circulars_remind_due(today=friday) == 0  # idempotent within the day
    today = timezone.localdate()
    Circular.objects.filter(pk=sent.pk).update(deadline=today)
    Receipt.objects.filter(circular=sent).update(reminded_on=None)
    assert len(receipt_services.circular_remind(actor=users.ts_a, circular=sent)) == 2
    assert receipt_services.circulars_remind_due() == 0  # the button's reminder today counts for the task
    Receipt.objects.filter(circular=sent).update(reminded_on=None)
    assert receipt_services.circulars_remind_due() == 2
    with pytest.raises(ValidationError, match="每天最多提醒一次"):
        receipt_services.circular_remind(actor=users.ts_a, circular=sent)  # and the task's for the button
    assert receipt_services.circulars_remind_due(today=today + timedelta(days=3)) == 2  # passed: every day
    services.circular_move(actor=users.ts_a, circular=sent, move="close")
    assert receipt_services.circulars_remind_due(today=today + timedelta(days=4)) == 0
    assert set(Receipt.objects.filter(circular=sent).values_list("remind_count", flat=True)) == {0, 4}


def test_the_home_todo_counts_unread_and_waiting(sent, tree, users):
    section = circulars_todo(users.sec_a1)
    assert [(i.label, i.count) for i in section.items] == [("未读通知公告", 1), ("待回复通知公告", 0)]
    receipt_services.receipt_read(actor=users.sec_a1, receipt=_receipt(sent, tree.village_a1))
    section = circulars_todo(users.sec_a1)
    assert [(i.label, i.count) for i in section.items] == [("未读通知公告", 0), ("待回复通知公告", 1)]
    receipt_services.receipt_reply(actor=users.sec_a1, receipt=_receipt(sent, tree.village_a1), text="已报送")
    assert circulars_todo(users.sec_a1) is None
    assert circulars_todo(users.ds) is None


def test_a_township_answers_a_district_circular(tree, users):
    role_grant(actor=None, user=users.viewer_a, organization=tree.township_b, role=Role.VIEWER)
    circular = services.circular_create(
        actor=users.ds, sender=tree.district, values=values(), choice=Choice(Mode.TOWNSHIPS)
    )
    services.circular_move(actor=users.ds, circular=circular, move="send")
    receipt = _receipt(circular, tree.township_a)
    receipt_services.receipt_reply(actor=users.ts_a, receipt=receipt, text="已收到")
    with pytest.raises(PermissionDenied):  # a viewer reads, never answers
        receipt_services.receipt_reply(actor=users.viewer_a, receipt=_receipt(circular, tree.township_b), text="x")
    assert [r.receipt.organization.name for r in selectors.received_of(users.ts_a, timezone.localdate())] == [
        "东风镇党委"
    ]
