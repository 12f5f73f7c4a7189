"""Printable documents of one assessment (附件1–4), the blank ballot (附件2) and the public notice (公示).

Builders take model objects the caller already obtained through the selectors below (scope checked) and return
``(filename, bytes)``; each export records one ``grading.export`` audit event. No HTTP here. The township summary
(附件5), the district workbook (a background job) and the district circular live in ``grading.documents.summary``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from core.documents import render_pdf, write_xlsx
from grading.documents import summary as documents_summary
from grading.documents.summary import record_export
from grading.models import (
    SECRETARY_EDITABLE,
    Assessment,
    AttendeeCategory,
    Campaign,
    MeetingTallyRow,
    Notice,
    SelfReport,
)
from grading.rules import counting as counting_rules
from grading.rules import grades as grade_rules
from grading.selectors import yearend
from grading.selectors.evidence import evidence_of
from grading.selectors.notices import public_rows
from grading.services import regrade as yearend_regrade
from grading.services.assessments import DimensionRows, band_of, scoring_sheet

BALLOTS_PER_PAGE = (2, 4)
REPORT_SECTIONS = (
    ("basic_situation", "一、基本情况"),
    ("self_building", "二、自身建设情况"),
    ("role_played", "三、发挥作用情况"),
    ("problems", "四、存在问题及原因"),
    ("measures", "五、改进措施"),
)
ANNEX_TITLES = {
    1: "基层党组织自查自评报告",
    2: "基层党组织分类定级测评票",
    "2t": "基层党组织分类定级测评会情况统计表",
    3: "基层党组织自评及等次初步认定表",
    4: "乡镇(街道)党(工)委初评表",
}


# --- Helpers ----------------------------------------------------------------------------------------------------


def grade_label(value: str) -> str:
    return grade_rules.Grade(value).label if value else ""


def score_text(value: Decimal | None) -> str:
    return grade_rules.fmt(value) if value is not None else ""


def _base_context(a: Assessment) -> dict[str, Any]:
    return {
        "assessment": a,
        "organization": a.organization,
        "campaign": a.campaign,
        "is_draft": a.status in SECRETARY_EDITABLE,
        "today": timezone.localdate(),
    }


def _filename(a: Assessment, what: str, ext: str) -> str:
    return f"{a.campaign.year}年度{a.organization.name}{what}.{ext}"


# --- 附件1 ------------------------------------------------------------------------------------------------------


def annex1_pdf(*, actor: Any, assessment: Assessment) -> tuple[str, bytes]:
    report = SelfReport.objects.filter(assessment=assessment).first()
    sections = [(label, getattr(report, f, "") if report else "") for f, label in REPORT_SECTIONS]
    context = {**_base_context(assessment), "title": ANNEX_TITLES[1], "sections": sections}
    content = render_pdf("grading/documents/annex1.html", context)
    record_export(
        actor=actor, what="附件1自查自评报告", fmt="pdf", target=assessment, org_path=assessment.organization.path
    )
    return _filename(assessment, "自查自评报告(附件1)", "pdf"), content


# --- 附件2: blank ballots and the tally ---------------------------------------------------------------------------


def annex2_blank_pdf(
    *, actor: Any, campaign: Campaign, per_page: int = 2, assessment: Assessment | None = None
) -> tuple[str, bytes]:
    """Ballots to print and cut: two (stacked) or four (2 × 2) per A4 page, one page's worth."""
    per_page = per_page if per_page in BALLOTS_PER_PAGE else BALLOTS_PER_PAGE[0]
    org_name = assessment.organization.name if assessment else ""
    context = {
        "title": ANNEX_TITLES[2],
        "campaign": campaign,
        "org_name": org_name,
        "grades": [g.label for g in grade_rules.GRADE_ORDER],
        # rows × columns of the page: 2 stacked, or 2 × 2
        "ballot_rows": [range(per_page // 2)] * 2,
        "per_page": per_page,
    }
    content = render_pdf("grading/documents/annex2_ballot.html", context)
    target = assessment or campaign
    org_path = assessment.organization.path if assessment else ""
    record_export(actor=actor, what="附件2测评票(空白)", fmt="pdf", target=target, org_path=org_path, per_page=per_page)
    prefix = f"{campaign.year}年度{org_name}" if org_name else f"{campaign.year}年度"
    return f"{prefix}分类定级测评票(附件2).pdf", content


@dataclass(frozen=True)
class TallyLine:
    label: str
    attendees: int
    counts: list[int]  # ballots per grade, best first
    ballots: int


@dataclass(frozen=True)
class TallyTable:
    lines: list[TallyLine]
    total: TallyLine
    shares: list[Decimal]  # percent of all ballots per grade, best first
    problems: list[str]


def tally_table(assessment: Assessment) -> TallyTable:
    """附件2 统计表: one line per attendee category (in the plan's order), totals and shares
    (``counting_rules.tally_meeting``)."""
    rows = {r.category: r for r in MeetingTallyRow.objects.filter(meeting__assessment=assessment)}
    lines = []
    for category in AttendeeCategory:
        row = rows.get(category.value)
        counts = [getattr(row, g.value) if row else 0 for g in grade_rules.GRADE_ORDER]
        lines.append(TallyLine(category.label, row.attendees if row else 0, counts, sum(counts)))
    try:
        tally = counting_rules.tally_meeting(
            {c: {grade_rules.Grade(g): n for g, n in r.ballots().items()} for c, r in rows.items()},
            {c: r.attendees for c, r in rows.items()},
        )
        shares, problems = [tally.shares[g] for g in grade_rules.GRADE_ORDER], []
    except grade_rules.RuleViolation as exc:
        shares, problems = [Decimal("0.0")] * len(grade_rules.GRADE_ORDER), exc.messages
    totals = [sum(line.counts[i] for line in lines) for i in range(len(grade_rules.GRADE_ORDER))]
    total = TallyLine("合计", sum(line.attendees for line in lines), totals, sum(totals))
    return TallyTable(lines, total, shares, problems)


def annex2_tally_pdf(*, actor: Any, assessment: Assessment) -> tuple[str, bytes]:
    meeting = getattr(assessment, "meeting", None)
    context = {
        **_base_context(assessment),
        "title": ANNEX_TITLES["2t"],
        "meeting": meeting,
        "table": tally_table(assessment),
        "grades": [g.label for g in grade_rules.GRADE_ORDER],
    }
    content = render_pdf("grading/documents/annex2_tally.html", context)
    record_export(
        actor=actor, what="附件2测评会情况统计表", fmt="pdf", target=assessment, org_path=assessment.organization.path
    )
    return _filename(assessment, "测评会情况统计表(附件2)", "pdf"), content


TALLY_HEADERS = ("参会人员类别", "参会人数", "好", "较好", "一般", "较差", "收回测评票")


def annex2_tally_xlsx(*, actor: Any, assessment: Assessment) -> tuple[str, bytes]:
    table = tally_table(assessment)
    rows: list[list[Any]] = [
        [line.label, line.attendees, *line.counts, line.ballots] for line in [*table.lines, table.total]
    ]
    rows.append(["占比(%)", None, *table.shares, None])
    content = write_xlsx(headers=TALLY_HEADERS, rows=rows, title="测评会情况统计表")
    record_export(
        actor=actor, what="附件2测评会情况统计表", fmt="xlsx", target=assessment, org_path=assessment.organization.path
    )
    return _filename(assessment, "测评会情况统计表(附件2)", "xlsx"), content


# --- 附件3 and 附件4 ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetDimension:
    rows: DimensionRows
    self_total: Decimal
    township_total: Decimal
    regrade_total: Decimal = Decimal(0)  # the district's year-end re-scoring (ScoreLevel.REGRADE), 0 without one


def _sheet(assessment: Assessment, sheet: list[DimensionRows] | None = None) -> list[SheetDimension]:
    def total(scores: list[Any]) -> Decimal:
        return sum((s.points for s in scores if s is not None and s.points), Decimal(0))

    return [
        SheetDimension(
            dim,
            total([r.self_score for r in dim.rows]),
            total([r.township_score for r in dim.rows]),
            total([r.regrade_score for r in dim.rows if not r.item.is_veto]),
        )
        for dim in (sheet if sheet is not None else scoring_sheet(assessment))
    ]


def annex3_pdf(*, actor: Any, assessment: Assessment) -> tuple[str, bytes]:
    a = assessment
    self_band = ""
    if a.self_score is not None:
        self_band = grade_rules.grade_for_score(a.self_score).label
    table = tally_table(a)
    context = {
        **_base_context(a),
        "title": ANNEX_TITLES[3],
        "dimensions": _sheet(a),
        "self_grade": grade_label(a.self_grade),
        "self_band": self_band,
        "good_share": table.shares[0],
        "ballots": table.total.ballots,
    }
    content = render_pdf("grading/documents/annex3.html", context)
    record_export(actor=actor, what="附件3自评及等次初步认定表", fmt="pdf", target=a, org_path=a.organization.path)
    return _filename(a, "自评及等次初步认定表(附件3)", "pdf"), content


@dataclass(frozen=True)
class Annex4Regrade:
    """The district's year-end 复核 of the organization item by item (``yearend_regrade.regrade_decide(scoring=...)``),
    printed beside the township's scores on 附件4: the re-scored total and its band, the grade it gave (the final
    grade), the decision's date and the district's opinion."""

    total: Decimal
    vetoed: bool
    band: str
    grade: str
    decided_on: Any  # date | None
    opinion: str


def _regrade_of(actor: Any, a: Assessment, sheet: list[DimensionRows]) -> Annex4Regrade | None:
    """``None`` unless the sheet holds item scores of a year-end re-scoring (they are the ones behind the current
    year-end grade: a later grade-only decision drops them)."""
    totals = yearend_regrade.sheet_totals(sheet)
    if not totals.regraded:
        return None
    decided = yearend.requests_of(actor, a).last_decided
    return Annex4Regrade(
        total=totals.regrade,
        vetoed=totals.regrade_vetoed,
        band=totals.regrade_band,
        grade=grade_label(a.final_grade),
        decided_on=timezone.localdate(decided.decided_at) if decided and decided.decided_at else None,
        opinion=decided.decision_note if decided else "",
    )


def _annex4_context(actor: Any, a: Assessment) -> dict[str, Any]:
    band = band_of(a)
    sheet = scoring_sheet(a)
    return {
        **_base_context(a),
        "title": ANNEX_TITLES[4],
        "dimensions": _sheet(a, sheet),
        "band": grade_label(band),
        "township_grade": grade_label(a.township_grade),
        "overridden": bool(a.township_grade and band and a.township_grade != band),
        "regrade": _regrade_of(actor, a, sheet),
        "evidence": evidence_of(actor, [a.organization_id], a.campaign.year)[a.organization_id],
        "printed_on": timezone.localdate(),
    }


def annex4_pdf(*, actor: Any, assessment: Assessment) -> tuple[str, bytes]:
    content = render_pdf("grading/documents/annex4.html", _annex4_context(actor, assessment))
    record_export(
        actor=actor, what="附件4乡镇初评表", fmt="pdf", target=assessment, org_path=assessment.organization.path
    )
    return _filename(assessment, "乡镇初评表(附件4)", "pdf"), content


def _note(row: Any, level: str = "township_score") -> str:
    score = getattr(row, level)
    if score is None:
        return ""
    if row.item.is_veto:
        return "触发一票否决" if score.vetoed else "未触发"
    return score.note


ANNEX4_HEADERS = ("评价内容", "评分项目", "满分", "自评得分", "乡镇评分", "扣分说明")
ANNEX4_REGRADE_HEADERS = (*ANNEX4_HEADERS, "复核评分", "复核扣分说明")


def annex4_xlsx(*, actor: Any, assessment: Assessment) -> tuple[str, bytes]:
    """附件4 as a workbook; with a year-end re-scoring, two columns more (复核评分, 复核扣分说明) and its lines."""
    ctx = _annex4_context(actor, assessment)
    a = assessment
    regrade: Annex4Regrade | None = ctx["regrade"]
    extra: list[Any] = [None, ""] if regrade else []
    rows: list[list[Any]] = []
    for dim in ctx["dimensions"]:
        for r in dim.rows.rows:
            item = r.item
            row = [
                dim.rows.dimension.name,
                item.text + ("(一票否决项)" if item.is_veto else ""),
                item.max_points,
                r.self_score.points if r.self_score else None,
                r.township_score.points if r.township_score else None,
                _note(r),
            ]
            if regrade:
                row += [r.regrade_score.points if r.regrade_score else None, _note(r, "regrade_score")]
            rows.append(row)
    rows.append(
        [
            "合计",
            "",
            sum((d.rows.dimension.max_points for d in ctx["dimensions"]), Decimal(0)),
            a.self_score,
            a.township_score,
            "",
            *([regrade.total, ""] if regrade else []),
        ]
    )
    rows.append(["触发一票否决", "是" if a.township_vetoed else "否", None, None, None, "", *extra])
    rows.append(["得分对应等次", ctx["band"], None, None, None, "", *extra])
    rows.append(["初定等次", ctx["township_grade"], None, None, None, "", *extra])
    rows.append(["调整理由", a.township_override_reason, None, None, None, "", *extra])
    rows.append(["乡镇党(工)委意见", a.township_opinion, None, None, None, "", *extra])
    if regrade:
        rows.append(["复核评分总分", regrade.total, None, None, None, "", None, ""])
        rows.append(["复核触发一票否决", "是" if regrade.vetoed else "否", None, None, None, "", None, ""])
        rows.append(["复核得分对应等次", regrade.band, None, None, None, "", None, ""])
        rows.append(["复核定级", regrade.grade, None, None, None, "", None, ""])
        rows.append(["复核日期", regrade.decided_on, None, None, None, "", None, ""])
        rows.append(["区委组织部复核意见", regrade.opinion, None, None, None, "", None, ""])
    headers = ANNEX4_REGRADE_HEADERS if regrade else ANNEX4_HEADERS
    content = write_xlsx(headers=headers, rows=rows, title="乡镇初评表")
    record_export(actor=actor, what="附件4乡镇初评表", fmt="xlsx", target=a, org_path=a.organization.path)
    return _filename(a, "乡镇初评表(附件4)", "xlsx"), content


# --- 公示 --------------------------------------------------------------------------------------------------------


def notice_pdf(*, actor: Any, notice: Notice) -> tuple[str, bytes]:
    # the printed notice is the public page on paper: names and 初评等次, never the township's scores
    context = {
        "title": notice.title,
        "notice": notice,
        "rows": public_rows(actor, notice),
        "today": timezone.localdate(),
    }
    content = render_pdf("grading/documents/notice.html", context)
    record_export(actor=actor, what="公示", fmt="pdf", target=notice, org_path=notice.township.path)
    return f"{notice.title}.pdf", content


# The district workbook is a background job: its function lives beside the summary builders and is registered
# here, because ``core.jobs`` finds job kinds by importing each app's ``documents`` module.
documents_summary.register_jobs()
