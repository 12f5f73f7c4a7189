"""Pages of the pipeline: an organization's people by stage, the counts of a subtree (the menu's 党员发展 for township
and district staff), adding an applicant, one person's record and the form of a move.

Thin: objects through ``development.access``, reads through the selectors, writes through the services with
``core.edits.form_submit``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.edits import form_submit
from development import access
from development.forms.pipeline import ApplicantForm, MoveForm
from development.rules import pipeline as rules
from development.rules.pipeline import Stage
from development.selectors import counts, pipeline
from development.services import pipeline as services


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The menu's 党员发展: the counts of the widest subtree the user keeps, else the list of the organization read."""
    org, is_board = access.home_organization(request.user)
    if org is None:
        return redirect("home")
    return redirect("development:board" if is_board else "development:org", pk=org.pk)


@login_required
@require_GET
def org_board(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.organization_for(request.user, pk, perm=access.BOARD)
    year = timezone.localdate().year
    return render(
        request,
        "development/board.html",
        {"org": org, "year": year, "board": counts.board(request.user, org, year=year)},
    )


@login_required
@require_GET
def org_pipeline(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.organization_for(request.user, pk)
    today = timezone.localdate()
    return render(
        request,
        "development/org.html",
        {
            "org": org,
            "today": today,
            "lists": pipeline.pipeline_of(request.user, org),
            "probations": pipeline.probations_of(request.user, org, today),
            "admitted": pipeline.admitted_of(request.user, org, today.year),
            "may_edit": access.may_edit(request.user, org) and org.depth > services.TOWNSHIP_DEPTH,
            "may_see_board": access.may_see_board(request.user, org),
            "remind_days": rules.REMIND_DAYS,
        },
    )


@login_required
def applicant_create(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.organization_for(request.user, pk, perm=access.EDIT)
    form = ApplicantForm(request.POST or None)
    done = form_submit(
        request,
        form,
        lambda d: services.applicant_create(actor=request.user, organization=org, **d),
        success=lambda a: f"已登记入党申请人{a.name}",
        then=lambda a: redirect("development:applicant", pk=a.pk),
    )
    return done or render(request, "development/form.html", {"org": org, "form": form, "title": "登记入党申请人"})


@login_required
def applicant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = access.applicant_for(request.user, pk, perm=access.EDIT)
    if record.stage not in services.EDITABLE_STAGES:
        raise Http404("已接收为预备党员,个人信息请在党员名册中修改")
    form = ApplicantForm(request.POST or None, instance=record)
    done = form_submit(
        request,
        form,
        lambda d: services.applicant_update(actor=request.user, applicant=record, **d),
        success=lambda a: f"已保存{a.name}的信息",
        then=lambda a: redirect("development:applicant", pk=a.pk),
    )
    org = record.organization
    return done or render(
        request,
        "development/form.html",
        {"org": org, "form": form, "title": f"修改{record.name}的信息", "record": record},
    )


@login_required
@require_GET
def applicant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = access.applicant_for(request.user, pk)
    return render(
        request,
        "development/detail.html",
        {
            "record": record,
            "org": record.organization,
            "may_edit": access.may_edit(request.user, record.organization),
            "may_correct": record.stage in services.EDITABLE_STAGES,
            **pipeline.record_of(request.user, record),
        },
    )


@login_required
def applicant_move(request: HttpRequest, pk: int) -> HttpResponse:
    record = access.applicant_for(request.user, pk, perm=access.EDIT)
    to = rules.next_stage(record.stage)
    if to is None:
        raise Http404("已是正式党员,没有下一阶段")
    move = rules.MOVES[(Stage(record.stage), to)]
    choices = pipeline.contact_choices(request.user, record.organization)
    form = MoveForm(request.POST or None, to=to, move=move, choices=choices)
    done = form_submit(
        request,
        form,
        lambda d: services.applicant_move(
            actor=request.user, applicant=record, to=to, on=d["on"], contacts=list(d.get("contacts") or [])
        ),
        success=lambda a: f"{a.name}:已{move.label}",
        then=lambda a: redirect("development:applicant", pk=a.pk),
    )
    return done or render(
        request,
        "development/move.html",
        {
            "record": record,
            "org": record.organization,
            "form": form,
            "move": move,
            "to": to,
            "earliest": pipeline.earliest_next(request.user, record),
        },
    )
