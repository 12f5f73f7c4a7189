"""Writes of the sender's side: draft a circular with its recipients, correct the draft, attach files, and the one
transition service of its moves (``MOVES``: send, close). Each checks ``send_circulars`` on the sender, validates
with Chinese messages (U3), saves in one transaction and writes an audit event on the circular; sending tells the
accounts of every recipient organization through ``core.notifications.reminders_deliver`` once it has committed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from circulars.models import Circular, CircularFile, Receipt
from circulars.rules import receipts as rules
from circulars.rules.receipts import MOVES, CircularState
from circulars.services import recipients
from core import audit, uploads
from core.notifications import Reminder, reminders_deliver
from core.uploads import MEGABYTE, UploadPolicy, validate_upload
from organizations.models import Organization
from organizations.roles import Perm
from organizations.scope import can

SEND = Perm.SEND_CIRCULARS
FILE_DIR = "circulars/files"
# The circular's documents and a reply's report: the formats offices exchange (OFD included), 20 MB each.
CIRCULAR_UPLOADS = UploadPolicy(
    extensions=("jpg", "jpeg", "png", "pdf", "doc", "docx", "xls", "xlsx", "ofd"), max_bytes=20 * MEGABYTE, what="附件"
)
FIELDS = ("title", "body", "reply_required", "deadline")


def _check(actor: Any, sender: Organization, what: str) -> None:
    if not can(actor, SEND, sender):
        raise PermissionDenied(f"您没有权限以{sender.name}的名义{what}通知公告")


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    reply_required = bool(values.get("reply_required"))
    return {
        "title": (values.get("title") or "").strip(),
        "body": (values.get("body") or "").strip(),
        "reply_required": reply_required,
        "deadline": values.get("deadline"),
    }


def _validate(clean: Mapping[str, Any], count: int) -> None:
    problems = rules.content_problems(**clean, today=timezone.localdate(), recipients=count)
    if problems:
        raise ValidationError(problems)


def _set_receipts(circular: Circular, orgs: list[Organization]) -> None:
    wanted = {o.pk for o in orgs}
    circular.receipts.exclude(organization_id__in=wanted).delete()
    have = set(circular.receipts.values_list("organization_id", flat=True))
    Receipt.objects.bulk_create([Receipt(circular=circular, organization_id=pk) for pk in sorted(wanted - have)])


def circular_create(
    *,
    actor: Any,
    sender: Organization,
    values: Mapping[str, Any],
    choice: recipients.Choice,
    upload: UploadedFile | None = None,
) -> Circular:
    """Save a draft from ``sender`` to the organizations ``choice`` names (nothing is told until it is sent)."""
    _check(actor, sender, "起草")
    clean = _clean(values)
    orgs = recipients.resolve(sender, choice)
    _validate(clean, len(orgs))
    validate_upload(upload, CIRCULAR_UPLOADS)
    with transaction.atomic():
        circular = Circular.objects.create(
            sender=sender, created_by=actor, audience=recipients.describe(choice, len(orgs)), **clean
        )
        _set_receipts(circular, orgs)
        audit.record_on(
            circular,
            actor=actor,
            verb="circulars.create",
            summary=f"起草通知“{circular.title}”,接收{circular.audience}",
            after={**audit.snapshot(circular, FIELDS), "recipients": len(orgs)},
        )
        if upload:
            store_file(actor, circular, None, upload)
    return circular


def circular_update(
    *,
    actor: Any,
    circular: Circular,
    values: Mapping[str, Any],
    choice: recipients.Choice,
    upload: UploadedFile | None = None,
) -> Circular:
    """Correct a draft: its text, deadline and recipients. A sent circular is no longer changed."""
    _check(actor, circular.sender, "修改")
    clean = _clean(values)
    orgs = recipients.resolve(circular.sender, choice)
    _validate(clean, len(orgs))
    validate_upload(upload, CIRCULAR_UPLOADS)
    with transaction.atomic():
        locked = Circular.objects.select_for_update().select_related("sender").get(pk=circular.pk)
        if locked.state != CircularState.DRAFT:
            raise ValidationError("通知已发送,不能再修改")
        before = audit.snapshot(locked, (*FIELDS, "audience"))
        for name, value in clean.items():
            setattr(locked, name, value)
        locked.audience = recipients.describe(choice, len(orgs))
        locked.save()
        _set_receipts(locked, orgs)
        b, a = audit.changed(before, audit.snapshot(locked, (*FIELDS, "audience")))
        audit.record_on(locked, actor=actor, verb="circulars.update", summary="修改通知草稿", before=b, after=a)
        if upload:
            store_file(actor, locked, None, upload)
    return locked


def store_file(actor: Any, circular: Circular, receipt: Receipt | None, upload: UploadedFile) -> CircularFile:
    """Store one validated file (the circular's attachment, or a reply's when ``receipt``); a failure removes it."""
    original = uploads.display_name(upload.name or "")
    owner = receipt.organization_id if receipt is not None else circular.sender_id
    saved = default_storage.save(f"{FILE_DIR}/{owner}/{uploads.stored_name(upload.name or '')}", upload)
    try:
        row = CircularFile.objects.create(
            circular=circular,
            receipt=receipt,
            file=saved,
            original_name=original,
            content_type=uploads.content_type_for(upload.name or ""),
            size=upload.size,
            uploaded_by=actor,
        )
        audit.record_on(
            receipt if receipt is not None else circular,
            actor=actor,
            verb="circulars.file_add",
            summary=f"上传{'回复' if receipt is not None else '通知'}附件“{original}”",
            after={"file": row.pk, "size": upload.size},
        )
    except BaseException:
        default_storage.delete(saved)
        raise
    return row


def circular_file_add(*, actor: Any, circular: Circular, upload: UploadedFile) -> CircularFile:
    """Attach a file to a draft (what is sent is what the recipients see: a sent circular takes no more)."""
    _check(actor, circular.sender, "修改")
    if circular.state != CircularState.DRAFT:
        raise ValidationError("通知已发送,不能再添加附件")
    validate_upload(upload, CIRCULAR_UPLOADS)
    with transaction.atomic():
        return store_file(actor, circular, None, upload)


def circular_move(*, actor: Any, circular: Circular, move: str) -> Circular:
    """The only code that sets a circular's state: look the move up in ``MOVES``, lock the row, check, save, event;
    sending tells the recipients' accounts once the transaction has committed."""
    step = MOVES.get(move)
    if step is None:
        raise ValidationError("未知的操作")
    _check(actor, circular.sender, step.label)
    with transaction.atomic():
        locked = Circular.objects.select_for_update().get(pk=circular.pk)
        locked.sender = circular.sender
        if locked.state not in step.sources:
            raise ValidationError(f"通知当前为“{locked.get_state_display()}”,不能{step.label}")
        now = timezone.now()
        count = locked.receipts.count()
        if move == "send":
            _validate(_clean({name: getattr(locked, name) for name in FIELDS}), count)
            locked.sent_at, locked.sent_by = now, actor
        elif move == "close":
            locked.closed_at = now
        before = locked.state
        locked.state = step.target
        locked.save(update_fields=["state", "sent_at", "sent_by", "closed_at", "updated_at"])
        summary = f"{step.label}通知“{locked.title}”" + (f"至{count}个党组织" if move == "send" else "")
        audit.record_on(
            locked,
            actor=actor,
            verb=f"circulars.{move}",
            summary=summary,
            before={"state": before},
            after={"state": locked.state, "recipients": count},
        )
        if move == "send":
            pk = locked.pk
            transaction.on_commit(lambda: notify_recipients(pk))
    return locked


def notify_recipients(circular_id: int) -> int:
    """Tell every account holding a role at a recipient organization (in-app, and wherever
    ``reminders_deliver`` routes it); returns how many were told."""
    circular = Circular.objects.select_related("sender").get(pk=circular_id)
    org_ids = list(circular.receipts.values_list("organization_id", flat=True))
    url = reverse("circulars:detail", args=[circular.pk])
    ask = f"请于{circular.deadline:%Y年%m月%d日}前回复。" if circular.reply_required and circular.deadline else ""
    title = f"新通知公告:{circular.title}"
    body = f"{circular.sender.name}发来通知“{circular.title}”。{ask}请登录后阅读。"
    wanted = [Reminder(user, title, body, url) for users in recipients.accounts_at(org_ids).values() for user in users]
    return reminders_deliver(wanted, once="per_day")
