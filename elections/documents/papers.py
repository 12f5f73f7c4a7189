"""The official papers of an election (source part 5 steps 8, 18 and 27): each village request (请示) or report (报告)
to the township and the township's approval (批复), as A4 PDFs in the official-document look, their bodies written
from the project's own data. One table names the papers; one function renders a paper; downloads are audited.

Rendering goes through ``core.documents.render_pdf`` like every other PDF; no HTTP here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from core.documents import render_pdf
from elections.models import (
    Approval,
    CandidatePost,
    CandidateStatus,
    DocumentKind,
    ElectionProject,
    ListStage,
    RecommendationRound,
)
from elections.rules.stroke_order import sort_by_stroke
from elections.services.approval import proposed_committee
from elections.services.candidates import recommendation_ranking
from elections.services.voters import roll_counts
from elections.services.workflow import event
from organizations.models import Member, MemberStatus


@dataclass(frozen=True)
class Paper:
    slug: str
    step: int  # the step of source part 5 §五 whose required document it is
    kind: str  # DocumentKind: the village's request/report is REQUEST, the township's answer REPLY
    label: str  # short name for lists and file names
    template: str
    from_township: bool  # who signs it (落款): the township for a 批复, else the village organization

    @property
    def kind_label(self) -> str:
        return DocumentKind(self.kind).label


PAPERS: tuple[Paper, ...] = (
    Paper("convene-request", 8, DocumentKind.REQUEST, "召开党员大会的请示", "convene_request.html", False),
    Paper("convene-reply", 8, DocumentKind.REPLY, "召开党员大会的批复", "convene_reply.html", True),
    Paper("candidates-request", 18, DocumentKind.REQUEST, "确定候选人预备人选的请示", "candidates_request.html", False),
    Paper("candidates-reply", 18, DocumentKind.REPLY, "确定候选人预备人选的批复", "candidates_reply.html", True),
    Paper("result-report", 27, DocumentKind.REQUEST, "选举结果的报告", "result_report.html", False),
    Paper("result-reply", 27, DocumentKind.REPLY, "选举结果的批复", "result_reply.html", True),
)
BY_SLUG: dict[str, Paper] = {p.slug: p for p in PAPERS}
EXPORT_VERB = "export"  # recorded as "election.export" by elections.services.workflow.event

CN_NUMBERS = "一二三四五六七八九十"


def paper_for(step_number: int, kind: str) -> Paper | None:
    """The paper that fills a step's required document of this kind, if the app can write it."""
    return next((p for p in PAPERS if p.step == step_number and p.kind == kind), None)


def papers_by_step() -> dict[int, list[Paper]]:
    rows: dict[int, list[Paper]] = {}
    for p in PAPERS:
        rows.setdefault(p.step, []).append(p)
    return rows


def _approval(project: ElectionProject) -> Approval | None:
    return project.approvals.filter(approved=True).order_by("-decided_on").first()


def _candidates(project: ElectionProject) -> list[dict[str, Any]]:
    """The final list (候选人预备人选), committee first then secretary and deputy, names in stroke order per post."""
    support = {r["member"].pk: r["total"] for r in recommendation_ranking(project)}
    rows: list[dict[str, Any]] = []
    qs = (
        project.candidates.filter(stage=ListStage.FINAL)
        .exclude(status__in=[CandidateStatus.REFUSED, CandidateStatus.WITHDRAWN])
        .select_related("member")
    )
    by_post: dict[str, list[Any]] = {}
    for c in qs:
        by_post.setdefault(c.post, []).append(c)
    for post in (CandidatePost.COMMITTEE, CandidatePost.SECRETARY, CandidatePost.DEPUTY):
        cands = {c.member.name: c for c in by_post.get(post, [])}
        for name in sort_by_stroke(list(cands)):
            c = cands[name]
            m = c.member
            rows.append(
                {
                    "name": name,
                    "post": c.get_post_display(),
                    "post_value": post,
                    "gender": m.get_gender_display(),
                    "birth": m.birth_date,
                    "education": m.get_education_display(),
                    "joined": m.joined_on,
                    "support": support.get(m.pk, 0),
                    "approved": c.status == CandidateStatus.APPROVED,
                }
            )
    return rows


def _rounds(project: ElectionProject) -> list[dict[str, Any]]:
    meeting = getattr(project, "meeting", None)
    if meeting is None:
        return []
    rows = []
    for r in meeting.rounds.select_related("result").order_by("number"):
        result = getattr(r, "result", None)
        votes = sorted((result.votes if result else {}).items(), key=lambda kv: (-kv[1], kv[0]))
        rows.append({"round": r, "result": result, "votes": votes})
    return rows


def paper_context(project: ElectionProject, paper: Paper, *, today: date | None = None) -> dict[str, Any]:
    org = project.organization
    township = project.township
    approval = _approval(project)
    members = Member.objects.filter(organization=org, left_on__isnull=True)
    full = members.filter(status=MemberStatus.FULL).count()
    committee = proposed_committee(project) if paper.step == 27 else []
    signed_on = today or timezone.localdate()
    if paper.slug == "result-reply" and approval is not None:
        signed_on = approval.decided_on
    return {
        "paper": paper,
        "title": title_of(project, paper),
        "project": project,
        "organization": org,
        "township": township,
        "addressee": org.name if paper.from_township else township.name,
        "signer": township.name if paper.from_township else org.name,
        "signed_on": signed_on,
        "term": project.term,
        "members_total": members.count(),
        "members_full": full,
        "members_probationary": members.filter(status=MemberStatus.PROBATIONARY).count(),
        "roll": roll_counts(project),
        "candidates": _candidates(project) if paper.step >= 18 else [],
        "recommendation_rounds": dict(RecommendationRound.choices),
        "meeting": getattr(project, "meeting", None),
        "rounds": _rounds(project) if paper.step == 27 else [],
        "committee": committee,
        "secretary": next((r["name"] for r in committee if r["post"] == "secretary"), ""),
        "deputies": [r["name"] for r in committee if r["post"] == "deputy_secretary"],
        "approval": approval,
    }


def title_of(project: ElectionProject, paper: Paper) -> str:
    org = project.organization.name
    return {
        "convene-request": f"{org}关于召开党员大会进行换届选举的请示",
        "convene-reply": f"关于同意{org}召开党员大会进行换届选举的批复",
        "candidates-request": f"{org}关于确定新一届委员会委员、书记候选人预备人选的请示",
        "candidates-reply": f"关于{org}新一届委员会委员、书记候选人预备人选的批复",
        "result-report": f"{org}关于换届选举结果的报告",
        "result-reply": f"关于{org}换届选举结果的批复",
    }[paper.slug]


def filename_of(project: ElectionProject, paper: Paper) -> str:
    return f"{project.organization.name}-{paper.label}.pdf"


def render_paper(project: ElectionProject, paper: Paper) -> tuple[str, bytes]:
    """The paper as PDF bytes (no audit: the caller records why it was made)."""
    content = render_pdf(f"elections/documents/{paper.template}", paper_context(project, paper))
    return filename_of(project, paper), content


def paper_pdf(*, actor: Any, project: ElectionProject, paper: Paper) -> tuple[str, bytes]:
    """A download: rendered and recorded as an export event on the project's timeline."""
    result = render_paper(project, paper)
    event(actor, project, EXPORT_VERB, f"下载《{title_of(project, paper)}》", after={"paper": paper.slug})
    return result
