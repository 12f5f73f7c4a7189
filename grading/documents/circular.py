"""The district circular (通报): the grade distribution with its bar chart and the named lowest-ranked organizations.
Builders only: the callers checked district access.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from core import jobs
from core.documents import render_pdf
from core.models import Job
from grading.documents.summary import LOWEST_PER_GRADE, Distribution, percent, record_export
from grading.models import Assessment, Campaign, GradeRecord, ReviewEvidence
from grading.rules import counting as counting_rules
from grading.rules import grades as grade_rules
from organizations.models import Organization
from organizations.roles import Perm


def effective_grade(a: Assessment) -> str:
    """The latest grade an assessment carries: final, else the district's, else the township's preliminary one."""
    return a.final_grade or a.district_grade or a.township_grade


def effective_score(a: Assessment) -> Decimal | None:
    return a.final_score if a.final_score is not None else a.township_score


@dataclass(frozen=True)
class NamedOrg:
    name: str
    township: str
    score: Decimal | None
    rank_in_grade: int | None = None
    grade: str = ""


BAR_AREA_HEIGHT = 42.0  # mm of the district bar chart's plot area


BAR_WIDTH = 22.0


BAR_GAP = 14.0


CHART_HEIGHT = 10 + BAR_AREA_HEIGHT + 10


# WeasyPrint's SVG renderer takes fills from attributes, not from the page's CSS classes.
BAR_COLOURS = {"good": "#c0392b", "fairly_good": "#e67e22", "average": "#7f8c8d", "poor": "#34495e"}


def _bars(counts: dict[str, int], total: int) -> list[dict[str, Any]]:
    """Geometry of the district chart (mm): one bar per grade, scaled to the largest."""
    top = max(counts.values(), default=0) or 1
    bars = []
    for i, grade in enumerate(grade_rules.GRADE_ORDER):
        n = counts[grade.value]
        height = round(BAR_AREA_HEIGHT * n / top, 2)
        x = BAR_GAP + i * (BAR_WIDTH + BAR_GAP)
        bars.append(
            {
                "label": grade.label,
                "count": n,
                "percent": percent(n, total),
                "x": x,
                "width": BAR_WIDTH,
                "y": 10 + BAR_AREA_HEIGHT - height,
                "height": height,
                "cx": x + BAR_WIDTH / 2,
                "value_y": 10 + BAR_AREA_HEIGHT - height - 2,
                "fill": BAR_COLOURS[grade.value],
                "label_y": 10 + BAR_AREA_HEIGHT + 6,
            }
        )
    return bars


def circular_context(campaign: Campaign) -> dict[str, Any]:
    assessments = list(
        Assessment.objects.filter(campaign=campaign).select_related("organization").order_by("organization__path")
    )
    township_names = {t.path: t.name for t in Organization.objects.filter(depth=2)}
    steplen = Organization.steplen
    by_township: dict[str, Distribution] = {p: Distribution(n) for p, n in sorted(township_names.items())}
    district = Distribution("全区")
    named: dict[str, list[NamedOrg]] = {g.value: [] for g in grade_rules.GRADE_ORDER}
    graded: list[tuple[int, Decimal, str]] = []
    info: dict[int, tuple[str, str]] = {}
    for a in assessments:
        prefix = a.organization.path[: 2 * steplen]
        dist = by_township.setdefault(prefix, Distribution(township_names.get(prefix, "")))
        grade, score = effective_grade(a), effective_score(a)
        township = township_names.get(prefix, "")
        for d in (dist, district):
            d.total += 1
            if grade:
                d.scored += 1
                d.counts[grade] += 1
        if grade:
            named[grade].append(NamedOrg(a.organization.name, township, score, grade=grade))
            if score is not None:
                graded.append((a.pk, score, grade))
                info[a.pk] = (a.organization.name, township)
    lowest: list[NamedOrg] = []
    seen: dict[str, int] = defaultdict(int)
    for r in counting_rules.rank_within_grades(graded):  # 倒排: each grade's lowest first
        if seen[r.grade] < LOWEST_PER_GRADE:
            seen[r.grade] += 1
            name, township = info[r.key]
            lowest.append(NamedOrg(name, township, r.score, r.rank_in_grade, r.grade.label))
    rows = [d for d in by_township.values() if d.total]
    return {
        "title": f"关于{campaign.year}年度全区基层党组织分类定级情况的通报",
        "campaign": campaign,
        "district": district,
        "townships": rows,
        "shares": [
            (g.label, district.counts[g.value], percent(district.counts[g.value], district.total))
            for g in grade_rules.GRADE_ORDER
        ],
        "bars": _bars(district.counts, district.total),
        "chart_height": CHART_HEIGHT,
        "axis_y": 10 + BAR_AREA_HEIGHT,
        "poor": named[grade_rules.Grade.POOR],
        "good": named[grade_rules.Grade.GOOD],
        "lowest": lowest,
        "lowest_per_grade": LOWEST_PER_GRADE,
        "today": timezone.localdate(),
        **_review_context(campaign),
    }


def _review_context(campaign: Campaign) -> dict[str, Any]:
    """第一篇 三(一)3: how the district checked, and the grades it re-adjusted for a major omission or misjudgment."""
    return {
        "reviews": list(
            ReviewEvidence.objects.filter(campaign=campaign)
            .select_related("township", "assessment__organization")
            .order_by("township__path", "held_on", "pk")
        ),
        "readjusted": list(
            GradeRecord.objects.filter(assessment__campaign=campaign, stage=GradeRecord.READJUSTED)
            .select_related("organization")
            .order_by("organization__path", "recorded_at")
        ),
    }


def circular_pdf_bytes(campaign: Campaign) -> bytes:
    return render_pdf("grading/documents/circular.html", circular_context(campaign))


# --- A long circular as a background job (issue 15 §7) -------------------------------------------------------------

CIRCULAR_KIND = "grading_circular_pdf"
# Organizations graded in the campaign up to which the circular is rendered in the request (it names every 好 and
# 较差 one: a fifth of a district or more); beyond, a job.
CIRCULAR_DIRECT_MAX = 300


def circular_filename(campaign: Campaign) -> str:
    return f"{campaign.year}年度全区基层党组织分类定级情况通报.pdf"


def circular_is_long(campaign: Campaign) -> bool:
    return Assessment.objects.filter(campaign=campaign).count() > CIRCULAR_DIRECT_MAX


def circular_start(*, actor: Any, campaign: Campaign, root: Organization) -> Job:
    """Queue the circular; the export is recorded when the worker makes it. The caller obtained ``root`` through
    ``access.district_root_for`` and ``campaign`` through ``access.campaign_for``."""
    return jobs.job_start(
        actor=actor,
        kind=CIRCULAR_KIND,
        title=f"{campaign.year}年度分类定级情况通报(PDF)",
        org_path=root.path,
        params={"campaign_id": campaign.pk},
    )


def _run_circular(job: Job, report_progress: jobs.ReportProgress) -> tuple[str, bytes]:
    # The creator's rights are checked again: a role revoked meanwhile stops the export.
    from grading import access

    if job.created_by is None:
        raise jobs.JobError("发起人账号已不存在,无法生成。")
    root = access.district_root_for(job.created_by)
    campaign = access.campaign_for(job.created_by, job.params.get("campaign_id"))
    report_progress(10)
    content = circular_pdf_bytes(campaign)
    record_export(actor=job.created_by, what="分类定级情况通报", fmt="pdf", target=campaign, org_path=root.path)
    return circular_filename(campaign), content


jobs.register(CIRCULAR_KIND, _run_circular, perms=(Perm.REVIEW_GRADES,))
