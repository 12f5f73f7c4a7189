"""The candidates: recommendations, the lists, approval, the notice, a candidate's eligibility review, and pledges."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from elections.forms import MAX_COUNT, PledgeForm
from elections.models import (
    CandidatePost,
    ListStage,
    PledgeKind,
    RecommendationRound,
)
from elections.selectors import projects as sel
from elections.selectors.candidates import pledge_rows
from elections.services.candidates import (
    candidate_add,
    candidates_approve,
    candidates_promote,
    checklist_rules,
    eligibility_record,
    margin_failures,
    pledge_record,
    recommendation_ranking,
    recommendations_save,
)
from elections.services.notices import MAX_NOTICE_WORKING_DAYS, NOTICE_WORKING_DAYS, notice_publish
from elections.views.common import form_count, form_id, page_controls, show_errors
from organizations.roles import Perm
from organizations.scope import can, require


@login_required
def candidates(request: HttpRequest, pk: int) -> HttpResponse:
    project = sel.project_get(request.user, pk)
    posted: Any = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "recommend":
                members = {m.pk: m.name for m in project.organization.members.all()}
                counts = {
                    form_id(k.split("_", 1)[1]): form_count(
                        v, f"{members.get(form_id(k.split('_', 1)[1]), '')}的推荐票数"
                    )
                    for k, v in request.POST.items()
                    if k.startswith("count_") and v.strip()
                }
                recommendations_save(
                    actor=request.user, project=project, round=request.POST.get("round", ""), counts=counts
                )
            elif action == "add":
                member = project.organization.members.get(pk=form_id(request.POST.get("member")))
                candidate_add(
                    actor=request.user, project=project, member=member, post=request.POST.get("post", "committee")
                )
            elif action in (ListStage.INSPECTION, ListStage.FINAL):
                ids = [form_id(i) for i in request.POST.getlist("ids")]
                candidates_promote(actor=request.user, project=project, stage=action, candidate_ids=ids)
            elif action == "approve":
                candidates_approve(actor=request.user, project=project)
            elif action == "notice":
                notice_publish(
                    actor=request.user,
                    project=project,
                    starts_on=timezone.localdate(),
                    working_days=form_count(request.POST.get("working_days"), "公示期", NOTICE_WORKING_DAYS),
                )
        except ValidationError as exc:
            show_errors(request, exc)
            posted = request.POST  # the page again with what was typed, not a redirect that drops it
        except project.organization.members.model.DoesNotExist:
            messages.error(request, "请选择本组织党员")
            posted = request.POST
        else:
            return redirect("elections:candidates", pk=project.pk)
    today = timezone.localdate()
    notice = getattr(project, "notice", None)
    may = page_controls(request.user, project)
    members = list(project.organization.members.filter(left_on__isnull=True))
    for m in members:
        m.typed = posted.get(f"count_{m.pk}", "") if posted.get("action") == "recommend" else ""
    return render(
        request,
        "elections/candidates.html",
        {
            "project": project,
            "ranking": recommendation_ranking(project),
            "candidates": project.candidates.select_related("member").prefetch_related("pledges"),
            "members": members,
            "rounds": [
                (v, label)
                for v, label in RecommendationRound.choices
                if may["may_manage"] or v != RecommendationRound.TOWNSHIP
            ],
            "posts": CandidatePost.choices,
            "margin": {s: margin_failures(project, s) for s in (ListStage.INITIAL, ListStage.INSPECTION)},
            "notice": notice,
            "notice_open": notice is not None and notice.is_open(today),
            "posted": posted,
            "notice_days": posted.get("working_days") or NOTICE_WORKING_DAYS,
            "max_notice_days": MAX_NOTICE_WORKING_DAYS,
            "max_count": MAX_COUNT,
            **may,
        },
    )


@login_required
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = sel.candidate_get(request.user, pk)
    items = checklist_rules(candidate)
    if request.method == "POST":
        require(request.user, Perm.ELECTION_MANAGE, candidate.project.organization)
        results = {rule: request.POST.get(rule) != "fail" for rule, _ in items if request.POST.get(rule)}
        try:
            eligibility_record(
                actor=request.user, candidate=candidate, department=request.POST.get("department", ""), results=results
            )
        except ValidationError as exc:
            show_errors(request, exc)
        return redirect("elections:candidate", pk=candidate.pk)
    checks = {c.rule: c for c in candidate.checks.select_related("checked_by")}
    return render(
        request,
        "elections/candidate.html",
        {
            "candidate": candidate,
            "project": candidate.project,
            "items": [(rule, label, checks.get(rule)) for rule, label in items],
            "may_review": can(request.user, Perm.ELECTION_MANAGE, candidate.project.organization),
        },
    )


@login_required
def pledges(request: HttpRequest, pk: int) -> HttpResponse:
    project = sel.project_get(request.user, pk)
    if request.method == "POST":
        require(request.user, Perm.ELECTION_VILLAGE_STEPS, project.organization)
    candidates = pledge_rows(project)
    form = PledgeForm(
        request.POST or None,
        initial={"signed_on": timezone.localdate()},
        candidate_choices=[(c.pk, f"{c.member.name}({c.get_post_display()})") for c in candidates],
    )
    if request.method == "POST" and form.is_valid():
        candidate = next(c for c in candidates if c.pk == form.cleaned_data["candidate"])
        try:
            pledge = pledge_record(
                actor=request.user,
                candidate=candidate,
                kind=form.cleaned_data["kind"],
                signed_on=form.cleaned_data["signed_on"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"已记录{candidate.member.name}的{pledge.get_kind_display()}")
            return redirect("elections:pledges", pk=project.pk)
    kinds = PledgeKind.choices
    rows = [
        (c, [(label, next((p for p in c.pledges.all() if p.kind == k), None)) for k, label in kinds])
        for c in candidates
    ]
    return render(
        request,
        "elections/pledges.html",
        {
            "project": project,
            "rows": rows,
            "kinds": kinds,
            "form": form,
            "may_record": bool(candidates) and can(request.user, Perm.ELECTION_VILLAGE_STEPS, project.organization),
        },
    )
