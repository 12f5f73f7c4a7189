"""The reorganization workflow's pages (组织设置调整, 第三篇 五): start one from the organization page, its page
with the plan, the comments, the papers and the next step's button, one page per move (its form and a confirmation),
the sub-branches set up under the reply, the PDFs, and a township's list of open requests.

Thin: objects through ``organizations.access``, reads through ``organizations.selectors.reorganization``, writes
through ``organizations.services.reorganization``.
"""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from core.documents import PDF_CONTENT_TYPE
from core.edits import form_submit
from organizations import access, documents, forms, selectors
from organizations.models import OrgKind
from organizations.models.reorganization import ReorgKind, ReorgState
from organizations.roles import Perm
from organizations.selectors import reorganization as sel
from organizations.services import reorganization as services
from organizations.services.reorganization import MOVES, Action

# The form each move asks for (None: a confirmation only), and the move's page's words.
MOVE_FORMS: dict[str, Any] = {
    Action.CONSULT: forms.ReorganizationConsultForm,
    Action.REQUEST: forms.ReorganizationRequestForm,
    Action.APPROVE: forms.ReorganizationReplyForm,
    Action.REFUSE: forms.ReorganizationReplyForm,
    Action.MEET: forms.ReorganizationMeetingForm,
    Action.IMPLEMENT: forms.ReorganizationImplementForm,
    Action.FINISH: None,
    Action.WITHDRAW: None,
}
MOVE_INTROS = {
    Action.CONSULT: "把设置方案发放到每位党员手中,并送有关部门征求意见;收到的意见在本事项页面逐条登记。",
    Action.REQUEST: "以本组织名义向上级党委请示。设置方案须已发放到每位党员手中征求意见;报出后方案不能再修改。",
    Action.APPROVE: "上级党委批复同意。批复后由本组织召开党员大会宣读批复和设置方案。",
    Action.REFUSE: "上级党委批复不同意,本事项随即办结。请写明理由。",
    Action.MEET: "党员大会宣读上级党委的批复和设置方案,并对调整工作作出说明。",
    Action.IMPLEMENT: "按批复实施:升格或改设的,组织类别和名称随即变更,原名称记入组织沿革;之后可按方案设立下属组织。",
    Action.FINISH: "确认已按批复完成调整。",
    Action.WITHDRAW: "撤回后本事项办结,可重新发起。",
}
CONFIRMS = {
    Action.IMPLEMENT: "确定按批复实施调整吗?组织类别和名称将变更,原名称保留在组织沿革中。",
    Action.REFUSE: "确定批复不同意吗?本事项将随即办结。",
    Action.WITHDRAW: "确定撤回该组织设置调整吗?",
    Action.FINISH: "确定该组织设置调整已实施完毕吗?",
}


def _detail(reorg: Any) -> Any:
    return redirect("organizations:reorganization_detail", pk=reorg.pk)


@login_required
def reorganization_start(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.organization_for(request.user, pk, perm=Perm.EDIT_ROSTER)
    initial = {"kind": ReorgKind.UPGRADE, "new_kind": OrgKind.GENERAL_BRANCH, "new_name": _upgraded_name(org.name)}
    form = forms.ReorganizationForm(request.POST or None, initial=initial)
    done = form_submit(
        request,
        form,
        lambda d: services.reorganization_start(actor=request.user, organization=org, **d),
        success="设置方案已保存。征求意见前可继续修改",
        then=_detail,
    )
    return done or render(
        request,
        "organizations/form.html",
        {
            "org": org,
            "form": form,
            "title": f"发起组织设置调整:{org.name}",
            "intro": (
                "按照起草方案、征求意见、请示、批复、召开党员大会、实施的步骤办理。"
                "党员超过50名的可设立党总支,100名以上的可设立党委(须经县级党委批准,由区委组织部批复);"
                "正式党员3名以上的可单独设立党支部。"
            ),
        },
    )


def _upgraded_name(name: str) -> str:
    return name.replace("党支部", "党总支") if "党支部" in name else name


@login_required
def reorganization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reorg = access.reorganization_for(request.user, pk)
    page = sel.reorganization_page(request.user, reorg)
    return render(
        request,
        "organizations/reorganization/detail.html",
        {
            "org": reorg.organization,
            "page": page,
            "reorg": reorg,
            "moves": [(a, MOVES[a].label) for a in page.actions],
            "adds_units": sel.adds_units(request.user, page),
            "ancestors": selectors.visible_ancestors(request.user, reorg.organization),
        },
    )


@login_required
def reorganization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    reorg = access.reorganization_for(request.user, pk, perm=Perm.EDIT_ROSTER)
    if reorg.state not in (ReorgState.DRAFT, ReorgState.CONSULTING):
        raise PermissionDenied("请示报出后方案不能再修改")
    form = forms.ReorganizationForm(request.POST or None, instance=access.reorganization_for(request.user, pk))
    done = form_submit(
        request,
        form,
        lambda d: services.reorganization_plan_update(actor=request.user, reorganization=reorg, **d),
        success="设置方案已修改",
        then=_detail,
    )
    return done or render(
        request,
        "organizations/form.html",
        {"org": reorg.organization, "form": form, "title": f"修改设置方案:{reorg.organization.name}"},
    )


@login_required
def reorganization_comment(request: HttpRequest, pk: int) -> HttpResponse:
    reorg = access.reorganization_for(request.user, pk, perm=Perm.EDIT_ROSTER)
    form = forms.ReorganizationCommentForm(request.POST or None, initial={"received_on": timezone.localdate()})
    done = form_submit(
        request,
        form,
        lambda d: services.reorganization_comment_add(actor=request.user, reorganization=reorg, **d),
        success="意见已登记",
        then=lambda _: _detail(reorg),
    )
    return done or render(
        request,
        "organizations/form.html",
        {"org": reorg.organization, "form": form, "title": f"登记征求意见:{reorg.organization.name}"},
    )


@login_required
def reorganization_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    reorg = access.reorganization_for(request.user, pk)
    if action not in MOVES:
        raise Http404("没有这一步")
    if action not in sel.reorganization_page(request.user, reorg).actions:
        raise PermissionDenied(f"现在不能办理“{MOVES[action].label}”")
    form_class = MOVE_FORMS[action] or django_forms.Form
    form = form_class(request.POST or None, initial=_move_initial(reorg, action))
    posted = request.POST.get("version", "")
    done = form_submit(
        request,
        form,
        lambda d: services.reorganization_move(
            actor=request.user,
            reorganization=reorg,
            action=action,
            version=int(posted) if posted.isdigit() else None,
            **d,
        ),
        success=f"已办理:{MOVES[action].label}",
        then=_detail,
    )
    return done or render(
        request,
        "organizations/reorganization/move.html",
        {
            "org": reorg.organization,
            "reorg": reorg,
            "form": form,
            "title": MOVES[action].label,
            "intro": MOVE_INTROS[action],
            "confirm": CONFIRMS.get(action, ""),
            "version": reorg.version,
        },
    )


def _move_initial(reorg: Any, action: str) -> dict[str, Any]:
    today = timezone.localdate()
    if action == Action.MEET:
        return {"on": today, "due": reorg.members_total}
    if action == Action.REQUEST:
        return {"on": today}
    return {"on": today, "started_on": today, "effective_on": today}


@login_required
def reorganization_unit(request: HttpRequest, pk: int) -> HttpResponse:
    reorg = access.reorganization_for(request.user, pk, perm=Perm.RESTRUCTURE)
    if not sel.adds_units(request.user, sel.reorganization_page(request.user, reorg)):
        raise PermissionDenied("批复同意并召开党员大会、开始实施后,才能按方案设立下属组织")
    org = reorg.organization
    members = selectors.member_list(request.user, organization=org).order_by("name")
    form = forms.ReorganizationUnitForm(
        request.POST or None,
        members=members,
        initial={"effective_on": timezone.localdate(), "code": selectors.next_child_code(request.user, org)},
    )
    done = form_submit(
        request,
        form,
        lambda d: services.reorganization_unit_add(actor=request.user, reorganization=reorg, **d),
        success=lambda child: f"已设立{child.name},调入党员{len(form.cleaned_data['members'])}名",
        then=lambda _: _detail(reorg),
    )
    return done or render(
        request,
        "organizations/form.html",
        {
            "org": org,
            "form": form,
            "title": f"按方案设立下属组织:{org.name}",
            "intro": "拟设立:" + "、".join(line.strip() for line in reorg.units_planned.splitlines() if line.strip()),
        },
    )


@login_required
@require_GET
def reorganization_paper(request: HttpRequest, pk: int, paper: str) -> HttpResponse:
    reorg = access.reorganization_for(request.user, pk)
    if paper not in documents.REORGANIZATION_PAPERS or not sel.paper_ready(request.user, reorg, paper):
        raise Http404("该文书尚未形成")
    filename, content = documents.reorganization_paper(reorg, paper)
    response = HttpResponse(content, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def township_reorganizations(request: HttpRequest, pk: int) -> HttpResponse:
    township = access.organization_for(request.user, pk)
    rows = list(sel.open_reorganizations(request.user, township))
    return render(
        request,
        "organizations/reorganization/list.html",
        {"org": township, "township": township, "rows": rows, "ancestors": []},
    )
