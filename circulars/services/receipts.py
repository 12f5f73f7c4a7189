"""Writes of the recipients' side and the sender's reminder: read a circular for an organization (签收), reply with
text and files (before or after the deadline: a late reply is kept and shown 逾期), and remind the organizations
that have not replied (U2: at most once a day each), by hand or by the daily task as the deadline nears (U4). Each
checks the actor, saves in one transaction and writes an audit event: on the receipt (scoped to the recipient) or
on the circular (scoped to the sender)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from circulars.models import Circular, Receipt
from circulars.rules import receipts as rules
from circulars.rules.receipts import CircularState
from circulars.services import recipients
from circulars.services.circulars import CIRCULAR_UPLOADS, SEND, store_file
from core import audit
from core.notifications import Reminder, reminders_deliver
from core.uploads import validate_upload
from core.workdays import load_calendar
from organizations.roles import Perm
from organizations.scope import can, grants_for

ANSWER = Perm.EDIT_ROSTER
REPLY_MAX = 5000


def _check_answer(actor: Any, receipt: Receipt) -> None:
    held = any(g.org_id == receipt.organization_id and ANSWER in g.perms for g in grants_for(actor))
    if not held:
        raise PermissionDenied(f"只有{receipt.organization.name}的书记或工作人员可以签收和回复")


def _mark_read(actor: Any, receipt: Receipt) -> bool:
    if receipt.read_at is not None:
        return False
    receipt.read_at, receipt.read_by = timezone.now(), actor
    receipt.save(update_fields=["read_at", "read_by"])
    audit.record_on(
        receipt, actor=actor, verb="circulars.read", summary=f"签收通知“{receipt.circular.title}”", after={"read": 1}
    )
    return True


def receipt_read(*, actor: Any, receipt: Receipt) -> Receipt:
    """Mark the circular read for the receipt's organization (签收): once; opening it again changes nothing."""
    _check_answer(actor, receipt)
    if receipt.circular.state == CircularState.DRAFT:
        raise ValidationError("通知尚未发送")
    with transaction.atomic():
        locked = Receipt.objects.select_for_update().select_related("circular", "organization").get(pk=receipt.pk)
        _mark_read(actor, locked)
    return locked


def receipt_reply(*, actor: Any, receipt: Receipt, text: str, upload: UploadedFile | None = None) -> Receipt:
    """Reply for the organization with text and a file (at least one of them). A reply replaces the organization's
    earlier text and adds its file; after the deadline it is accepted and shown 逾期; a closed circular takes none."""
    _check_answer(actor, receipt)
    text = (text or "").strip()
    if not text and upload is None:
        raise ValidationError("请填写回复内容或上传附件")
    if len(text) > REPLY_MAX:
        raise ValidationError(f"回复内容不能超过{REPLY_MAX}字")
    validate_upload(upload, CIRCULAR_UPLOADS)
    with transaction.atomic():
        locked = Receipt.objects.select_for_update().select_related("circular", "organization").get(pk=receipt.pk)
        circular = locked.circular
        if circular.state != CircularState.SENT:
            raise ValidationError(
                "通知已结束,不再接收回复" if circular.state == CircularState.CLOSED else "通知尚未发送"
            )
        _mark_read(actor, locked)
        today = timezone.localdate()
        before = audit.snapshot(locked, ("reply",))
        locked.reply = text or locked.reply
        locked.replied_at, locked.replied_by = timezone.now(), actor
        locked.save(update_fields=["reply", "replied_at", "replied_by"])
        late = rules.replied_late(replied_on=today, deadline=circular.deadline)
        audit.record_on(
            locked,
            actor=actor,
            verb="circulars.reply",
            summary=f"回复通知“{circular.title}”" + ("(逾期)" if late else ""),
            before=before,
            after={**audit.snapshot(locked, ("reply",)), "late": late},
        )
        if upload is not None:
            store_file(actor, circular, locked, upload)
    return locked


def circular_remind(*, actor: Any, circular: Circular) -> list[Receipt]:
    """Remind the recipients that have not replied (or not read, when no reply is asked), each organization at
    most once a day (U2), through ``reminders_deliver``; one audit event names them. Returns the receipts reminded."""
    if not can(actor, SEND, circular.sender):
        raise PermissionDenied("只有发文单位的工作人员可以提醒")
    today = timezone.localdate()
    with transaction.atomic():
        locked = Circular.objects.select_for_update().select_related("sender").get(pk=circular.pk)
        if locked.state != CircularState.SENT:
            raise ValidationError(f"通知当前为“{locked.get_state_display()}”,不能提醒")
        pending = [
            r
            for r in locked.receipts.select_related("organization").order_by("organization__path", "pk")
            if rules.needs_reminder(
                read=r.read_at is not None, replied=r.replied_at is not None, reply_required=locked.reply_required
            )
        ]
        due = [r for r in pending if rules.may_remind(last_reminded_on=r.reminded_on, today=today)]
        if not pending:
            raise ValidationError("所有接收党组织都已回复,无需提醒")
        if not due:
            raise ValidationError("今天已经提醒过尚未回复的党组织,每个党组织每天最多提醒一次,请明天再提醒")
        for r in due:
            r.reminded_on, r.remind_count = today, r.remind_count + 1
        Receipt.objects.bulk_update(due, ["reminded_on", "remind_count"])
        names = [r.organization.name for r in due]
        audit.record_on(
            locked,
            actor=actor,
            verb="circulars.remind",
            summary=f"提醒{len(due)}个党组织回复通知“{locked.title}”",
            after={"organizations": names[:50], "count": len(due)},
        )
        ids = [r.organization_id for r in due]
        pk = locked.pk
        transaction.on_commit(lambda: _deliver_reminders(pk, ids))
    return due


def circulars_remind_due(*, today: date | None = None) -> int:
    """The daily task's reminder (U4): for every sent circular whose reply deadline is within
    ``REMIND_BEFORE_WORKDAYS`` working days or has passed, remind the organizations not replied, each at most once a
    day under the same rule (and the same ``reminded_on``) as the 提醒未回复 button (U2): a run after the button, or a
    second run the same day, reminds nobody again. One audit event per circular (actor 系统). Returns how many
    organizations were reminded."""
    today = today or timezone.localdate()
    horizon, _ = load_calendar().provisional_window_end(today, rules.REMIND_BEFORE_WORKDAYS, working_days=True)
    with transaction.atomic():
        rows = (
            Receipt.objects.select_for_update(of=("self",))
            .filter(
                circular__state=CircularState.SENT,
                circular__reply_required=True,
                circular__deadline__lte=horizon,
                replied_at__isnull=True,
            )
            .select_related("circular__sender", "organization")
            .order_by("circular_id", "organization__path", "pk")
        )
        due: dict[int, list[Receipt]] = {}
        for r in rows:
            c = r.circular
            if rules.deadline_reminder_due(
                reply_required=c.reply_required, deadline=c.deadline, horizon=horizon
            ) and rules.may_remind(last_reminded_on=r.reminded_on, today=today):
                due.setdefault(c.pk, []).append(r)
        for receipts in due.values():
            for r in receipts:
                r.reminded_on, r.remind_count = today, r.remind_count + 1
            Receipt.objects.bulk_update(receipts, ["reminded_on", "remind_count"])
            circular = receipts[0].circular
            names = [r.organization.name for r in receipts]
            why = "回复已逾期" if circular.deadline < today else "回复截止临近"
            audit.record_on(
                circular,
                actor=None,
                verb="circulars.remind",
                summary=f"{why},自动提醒{len(receipts)}个党组织回复通知“{circular.title}”",
                after={"organizations": names[:50], "count": len(receipts), "auto": True},
            )
            transaction.on_commit(
                lambda pk=circular.pk, ids=[r.organization_id for r in receipts]: _deliver_reminders(pk, ids)
            )
    return sum(len(v) for v in due.values())


def _deliver_reminders(circular_id: int, org_ids: list[int]) -> int:
    circular = Circular.objects.select_related("sender").get(pk=circular_id)
    url = reverse("circulars:detail", args=[circular.pk])
    what = "回复" if circular.reply_required else "阅读"
    by = f",截止日期为{circular.deadline:%Y年%m月%d日}" if circular.deadline else ""
    title = f"提醒:请{what}通知“{circular.title}”"
    body = f"{circular.sender.name}提醒:通知“{circular.title}”贵单位尚未{what}{by}。"
    wanted = [Reminder(u, title, body, url) for users in recipients.accounts_at(org_ids).values() for u in users]
    return reminders_deliver(wanted, once="per_day")
