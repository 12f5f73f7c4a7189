"""The documents of rectification (DOMAIN.md §6): the ledger (整改台账) of one case and of the district as xlsx and
PDF, the acceptance report PDF, and the district circular (通报) of weak organizations' progress.

Each builder takes objects the caller already fetched through a scoped selector and returns (filename, bytes); each
download is recorded as one ``rectification.export`` event.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count
from django.utils import timezone

from core import audit, jobs
from core.documents import Sheet, render_pdf, write_xlsx
from core.models import Job
from core.names import display_name
from organizations.models import Organization
from organizations.roles import Perm
from rectification.models import Acceptance, Case, SupervisionLevel, SupervisionVisit
from rectification.rules import acceptance as acceptance_rules
from rectification.rules import ledger as ledger_rules
from rectification.rules.cases import Phase
from rectification.selectors import boards as board_selectors
from rectification.selectors import cases as case_selectors

EXPORT_VERB = "rectification.export"

LEDGER_HEADERS = (
    "序号",
    "问题类别",
    "问题来源",
    "问题描述",
    "整改措施",
    "责任人",
    "整改时限",
    "预算(万元)",
    "已支出(万元)",
    "状态",
    "完成进度(%)",
    "完成日期",
    "是否逾期",
)


def record_export(*, actor: Any, what: str, fmt: str, target: Any, org_path: str) -> None:
    audit.record(
        actor=actor,
        verb=EXPORT_VERB,
        summary=f"导出{what}({fmt.upper()})",
        target=target,
        org_path=org_path,
        after={"document": what, "format": fmt},
    )


def _ledger_cells(row: case_selectors.LedgerRow) -> list[Any]:
    p, m = row.problem, row.measure
    head = [p.get_category_display(), p.get_source_display(), p.description]
    if m is None:
        return [*head, "(尚未制定措施)", "", None, None, None, "", None, None, ""]
    return [
        *head,
        m.text,
        m.responsible,
        m.deadline,
        m.budget,
        m.spent,
        m.get_status_display(),
        ledger_rules.effective_percent(m.status, m.percent),
        m.done_on,
        "逾期" if row.overdue else "",
    ]


def _case_context(actor: Any, case: Case, today: date) -> dict[str, Any]:
    rows = case_selectors.ledger_rows(actor, case, today)
    measures = [r.measure for r in rows if r.measure is not None]
    return {
        "case": case,
        "org": case.organization,
        "rows": rows,
        "progress": case_selectors.case_progress(actor, case),
        "overdue": sum(r.overdue for r in rows),
        "budget": sum((m.budget or 0) for m in measures),
        "spent": sum(m.spent for m in measures),
        "projects": list(case.projects.all()),
        "targets": list(case.targets.all()),
        "work_group": list(case.work_group.all()),
        "today": today,
    }


def case_title(case: Case) -> str:
    return f"{case.organization.name}整改台账"


# --- One case ---------------------------------------------------------------------------------------------------


def case_ledger_xlsx(*, actor: Any, case: Case) -> tuple[str, bytes]:
    today = timezone.localdate()
    ctx = _case_context(actor, case, today)
    sheets = [
        Sheet("整改台账", LEDGER_HEADERS, [[i, *_ledger_cells(r)] for i, r in enumerate(ctx["rows"], start=1)]),
        Sheet(
            "整顿项目",
            ("项目名称", "投资(万元)", "完成进度(%)", "计划竣工日期", "已竣工", "竣工日期"),
            [
                [p.name, p.investment, p.percent, p.planned_completion, "是" if p.completed else "否", p.completed_on]
                for p in ctx["projects"]
            ],
        ),
        Sheet(
            "党员发展培养对象",
            ("类别", "姓名", "出生日期", "文化程度", "确定日期"),
            [
                [t.get_kind_display(), t.person_name, t.birth_date, t.get_education_display(), t.since]
                for t in ctx["targets"]
            ],
        ),
        Sheet(
            "整改进展",
            ("报告时间", "整改措施", "进展情况", "报告人"),
            [
                [n.at, n.measure.text if n.measure else "", n.text, display_name(n.author)]
                for n in case.notes.select_related("measure", "author")
            ],
        ),
    ]
    content = write_xlsx(sheets)
    record_export(actor=actor, what=case_title(case), fmt="xlsx", target=case, org_path=case.organization.path)
    return f"{case.year}年度{case_title(case)}.xlsx", content


def case_ledger_pdf(*, actor: Any, case: Case) -> tuple[str, bytes]:
    today = timezone.localdate()
    ctx = _case_context(actor, case, today)
    content = render_pdf("rectification/documents/ledger.html", {**ctx, "title": case_title(case)})
    record_export(actor=actor, what=case_title(case), fmt="pdf", target=case, org_path=case.organization.path)
    return f"{case.year}年度{case_title(case)}.pdf", content


def acceptance_pdf(*, actor: Any, acceptance: Acceptance) -> tuple[str, bytes]:
    case = acceptance.case
    title = f"{case.organization.name}整顿检查验收报告"
    content = render_pdf(
        "rectification/documents/acceptance.html",
        {
            "title": title,
            "a": acceptance,
            "case": case,
            "org": case.organization,
            "inspections": [
                (label, getattr(acceptance, f"{key}_passed"), getattr(acceptance, f"{key}_findings"))
                for key, label in acceptance_rules.InspectionItem.choices
            ],
            "share": acceptance_rules.satisfied_share(
                acceptance_rules.Satisfaction(
                    acceptance.representatives_total,
                    acceptance.satisfied,
                    acceptance.basically_satisfied,
                    acceptance.unsatisfied,
                )
            ),
            "issues": list(acceptance.issues.all()),
        },
    )
    record_export(actor=actor, what=title, fmt="pdf", target=case, org_path=case.organization.path)
    return f"{title}({acceptance.held_on:%Y%m%d}).pdf", content


# --- The district -------------------------------------------------------------------------------------------------


def _town(path: str, towns: dict[str, str]) -> str:
    return towns.get(path[: 2 * Organization.steplen], "")


def district_ledger_xlsx(*, actor: Any, root: Organization) -> tuple[str, bytes]:
    today = timezone.localdate()
    towns = board_selectors.township_names(actor)
    board = board_selectors.board_rows(actor, today)
    summary = Sheet(
        "整顿案件汇总",
        (
            "乡镇(街道)",
            "党组织",
            "立案时类别",
            "阶段",
            "立案日期",
            "已立案天数",
            "措施数",
            "逾期措施",
            "整改进度(%)",
            "计划预算(万元)",
            "已支出(万元)",
            "超过30天未报告进展",
        ),
        [
            [
                _town(r.case.organization.path, towns),
                r.case.organization.name,
                r.case.get_category_display(),
                r.phase_label,
                r.case.opened_on,
                r.days_open,
                r.measures,
                r.overdue,
                r.progress,
                r.budget_planned,
                r.budget_spent,
                "是" if r.stalled else "",
            ]
            for r in board
        ],
    )

    def measure_rows() -> Any:
        for m in board_selectors.district_measures(actor):
            org = m.problem.case.organization
            overdue = ledger_rules.is_overdue(m.deadline, m.status, today)
            yield [
                _town(org.path, towns),
                org.name,
                *_ledger_cells(case_selectors.LedgerRow(m.problem, m, overdue)),
            ]

    detail = Sheet("全区整改台账", ("乡镇(街道)", "党组织", *LEDGER_HEADERS[1:]), measure_rows())
    content = write_xlsx([summary, detail])
    record_export(actor=actor, what="全区整改台账", fmt="xlsx", target=root, org_path=root.path)
    return f"全区整改台账({today:%Y%m%d}).xlsx", content


def district_ledger_pdf(*, actor: Any, root: Organization) -> tuple[str, bytes]:
    today = timezone.localdate()
    towns = board_selectors.township_names(actor)
    board = board_selectors.board_rows(actor, today)
    measures: dict[int, list[case_selectors.LedgerRow]] = {}
    for m in board_selectors.district_measures(actor):
        measures.setdefault(m.problem.case_id, []).append(
            case_selectors.LedgerRow(m.problem, m, ledger_rules.is_overdue(m.deadline, m.status, today))
        )
    cases = [(r, _town(r.case.organization.path, towns), measures.get(r.case.pk, [])) for r in board]
    content = render_pdf(
        "rectification/documents/district_ledger.html", {"title": "全区整改台账", "cases": cases, "today": today}
    )
    record_export(actor=actor, what="全区整改台账", fmt="pdf", target=root, org_path=root.path)
    return f"全区整改台账({today:%Y%m%d}).pdf", content


# Chart of the circular: mm units inside a 158 mm wide figure.
CIRCULAR_AXIS_Y = 52
CIRCULAR_BAR_MAX = 40


def circular_pdf(*, actor: Any, root: Organization) -> tuple[str, bytes]:
    """区委组织部's circular (通报) of the weak and lagging organizations' rectification (part 1 §三(二)4)."""
    today = timezone.localdate()
    towns = board_selectors.township_names(actor)
    board = board_selectors.board_rows(actor, today)
    all_cases = case_selectors.cases_visible_to(actor)
    counts = dict(all_cases.order_by().values_list("phase").annotate(n=Count("pk")).values_list("phase", "n"))
    top = max([*counts.values(), 1])
    colors = {"finding_problems": "#b26a00", "rectifying": "#1565c0", "accepting": "#6a1b9a", "accepted": "#2e7d32"}
    bars = []
    for i, phase in enumerate(Phase):
        n = counts.get(phase.value, 0)
        h = round(CIRCULAR_BAR_MAX * n / top, 1)
        x = 14 + i * 36
        bars.append(
            {
                "label": phase.label,
                "count": n,
                "x": x,
                "cx": x + 12,
                "y": CIRCULAR_AXIS_Y - h,
                "height": h,
                "fill": colors[phase.value],
                "value_y": CIRCULAR_AXIS_Y - h - 1.5,
                "label_y": CIRCULAR_AXIS_Y + 6,
            }
        )
    visits = SupervisionVisit.objects.filter(
        level=SupervisionLevel.DISTRICT, organization__path__startswith=root.path
    ).select_related("organization")[:20]
    content = render_pdf(
        "rectification/documents/circular.html",
        {
            "title": "关于全区软弱涣散和后进基层党组织整顿情况的通报",
            "today": today,
            "rows": [(r, _town(r.case.organization.path, towns)) for r in board],
            "open_count": len(board),
            "accepted": counts.get(Phase.ACCEPTED.value, 0),
            "overdue_rows": [(r, _town(r.case.organization.path, towns)) for r in board if r.overdue],
            "stalled_rows": [(r, _town(r.case.organization.path, towns)) for r in board if r.stalled],
            "bars": bars,
            "axis_y": CIRCULAR_AXIS_Y,
            "visits": visits,
        },
    )
    record_export(actor=actor, what="整顿情况通报", fmt="pdf", target=root, org_path=root.path)
    return f"全区整顿情况通报({today:%Y%m%d}).pdf", content


# --- The district's PDFs as background jobs when they are long (issue 15 §7) ---------------------------------------

# Open cases up to which the district's ledger and circular are rendered in the request (a few pages); beyond, a job.
DISTRICT_PDF_DIRECT_MAX = 60
DISTRICT_PDFS: dict[str, tuple[str, Any]] = {
    "rectification_district_ledger_pdf": ("全区整改台账(PDF)", district_ledger_pdf),
    "rectification_circular_pdf": ("整顿情况通报(PDF)", circular_pdf),
}


def open_case_count(actor: Any) -> int:
    return case_selectors.cases_visible_to(actor).exclude(phase=Phase.ACCEPTED).count()


def district_pdf_start(*, actor: Any, root: Organization, kind: str) -> Job:
    """Queue one of the district's PDFs; the export is recorded when the worker makes it. The caller obtained
    ``root`` through ``access.district_root_for``."""
    title, _ = DISTRICT_PDFS[kind]
    return jobs.job_start(actor=actor, kind=kind, title=title, org_path=root.path, params={})


def _run_district_pdf(job: Job, report_progress: jobs.ReportProgress) -> tuple[str, bytes]:
    # The creator's rights are checked again: supervision revoked meanwhile stops the export.
    from rectification.access import district_root_for

    if job.created_by is None:
        raise jobs.JobError("发起人账号已不存在,无法生成。")
    root = district_root_for(job.created_by)
    report_progress(10)
    return DISTRICT_PDFS[job.kind][1](actor=job.created_by, root=root)


for _kind in DISTRICT_PDFS:
    jobs.register(_kind, _run_district_pdf, perms=(Perm.SUPERVISE,))
