"""The candidates: recommendations, the lists, approval, the notice, a candidate's eligibility review, and pledges."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from core.edits import form_submit
from elections import access
from elections.forms import MAX_COUNT, PledgeForm
from elections.models import (
    CandidatePost,
    ListStage,
    PledgeKind,
    RecommendationRound,
)
from elections.selectors import candidates as candidate_reads
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
from elections.views.common import form_count, form_id, show_errors
from organizations.roles import Perm


def _counts(request: HttpRequest, names: dict[int, str]) -> dict[int, int]:
    """The recommendation form's counts per member (``count_<member id>``); one that is not a count is refused by
    the member's name."""
    counts = {}
    for key, value in request.POST.items():
        if key.startswith("count_") and value.strip():
            member_id = form_id(key.split("_", 1)[1])
            counts[member_id] = form_count(value, f"{names.get(member_id, '')}的推荐票数")
    return counts


def _candidates_action(request: HttpRequest, project: Any, action: str) -> bool:
    """One action of the candidates page through its service; False when it names no member of the organization."""
    user, post = request.user, request.POST
    if action == "recommend":
        counts = _counts(request, candidate_reads.member_names(user, project))
        recommendations_save(actor=user, project=project, round=post.get("round", ""), counts=counts)
    elif action == "add":
        member = access.member_for(user, project, form_id(post.get("member")))
        if member is None:
            return False
        candidate_add(actor=user, project=project, member=member, post=post.get("post", "committee"))
    elif action in (ListStage.INSPECTION, ListStage.FINAL):
        ids = [form_id(i) for i in post.getlist("ids")]
        candidates_promote(actor=user, project=project, stage=action, candidate_ids=ids)
    elif action == "approve":
        candidates_approve(actor=user, project=project)
    elif action == "notice":
        days = form_count(post.get("working_days"), "公示期", NOTICE_WORKING_DAYS)
        notice_publish(actor=user, project=project, starts_on=timezone.localdate(), working_days=days)
    return True


@login_required
def candidates(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.project_for(request.user, pk)
    posted: Any = {}
    if request.method == "POST":
        try:
            if _candidates_action(request, project, request.POST.get("action", "")):
                return redirect("elections:candidates", pk=project.pk)
            messages.error(request, "请选择本组织党员")
        except ValidationError as exc:
            show_errors(request, exc)
        posted = request.POST  # the page again with what was typed, not a redirect that drops it
    today = timezone.localdate()
    notice = getattr(project, "notice", None)
    may = access.actions_for(request.user, project)
    members = candidate_reads.current_members(request.user, project)
    for m in members:
        m.typed = posted.get(f"count_{m.pk}", "") if posted.get("action") == "recommend" else ""
    return render(
        request,
        "elections/candidates.html",
        {
            "project": project,
            "ranking": recommendation_ranking(project),
            "candidates": candidate_reads.candidates_of(request.user, project),
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
    perm = Perm.ELECTION_MANAGE if request.method == "POST" else Perm.VIEW_RECORDS
    candidate = access.candidate_for(request.user, pk, perm=perm)
    items = checklist_rules(candidate)
    if request.method == "POST":
        results = {rule: request.POST.get(rule) != "fail" for rule, _ in items if request.POST.get(rule)}
        try:
            eligibility_record(
                actor=request.user, candidate=candidate, department=request.POST.get("department", ""), results=results
            )
        except ValidationError as exc:
            show_errors(request, exc)
        return redirect("elections:candidate", pk=candidate.pk)
    checks = candidate_reads.eligibility_checks(request.user, candidate)
    return render(
        request,
        "elections/candidate.html",
        {
            "candidate": candidate,
            "project": candidate.project,
            "items": [(rule, label, checks.get(rule)) for rule, label in items],
            "may_review": access.may_act(request.user, Perm.ELECTION_MANAGE, candidate.project),
        },
    )


@login_required
def pledges(request: HttpRequest, pk: int) -> HttpResponse:
    perm = Perm.ELECTION_VILLAGE_STEPS if request.method == "POST" else Perm.VIEW_RECORDS
    project = access.project_for(request.user, pk, perm=perm)
    candidates = candidate_reads.pledge_rows(request.user, project)
    chosen = {c.pk: c for c in candidates}
    form = PledgeForm(
        request.POST or None,
        initial={"signed_on": timezone.localdate()},
        candidate_choices=[(c.pk, f"{c.member.name}({c.get_post_display()})") for c in candidates],
    )
    recorded = form_submit(
        request,
        form,
        lambda data: pledge_record(
            actor=request.user,
            candidate=chosen[data["candidate"]],
            kind=data["kind"],
            signed_on=data["signed_on"],
            text=data["text"],
        ),
        success=lambda pledge: f"已记录{chosen[pledge.candidate_id].member.name}的{pledge.get_kind_display()}",
        then=lambda pledge: redirect("elections:pledges", pk=project.pk),
    )
    if recorded is not None:
        return recorded
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
            "may_record": bool(candidates) and access.may_act(request.user, Perm.ELECTION_VILLAGE_STEPS, project),
        },
    )
