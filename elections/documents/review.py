"""The joint qualification review matrix (资格联审表, Q1/Q2) of a project as xlsx and PDF, and the district's summary
of posts in the two committees (T1–T4) per township. One way to render: core.documents."""

from __future__ import annotations

from typing import Any

from core.documents import Sheet, render_pdf, write_xlsx
from elections.models import ElectionProject
from elections.rules.joint_review import DEPARTMENTS, LEAD, REREVIEW_BODY
from elections.rules.posts import PostTotals
from elections.selectors.posts import TownshipPosts
from elections.selectors.review import MatrixRow


def _cell(opinion: Any) -> str:
    if opinion is None:
        return "未反馈"
    if opinion.agreed:
        return "同意"
    return f"不同意:{opinion.reason}"


def _rereview(row: MatrixRow) -> str:
    r = row.rereview
    if r is None:
        return "未复审"
    return ("同意" if r.agreed else f"不同意:{r.reason}") + f"({r.reviewed_on:%Y-%m-%d})"


def joint_review_xlsx(project: ElectionProject, rows: list[MatrixRow]) -> tuple[str, bytes]:
    headers = ["姓名", "拟任职务", *DEPARTMENTS.values(), "复审", "联审结论"]
    body = [
        [r.candidate.member.name, r.candidate.get_post_display(), *[_cell(o) for *_, o in r.cells], _rereview(r),
         r.state.label]
        for r in rows
    ]  # fmt: skip
    detail = [
        [r.candidate.member.name, name, _cell(o), o.given_on if o else None, o.reviewer if o else ""]
        for r in rows
        for _, name, o in r.cells
    ]
    sheets = [
        Sheet(title="资格联审表", headers=headers, rows=body),
        Sheet(title="部门意见明细", headers=["姓名", "联审部门", "意见", "日期", "审核人"], rows=detail),
    ]
    return f"{project.organization.name}-资格联审表.xlsx", write_xlsx(sheets)


def joint_review_pdf(project: ElectionProject, rows: list[MatrixRow]) -> tuple[str, bytes]:
    context = {"project": project, "rows": rows, "lead": LEAD, "rereview_body": REREVIEW_BODY}
    return f"{project.organization.name}-资格联审表.pdf", render_pdf("elections/documents/joint_review.html", context)


POSTS_HEADERS = [
    "乡镇(街道)",
    "已填报班子数",
    "一肩挑",
    "一肩挑比例(%)",
    "党组织委员人数",
    "交叉任职人数",
    "交叉任职比例(%)",
    "村(居)委会成员人数",
    "“两委”成员人数",
    "妇联主席进班子",
    "团支部书记进班子",
]


def _posts_row(name: str, t: PostTotals) -> list[Any]:
    return [
        name,
        t.committees,
        t.one_shoulder,
        t.one_shoulder_percent,
        t.party_members,
        t.cross_members,
        t.cross_percent,
        t.villagers_members,
        t.people,
        t.women_chair,
        t.youth_secretary,
    ]


def posts_summary_xlsx(rows: list[TownshipPosts], total: PostTotals) -> tuple[str, bytes]:
    body = [_posts_row(r.township.name, r.totals) for r in rows] + [_posts_row("合计", total)]
    return "“两委”班子任职情况汇总.xlsx", write_xlsx([Sheet(title="两委任职汇总", headers=POSTS_HEADERS, rows=body)])


def posts_summary_pdf(rows: list[TownshipPosts], total: PostTotals) -> tuple[str, bytes]:
    body = [_posts_row(r.township.name, r.totals) for r in rows] + [_posts_row("合计", total)]
    context = {"headers": POSTS_HEADERS, "rows": body}
    return "“两委”班子任职情况汇总.pdf", render_pdf("elections/documents/posts_summary.html", context)
