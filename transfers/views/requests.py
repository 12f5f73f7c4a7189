"""The transfers' pages: the list (with the to-do's filters), starting a transfer from a member's page, recording a
transfer in from an organization's page, a transfer's page, one page per move (its few fields and a confirmation),
and the destination picker's search.

Thin: objects through ``transfers.access``, reads through ``transfers.selectors``, writes through
``transfers.services``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from core import pickers
from core.edits import form_submit
from organizations.forms import organization_label
from organizations.roles import Perm
from transfers import access
from transfers.forms.requests import MOVE_FORMS, TransferInForm, TransferOutForm
from transfers.selectors import requests as sel
from transfers.services import requests as services
from transfers.services.workflow import MOVES, Action, transfer_move

MOVE_INTROS = {
    Action.ISSUE: "审核同意后开具介绍信,编号按本党委年度顺序自动生成。区内转接的,接收党组织确认后党员即转入其名册。",
    Action.REFUSE: "不同意转出的,本转接随即办结,党员仍在原党组织。请写明理由。",
    Action.CONFIRM: "确认接收后,该党员即列入本党组织名册,转接记录永久保留。",
    Action.RETURN: "退回后本转接办结,党员仍在原党组织。请写明理由。",
    Action.RECEIPT: "收到接收党组织寄回的回执后登记;登记后该党员以“组织关系转出”离开本区名册。",
    Action.WITHDRAW: "撤销后本转接办结,已开具的介绍信作废。",
}
CONFIRMS = {
    Action.ISSUE: "确定开具介绍信吗?编号开出后不再收回。",
    Action.REFUSE: "确定不予转出吗?",
    Action.CONFIRM: "确定接收该党员的组织关系吗?",
    Action.RETURN: "确定退回该组织关系转接吗?",
    Action.RECEIPT: "确定已收到回执吗?该党员将离开本区名册。",
    Action.WITHDRAW: "确定撤销该组织关系转接吗?",
}


def _detail(transfer: Any) -> HttpResponse:
    return redirect("transfers:detail", pk=transfer.pk)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "open")
    if show not in sel.SHOWS:
        show = "open"
    page = sel.transfer_page(request.user, show=show, number=request.GET.get("page", 1))
    return render(
        request,
        "transfers/list.html",
        {"page": page, "show": show, "shows": [(k, v[0]) for k, v in sel.SHOWS.items()]},
    )


@login_required
def start_out(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.member_for(request.user, pk, perm=Perm.EDIT_ROSTER)
    data, typed_in = pickers.form_data(request)  # the picker's 搜索 without JavaScript: shown again, nothing saved
    form = TransferOutForm(
        data,
        targets=sel.destinations(request.user).exclude(pk=member.organization_id),
        initial={"started_on": timezone.localdate(), "kind": "within", **typed_in},
        search_url=reverse("transfers:pick_destinations"),
    )
    query = pickers.typed(request, "to_org")
    pickers.offer(
        form.fields["to_org"],
        sel.destination_matches(request.user, query, limit=pickers.FIRST_OPTIONS),
        chosen=sel.destinations_named(request.user, [form["to_org"].value()]),
        label=organization_label,
        query=query,
    )
    done = form_submit(
        request,
        form,
        lambda d: services.transfer_start(actor=request.user, member=member, **d),
        success="已发起组织关系转接,待上级党委审核并开具介绍信",
        then=_detail,
    )
    return done or render(
        request,
        "transfers/form.html",
        {
            "title": f"组织关系转出:{member.name}",
            "intro": f"{member.name}现在{member.organization.name}。区内转接由上级党委开具介绍信、接收党组织确认后转入;"
            "转出区外的,开具介绍信并收到回执后离开本区名册。",
            "form": form,
            "cancel": reverse("organizations:member_detail", args=[member.pk]),
        },
    )


@login_required
def receive_in(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.organization_for(request.user, pk, perm=Perm.EDIT_ROSTER)
    form = TransferInForm(request.POST or None, initial={"started_on": timezone.localdate(), "status": "full"})
    done = form_submit(
        request,
        form,
        lambda d: services.transfer_in_record(actor=request.user, to_org=org, **d),
        success="已登记区外转入,确认接收后该党员列入名册",
        then=_detail,
    )
    return done or render(
        request,
        "transfers/form.html",
        {
            "title": f"登记区外转入:{org.name}",
            "intro": "按区外党组织开具的介绍信填写;确认接收后该党员列入本党组织名册。",
            "form": form,
            "cancel": reverse("organizations:org_detail", args=[org.pk]),
        },
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = access.transfer_for(request.user, pk)
    view = sel.transfer_view(request.user, transfer)
    return render(
        request,
        "transfers/detail.html",
        {"t": transfer, "view": view, "moves": [(a, MOVES[a].label) for a in view.actions]},
    )


@login_required
def move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    transfer = access.transfer_for(request.user, pk)
    if action not in MOVES:
        raise Http404("没有这一步")
    if action not in sel.transfer_view(request.user, transfer).actions:
        raise PermissionDenied(f"现在不能办理“{MOVES[action].label}”")
    today = timezone.localdate()
    last_month = f"{today.year - (today.month == 1)}-{(today.month - 2) % 12 + 1:02d}"
    form = MOVE_FORMS[action](request.POST or None, initial={"on": today, "dues_paid_to": last_month})
    posted = request.POST.get("version", "")
    done = form_submit(
        request,
        form,
        lambda d: transfer_move(
            actor=request.user,
            transfer=transfer,
            action=action,
            version=int(posted) if posted.isdigit() else None,
            **d,
        ),
        success=f"已办理:{MOVES[action].label}",
        then=_detail,
    )
    return done or render(
        request,
        "transfers/move.html",
        {
            "t": transfer,
            "form": form,
            "title": MOVES[action].label,
            "intro": MOVE_INTROS[action],
            "confirm": CONFIRMS[action],
        },
    )


@login_required
@require_GET
def pick_destinations(request: HttpRequest) -> HttpResponse:
    """Grassroots organizations of the district for the transfer form (``?to_org_q=`` name or code)."""
    query = pickers.typed(request, "to_org")
    matches = sel.destination_matches(request.user, query, limit=pickers.SEARCH_LIMIT)
    return pickers.options_response(matches, label=organization_label, empty="没有找到该名称的党组织")
