"""Election papers: the ballot (names in stroke order, 赞成/不赞成/弃权 boxes and a write-in line) and the tally report
as PDF and xlsx. One way to render: core.documents."""

from __future__ import annotations

from typing import Any

from core.documents import Sheet, render_pdf, write_xlsx
from elections.models import BallotRound, ElectionProject, RoundResult
from elections.rules.stroke_order import sort_by_stroke
from elections.rules.terms import PostStatus
from elections.services.approval import proposed_committee, secretary_status


def ballot_pdf(ballot_round: BallotRound) -> tuple[str, bytes]:
    """One ballot per page; rows shrink with the number of names so that 35 still fit one A4 page, legibly."""
    names = sort_by_stroke(ballot_round.names)
    project = ballot_round.meeting.project
    compact = len(names) > 15
    context = {
        "project": project,
        "round": ballot_round,
        "names": names,
        "compact": compact,
        "dense": len(names) > 25,
        "write_in_lines": range(max(1, min(ballot_round.seats, 3))),
    }
    return f"{project.organization.name}-第{ballot_round.number}轮选票.pdf", render_pdf(
        "elections/documents/ballot.html", context
    )


def _rounds(project: ElectionProject) -> list[tuple[BallotRound, RoundResult | None]]:
    meeting = getattr(project, "meeting", None)
    if meeting is None:
        return []
    rounds = meeting.rounds.select_related("result").order_by("number")
    return [(r, getattr(r, "result", None)) for r in rounds]


def by_votes(votes: dict[str, int]) -> list[tuple[str, int]]:
    """A round's votes as the result lists them: most votes first, equal votes by name."""
    return sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))


def report_context(project: ElectionProject) -> dict[str, Any]:
    rows = []
    for r, result in _rounds(project):
        rows.append({"round": r, "result": result, "votes": by_votes(result.votes if result else {})})
    return {
        "project": project,
        "rounds": rows,
        "committee": proposed_committee(project),
        "secretary_status": PostStatus(secretary_status(project)).label,
    }


def report_pdf(project: ElectionProject) -> tuple[str, bytes]:
    return f"{project.organization.name}-选举结果报告.pdf", render_pdf(
        "elections/documents/report.html", report_context(project)
    )


def report_xlsx(project: ElectionProject) -> tuple[str, bytes]:
    rows: list[list[Any]] = []
    for r, result in _rounds(project):
        for name, votes in sorted((result.votes if result else {}).items(), key=lambda kv: (-kv[1], kv[0])):
            rows.append(
                [
                    r.number,
                    r.get_purpose_display(),
                    r.seats,
                    r.due - r.excused,
                    r.present,
                    r.issued,
                    r.returned,
                    result.valid_ballots if result else None,
                    result.invalid_ballots if result else None,
                    name,
                    votes,
                    "当选" if result and name in result.elected else "",
                    r.get_status_display(),
                ]
            )
    sheet = Sheet(
        title="计票结果",
        headers=[
            "轮次",
            "投票事项",
            "应选",
            "应到会",
            "实到会",
            "发出",
            "收回",
            "有效票",
            "无效票",
            "姓名",
            "得票",
            "结果",
            "状态",
        ],
        rows=rows,
    )
    return f"{project.organization.name}-计票结果.xlsx", write_xlsx([sheet])
