"""The joint qualification review (资格联审, Q1/Q2) of a project: the candidates × departments matrix, the township's
batch entry of department opinions, the district's re-review, the matrix as xlsx/PDF; and posts in the two committees
(T1–T4): one project's record and the district's summary as xlsx/PDF."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from core.documents import PDF_CONTENT_TYPE, XLSX_CONTENT_TYPE
from core.edits import add_version, form_submit
from elections import access
from elections.documents import review as documents
from elections.forms import CommitteePostsForm, JointOpinionForm, JointReReviewForm
from elections.rules.joint_review import DEPARTMENTS, LEAD, REREVIEW_BODY
from elections.selectors import posts as post_reads
from elections.selectors import review as review_reads
from elections.services.posts import committee_posts_record, new_committee, posts_findings
from elections.services.review import joint_opinions_record, joint_rereview_record
from elections.views.common import download
from organizations.roles import Perm

PROJECT_VERSION = frozenset({"version"})


def _label(row: review_reads.MatrixRow) -> str:
    return f"{row.candidate.member.name}({row.candidate.get_post_display()})"


def _review_forms(request: HttpRequest, project: Any, rows: list[Any], action: str | None) -> tuple[Any, Any]:
    """The township's batch of opinions (the candidates not yet re-reviewed) and the district's re-review (those
    every department answered), each with the project's version; the one named by ``action`` takes the post."""
    today = timezone.localdate()
    open_rows = [r for r in rows if r.open]
    pending = [r for r in open_rows if r.rereview is None]
    opinion_form = JointOpinionForm(
        request.POST if action == "opinions" else None,
        initial={"given_on": today, "candidates": [r.candidate.pk for r in pending]},
        departments=DEPARTMENTS.items(),
        candidates=[(r.candidate.pk, _label(r)) for r in pending],
    )
    answered = [r for r in open_rows if r.state.all_answered]
    rereview_form = JointReReviewForm(
        request.POST if action == "rereview" else None,
        auto_id="id_rr_%s",  # both forms on one page: their ids (and the labels' for=) must differ
        initial={
            "reviewed_on": today,
            "candidates": [r.candidate.pk for r in answered if r.rereview is None and not r.state.blocked],
        },
        candidates=[(r.candidate.pk, _label(r)) for r in answered],
    )
    return add_version(opinion_form, project, PROJECT_VERSION), add_version(rereview_form, project, PROJECT_VERSION)


def _save(request: HttpRequest, project: Any, action: str | None, forms: tuple[Any, Any]) -> HttpResponse | None:
    then = lambda n: redirect("elections:joint_review", pk=project.pk)  # noqa: E731
    if action == "opinions":
        return form_submit(
            request,
            forms[0],
            lambda d: joint_opinions_record(
                actor=request.user,
                project=project,
                candidate_ids=d["candidates"],
                departments=d["departments"],
                agreed=d["opinion"] == "agree",
                reason=d["reason"],
                given_on=d["given_on"],
                reviewer=d["reviewer"],
            ),
            success=lambda n: f"已录入{n}条部门意见",
            then=then,
        )
    if action == "rereview":
        return form_submit(
            request,
            forms[1],
            lambda d: joint_rereview_record(
                actor=request.user,
                project=project,
                candidate_ids=d["candidates"],
                agreed=d["opinion"] == "agree",
                reason=d["reason"],
                reviewed_on=d["reviewed_on"],
            ),
            success=lambda n: f"已录入{n}名候选人的复审意见",
            then=then,
        )
    return None


@login_required
def joint_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Q1/Q2: the matrix; the township posts department opinions, the district the re-review."""
    action = request.POST.get("action") if request.method == "POST" else None
    perms = {None: Perm.VIEW_RECORDS, "rereview": Perm.ELECTION_COUNTY}  # Q2 is the district's, Q1 the township's
    project = access.project_for(request.user, pk, perm=perms.get(action, Perm.ELECTION_MANAGE))
    rows = review_reads.joint_review_matrix(request.user, project)
    forms = _review_forms(request, project, rows, action)
    saved = _save(request, project, action, forms)
    if saved is not None:
        return saved
    may_record = access.may_act(request.user, Perm.ELECTION_MANAGE, project)
    may_rereview = access.may_act(request.user, Perm.ELECTION_COUNTY, project)
    return render(
        request,
        "elections/joint_review.html",
        {
            "project": project,
            "rows": rows,
            "departments": list(DEPARTMENTS.values()),
            "lead": LEAD,
            "rereview_body": REREVIEW_BODY,
            "opinion_form": forms[0],
            "rereview_form": forms[1],
            "may_record": may_record and bool(forms[0].fields["candidates"].choices),
            "may_rereview": may_rereview and bool(forms[1].fields["candidates"].choices),
            "cleared": sum(r.state.cleared for r in rows),
            "blocked": sum(r.state.blocked for r in rows),
        },
    )


@login_required
def joint_review_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.project_for(request.user, pk)
    name, content = documents.joint_review_xlsx(project, review_reads.joint_review_matrix(request.user, project))
    return download(name, content, XLSX_CONTENT_TYPE)


@login_required
def joint_review_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.project_for(request.user, pk)
    name, content = documents.joint_review_pdf(project, review_reads.joint_review_matrix(request.user, project))
    return download(name, content, PDF_CONTENT_TYPE)


@login_required
def committee_posts(request: HttpRequest, pk: int) -> HttpResponse:
    perm = Perm.ELECTION_MANAGE if request.method == "POST" else Perm.VIEW_RECORDS
    project = access.project_for(request.user, pk, perm=perm)
    posts = post_reads.posts_of(request.user, project)
    positions = new_committee(project)
    initial = {"villagers_committee_size": 5 if project.organization.field == "community" else 3}
    if posts is not None:
        initial = {
            "villagers_committee_size": posts.villagers_committee_size,
            "secretary_is_director": posts.secretary_is_director,
            "cross_members": [m.pk for m in posts.cross_members.all()],
            "women_chair_joined": posts.women_chair_joined,
            "women_chair_name": posts.women_chair_name,
            "youth_secretary_joined": posts.youth_secretary_joined,
            "youth_secretary_name": posts.youth_secretary_name,
        }
    form = CommitteePostsForm(
        request.POST or None,
        initial=initial,
        members=[(p.member_id, f"{p.member.name}({p.get_post_display()})") for p in positions],
    )
    if posts is not None:
        add_version(form, posts)
    saved = form_submit(
        request,
        form,
        lambda d: committee_posts_record(actor=request.user, project=project, cross_member_ids=d.pop("cross_members"),
                                         **d),
        success="已保存“两委”任职情况",
        then=lambda p: redirect("elections:committee_posts", pk=project.pk),
    )  # fmt: skip
    if saved is not None:
        return saved
    return render(
        request,
        "elections/committee_posts.html",
        {
            "project": project,
            "posts": posts,
            "positions": positions,
            "findings": posts_findings(project, posts),
            "form": form,
            "may_record": bool(positions) and access.may_act(request.user, Perm.ELECTION_MANAGE, project),
        },
    )


@login_required
def posts_summary_xlsx(request: HttpRequest) -> HttpResponse:
    name, content = documents.posts_summary_xlsx(*post_reads.posts_summary(request.user))
    return download(name, content, XLSX_CONTENT_TYPE)


@login_required
def posts_summary_pdf(request: HttpRequest) -> HttpResponse:
    name, content = documents.posts_summary_pdf(*post_reads.posts_summary(request.user))
    return download(name, content, PDF_CONTENT_TYPE)
