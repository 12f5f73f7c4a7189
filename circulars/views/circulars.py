"""Pages of circulars: the list (received, and sent for senders), drafting and correcting one, one circular (the
recipient's reading, 签收 and reply; the sender's receipt board, send, remind, close), and the files.

Thin: objects through ``circulars.access``, reads through the selectors, writes through the services with
``core.edits.form_submit`` / ``run_edit``. A GET never writes: 签收 is a button (a POST)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from circulars import access
from circulars.forms.circulars import CircularForm, FileForm, ReplyForm
from circulars.rules.receipts import MOVES, CircularState, ReceiptState
from circulars.selectors import circulars as selectors
from circulars.selectors import own as own_selectors
from circulars.services import circulars as services
from circulars.services import receipts as receipt_services
from core.edits import form_submit, run_edit


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    senders = access.sender_choices(request.user)
    return render(
        request,
        "circulars/home.html",
        {
            "received": selectors.received_of(request.user, timezone.localdate()),
            "sent": list(selectors.sent_of(request.user)) if senders else [],
            "below": list(selectors.below_of(request.user)),
            "may_send": bool(senders),
            "states": ReceiptState,
        },
    )


def _form_page(request: HttpRequest, form: CircularForm, title: str, back: str) -> HttpResponse:
    return render(request, "circulars/form.html", {"form": form, "title": title, "back": back})


@login_required
def create(request: HttpRequest) -> HttpResponse:
    senders = access.require_sender(request.user)
    pickable = list(selectors.pickable_of(request.user, senders[0]))
    form = CircularForm(request.POST or None, request.FILES or None, senders=senders, pickable=pickable)
    done = form_submit(
        request,
        form,
        lambda d: services.circular_create(
            actor=request.user,
            sender=form.sender_org(),
            values=form.values(),
            choice=form.choice(),
            upload=d.get("upload"),
        ),
        success=lambda c: f"已保存草稿“{c.title}”:请核对接收单位后点击发送",
        then=lambda c: redirect("circulars:detail", pk=c.pk),
    )
    return done or _form_page(request, form, "起草通知公告", "circulars:home")


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    circular = access.circular_to_edit(request.user, pk)
    pickable = list(selectors.pickable_of(request.user, circular.sender))
    form = CircularForm(
        request.POST or None, request.FILES or None, senders=[circular.sender], pickable=pickable, instance=circular
    )
    done = form_submit(
        request,
        form,
        lambda d: services.circular_update(
            actor=request.user, circular=circular, values=form.values(), choice=form.choice(), upload=d.get("upload")
        ),
        success="已保存修改",
        then=lambda c: redirect("circulars:detail", pk=c.pk),
    )
    return done or _form_page(request, form, f"修改通知草稿:{circular.title}", "circulars:home")


def _detail_page(request: HttpRequest, circular: Any, reply_form: ReplyForm | None = None) -> HttpResponse:
    board = selectors.board_of(request.user, circular, timezone.localdate())
    may_send = access.may_send(request.user, circular)
    return render(
        request,
        "circulars/detail.html",
        {
            "circular": circular,
            "board": board,
            "own": selectors.own_rows(request.user, board),
            "attachments": selectors.attachments_of(request.user, circular),
            "trail": selectors.trail_of(request.user, circular) if may_send else [],
            "may_send": may_send,
            "is_draft": circular.state == CircularState.DRAFT,
            "is_sent": circular.state == CircularState.SENT,
            "states": ReceiptState,
            "reply_form": reply_form or ReplyForm(),
            "file_form": FileForm(),
        },
    )


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, access.circular_for(request.user, pk))


def _refused(request: HttpRequest, what: str, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, f"{what}:{message}")


@login_required
@require_POST
def move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in MOVES:
        raise Http404("没有这个操作")
    circular = access.circular_for(request.user, pk, perm=access.SEND)
    try:
        done = services.circular_move(actor=request.user, circular=circular, move=action)
    except ValidationError as exc:
        _refused(request, f"未能{MOVES[action].label}", exc)
    else:
        if action == "send":
            messages.success(request, f"已发送至{done.receipts.count()}个党组织,并已通知其书记和工作人员")
        else:
            messages.success(request, "通知已结束,不再接收回复")
    return redirect("circulars:detail", pk=circular.pk)


@login_required
@require_POST
def remind(request: HttpRequest, pk: int) -> HttpResponse:
    circular = access.circular_for(request.user, pk, perm=access.SEND)
    try:
        done = receipt_services.circular_remind(actor=request.user, circular=circular)
    except ValidationError as exc:
        _refused(request, "未提醒", exc)
    else:
        messages.success(request, f"已提醒{len(done)}个尚未回复的党组织")
    return redirect("circulars:detail", pk=circular.pk)


@login_required
@require_POST
def file_add(request: HttpRequest, pk: int) -> HttpResponse:
    circular = access.circular_to_edit(request.user, pk)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        done = run_edit(
            form,
            lambda: services.circular_file_add(
                actor=request.user, circular=circular, upload=form.cleaned_data["upload"]
            ),
        )
        if done is not None:
            messages.success(request, f"已上传“{done.original_name}”")
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, f"附件未上传:{error}")
    return redirect("circulars:detail", pk=circular.pk)


@login_required
@require_POST
def read(request: HttpRequest, pk: int) -> HttpResponse:
    receipt = access.receipt_for(request.user, pk, answer=True)
    try:
        receipt_services.receipt_read(actor=request.user, receipt=receipt)
    except ValidationError as exc:
        _refused(request, "未签收", exc)
    return redirect("circulars:detail", pk=receipt.circular_id)


@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """The reply form posts here; refused, the circular's page comes again with what was typed and the reasons."""
    receipt = access.receipt_for(request.user, pk, answer=True)
    form = ReplyForm(request.POST, request.FILES)
    done = form_submit(
        request,
        form,
        lambda d: receipt_services.receipt_reply(
            actor=request.user, receipt=receipt, text=d.get("text") or "", upload=d.get("upload")
        ),
        success="已回复",
        then=lambda r: redirect("circulars:detail", pk=r.circular_id),
    )
    return done or _detail_page(request, access.circular_for(request.user, receipt.circular_id), form)


@login_required
@require_GET
def file_download(request: HttpRequest, pk: int) -> FileResponse:
    row = access.file_for(request.user, pk)
    try:
        handle = row.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("文件不存在") from None
    inline = row.content_type.startswith("image/") or row.content_type == "application/pdf"
    response = FileResponse(handle, as_attachment=not inline, filename=row.original_name, content_type=row.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def own_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A circular as a member reads it from their home (read-only); anyone else who may see it goes to its page."""
    circular = access.own_circular_for(request.user, pk)
    if circular is None:
        return redirect("circulars:detail", access.circular_for(request.user, pk).pk)
    attachments = own_selectors.own_attachments(request.user, circular)
    return render(request, "circulars/own_detail.html", {"circular": circular, "attachments": attachments})
