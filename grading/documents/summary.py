"""附件5 (a township's summary table, with ranks) and the district workbook of every township (a background job).
Builders only: the callers obtained the township or checked district access.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from core import audit, jobs
from core.documents import Sheet, column_widths, render_pdf, write_xlsx
from core.models import Job
from grading import access
from grading.models import Assessment, AssessmentStatus, Campaign
from grading.rules import counting as counting_rules
from grading.rules import grades as grade_rules
from organizations.models import Organization
from organizations.roles import Perm

EXPORT_VERB = "grading.export"

ANNEX5_DISTRICT_KIND = "grading_annex5_district"
ANNEX5_HEADERS = (
    "序号",
    "组织名称",
    "类别",
    "领域",
    "自评得分",
    "自评等次",
    "测评“好”票比例(%)",
    "乡镇评分",
    "初定等次",
    "排名",
    "备注",
)
OVERVIEW_HEADERS = ("乡镇(街道)", "参评组织数", "已评分", "好", "较好", "一般", "较差", "“好”等次比例(%)")
LOWEST_PER_GRADE = 3  # the circular names the lowest-ranked of each grade (倒排)
_ONE_DECIMAL = Decimal("0.1")


_GRADE_LABELS = {g.value: str(g.label) for g in grade_rules.GRADE_ORDER}


def _label(grade: str) -> str:
    return _GRADE_LABELS.get(grade, grade) if grade else ""


@functools.cache
def _choice_labels(field_name: str) -> dict[Any, str]:
    return {value: str(label) for value, label in Organization._meta.get_field(field_name).flatchoices}


def _choice_label(field_name: str, value: Any) -> Any:
    """``organization.get_<field>_display()`` without rebuilding the choices dict for every one of 5,000 rows."""
    return _choice_labels(field_name).get(value, value)


def percent(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal("0.0")
    return (Decimal(part * 100) / whole).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)


# --- District access -------------------------------------------------------------------------------------------


# --- 附件5 -----------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class SummaryRow:
    number: int
    assessment: Assessment
    good_share: Decimal | None
    rank: int | None
    rank_in_grade: int | None
    remark: str

    def cells(self) -> list[Any]:
        a = self.assessment
        return [
            self.number,
            a.organization.name,
            _choice_label("kind", a.organization.kind),
            _choice_label("field", a.organization.field),
            a.self_score,
            _label(a.self_grade),
            self.good_share,
            a.township_score,
            _label(a.township_grade),
            self.rank,
            self.remark,
        ]


def _remark(a: Assessment) -> str:
    if a.township_score is None or not a.township_grade:
        return f"尚未评分({a.get_status_display()})"
    notes = []
    if a.township_vetoed:
        notes.append("触发一票否决")
    if a.township_override_reason:
        notes.append(f"初定等次与得分不一致:{a.township_override_reason}")
    if a.cap_exceed_reason:
        notes.append(f"超出“好”等次比例:{a.cap_exceed_reason}")
    return ";".join(notes)


# The columns 附件5 prints, ranks and remarks on: the district workbook reads 5,000 assessments at city size, and
# the full rows (every 附件1-4 text field) cost more than the sheet itself.
_SUMMARY_FIELDS = (
    "organization__path",
    "organization__name",
    "organization__kind",
    "organization__field",
    "status",
    "self_score",
    "self_grade",
    "good_share",
    "township_score",
    "township_grade",
    "township_vetoed",
    "township_override_reason",
    "cap_exceed_reason",
)


def _summary_assessments(campaign: Campaign, prefix: str) -> list[Assessment]:
    return list(
        Assessment.objects.filter(campaign=campaign, organization__path__startswith=prefix)
        .select_related("organization")
        .only(*_SUMMARY_FIELDS)
        .order_by("organization__path")
    )


@dataclass(slots=True)
class _OrgView:
    path: str
    name: str
    kind: str
    field: str


@dataclass(slots=True)
class _AssessmentView:
    """The columns of ``_SUMMARY_FIELDS`` as a plain object: at city size (5,000 rows) building model instances cost
    more than a third of the district workbook, and frozen dataclasses a tenth (docs/performance.md)."""

    pk: int
    organization: _OrgView
    status: str
    self_score: Decimal | None
    self_grade: str
    good_share: Decimal | None
    township_score: Decimal | None
    township_grade: str
    township_vetoed: bool
    township_override_reason: str
    cap_exceed_reason: str

    def get_status_display(self) -> str:
        return str(AssessmentStatus(self.status).label)


def _summary_views(campaign: Campaign) -> list[_AssessmentView]:
    rows = (
        Assessment.objects.filter(campaign=campaign).order_by("organization__path").values_list("pk", *_SUMMARY_FIELDS)
    )
    return [_AssessmentView(pk, _OrgView(path, name, kind, fld), *rest) for pk, path, name, kind, fld, *rest in rows]


def _ranked_rows(assessments: list[Any]) -> list[SummaryRow]:
    """附件5 rows of one township's assessments (in tree order): ranked ones by their competition rank
    (counting_rules.rank_within_grades over the township's scored organizations), the ones not scored yet after them."""
    scored = [a for a in assessments if a.township_score is not None and a.township_grade]
    ranked = {
        r.key: r
        for r in counting_rules.rank_within_grades([(a.pk, a.township_score, a.township_grade) for a in scored])
    }
    position = {a.pk: i for i, a in enumerate(assessments)}
    ordered = sorted(
        assessments,
        key=lambda a: (0, ranked[a.pk].rank, position[a.pk]) if a.pk in ranked else (1, 0, position[a.pk]),
    )
    rows = []
    for number, a in enumerate(ordered, start=1):
        r = ranked.get(a.pk)
        rows.append(
            SummaryRow(number, a, a.good_share, r.rank if r else None, r.rank_in_grade if r else None, _remark(a))
        )
    return rows


def summary_rows(campaign: Campaign, township: Organization) -> list[SummaryRow]:
    """Every graded organization of the township: ranked ones by their competition rank
    (``counting_rules.rank_within_grades`` over the township's scored organizations), the ones not scored yet after
    them in tree order."""
    return _ranked_rows(_summary_assessments(campaign, township.path))


def summary_rows_by_township(
    campaign: Campaign, all_townships: list[Organization]
) -> list[tuple[Organization, list[SummaryRow]]]:
    """``summary_rows`` of every township in one query, not one per township. Each township is ranked on its own,
    exactly as ``summary_rows`` ranks it."""
    if not all_townships:
        return []
    width = len(all_townships[0].path)
    by_prefix: dict[str, list[Any]] = {t.path: [] for t in all_townships}
    for a in _summary_views(campaign):  # the whole campaign, in tree order
        group = by_prefix.get(a.organization.path[:width])
        if group is not None:
            group.append(a)
    return [(t, _ranked_rows(by_prefix[t.path])) for t in all_townships]


@dataclass
class Distribution:
    name: str
    total: int = 0
    scored: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {g.value: 0 for g in grade_rules.GRADE_ORDER})

    @property
    def ungraded(self) -> int:
        return self.total - sum(self.counts.values())

    @property
    def good_percent(self) -> Decimal:
        return percent(self.counts[grade_rules.Grade.GOOD], self.total)

    def cells(self) -> list[Any]:
        return [self.name, self.total, self.scored, *self.counts.values(), self.good_percent]

    def add(self, other: Distribution) -> None:
        self.total += other.total
        self.scored += other.scored
        for grade, n in other.counts.items():
            self.counts[grade] += n


def township_distribution(name: str, rows: list[SummaryRow]) -> Distribution:
    d = Distribution(name, total=len(rows))
    for row in rows:
        if row.assessment.township_grade:
            d.scored += 1
            d.counts[row.assessment.township_grade] += 1
    return d


def annex5_title(campaign: Campaign, township: Organization) -> str:
    return f"{township.name}{campaign.year}年度基层党组织分类定级汇总表"


def annex5_xlsx_bytes(campaign: Campaign, township: Organization) -> bytes:
    rows = summary_rows(campaign, township)
    return write_xlsx(headers=ANNEX5_HEADERS, rows=[r.cells() for r in rows], title="分类定级汇总表")


def annex5_pdf_bytes(campaign: Campaign, township: Organization) -> bytes:
    rows = summary_rows(campaign, township)
    dist = township_distribution(township.name, rows)
    cap = counting_rules.good_cap_check(dist.total, dist.counts[grade_rules.Grade.GOOD], campaign.good_cap_percent)
    context = {
        "title": annex5_title(campaign, township),
        "campaign": campaign,
        "township": township,
        "rows": rows,
        "distribution": dist,
        "grades": [(g.label, dist.counts[g.value]) for g in grade_rules.GRADE_ORDER],
        "cap": cap,
        "today": timezone.localdate(),
    }
    return render_pdf("grading/documents/annex5.html", context)


# --- The district workbook (background job) -----------------------------------------------------------------------


def townships() -> list[Organization]:
    return list(Organization.objects.filter(depth=2, dissolved_on__isnull=True).order_by("path"))


WIDTH_SAMPLE_PER_SHEET = 10


def district_workbook_bytes(campaign: Campaign, report_progress: jobs.ReportProgress | None = None) -> bytes:
    """A 汇总 sheet (one line per township and a district total), then one 附件5 sheet per township."""
    per_township = summary_rows_by_township(campaign, townships())
    if report_progress:
        report_progress(50)
    overview = [township_distribution(t.name, rows) for t, rows in per_township]
    total = Distribution("全区合计")
    for d in overview:
        total.add(d)
    sheets = [Sheet("汇总", OVERVIEW_HEADERS, [d.cells() for d in [*overview, total]])]
    cells = [(t, [r.cells() for r in rows]) for t, rows in per_township]
    # One set of column widths for every township's sheet (measured on a sample of all rows): the sheets line up,
    # and 5,000 rows are not measured cell by cell.
    sample = [row for _, rows in cells for row in rows[:WIDTH_SAMPLE_PER_SHEET]]
    widths = column_widths(ANNEX5_HEADERS, sample)
    sheets += [Sheet(t.name, ANNEX5_HEADERS, rows, widths=widths) for t, rows in cells]
    content = write_xlsx(sheets)
    if report_progress:
        report_progress(99)
    return content


def district_workbook_filename(campaign: Campaign) -> str:
    return f"{campaign.year}年度全区基层党组织分类定级汇总表.xlsx"


def record_export(*, actor: Any, what: str, fmt: str, target: Any, org_path: str, **extra: Any) -> None:
    audit.record(
        actor=actor,
        verb=EXPORT_VERB,
        summary=f"导出{what}({fmt.upper()})",
        target=target,
        org_path=org_path,
        after={"document": what, "format": fmt, **extra},
    )


def annex5_district_start(*, actor: Any, campaign: Campaign, root: Organization) -> Job:
    """Queue the district workbook and record the export. The caller checked district access."""
    with transaction.atomic():
        job = jobs.job_start(
            actor=actor,
            kind=ANNEX5_DISTRICT_KIND,
            title=f"{campaign.year}年度全区分类定级汇总表(Excel)",
            org_path=root.path,
            params={"campaign_id": campaign.pk},
        )
        record_export(actor=actor, what="附件5全区汇总表", fmt="xlsx", target=campaign, org_path=root.path, job=job.pk)
    return job


def _run_district_workbook(job: Job, report_progress: jobs.ReportProgress) -> tuple[str, bytes]:
    # Rights are checked again with the creator's current roles: a role revoked meanwhile stops the export.
    user = job.created_by
    if user is None:
        raise jobs.JobError("发起人账号已不存在,无法生成。")
    access.district_root_for(user)  # a grant revoked since the job was queued: refused
    campaign = Campaign.objects.filter(pk=job.params.get("campaign_id")).first()
    if campaign is None:
        raise jobs.JobError("该年度已不存在。")
    return district_workbook_filename(campaign), district_workbook_bytes(campaign, report_progress)


def register_jobs() -> None:
    jobs.register(ANNEX5_DISTRICT_KIND, _run_district_workbook, perms=(Perm.REVIEW_GRADES,))


# --- The district circular (通报) --------------------------------------------------------------------------------
