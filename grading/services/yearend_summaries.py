"""Year-end (总结验收, source part 1 §三(三)3): each township's written summary with its experience papers, and the
district's excellence award (优秀组织奖) by share. Plain writes that check the actor's permission, run in a transaction
and leave an audit event; the re-grading is in ``grading.services.yearend``.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from core import audit
from grading.models import Campaign, ExcellenceAward, ExperiencePaper, TownshipSummary, YearEndReview
from grading.rules import grades as rules
from grading.services.objections import validate_upload
from grading.services.yearend import district_root, require_on
from organizations.models import Organization
from organizations.roles import Perm

# The plan §三(三)3: "经验材料1-2篇".
PAPERS_MIN = 1
PAPERS_MAX = 2
# The plan §三(三)3 "按一定比例评选出优秀组织奖": the share is the district's; at least one township can be chosen.
AWARD_MIN_COUNT = 1
AWARD_SHARE_DEFAULT = Decimal("20")


# --- Township summaries and experience papers -----------------------------------------------------------------


@transaction.atomic
def summary_submit(
    *,
    actor: Any,
    campaign: Campaign,
    township: Organization,
    report: UploadedFile | None,
    papers: list[tuple[str, UploadedFile]],
) -> TownshipSummary:
    """The township's written summary and 1–2 experience papers (the plan §三(三)3, due 20 Dec). Submitting again
    replaces the earlier files; a late submission is accepted and shown as late."""
    if township.depth != 2:
        raise ValidationError("只有乡镇(街道)党(工)委报送总结材料")
    require_on(actor, Perm.REQUEST_REGRADE, township, "只有本乡镇(街道)党(工)委可以报送总结材料")
    existing = TownshipSummary.objects.select_for_update().filter(campaign=campaign, township=township).first()
    if report is None and existing is None:
        raise ValidationError("请上传书面总结材料")
    if not papers and existing is None:
        raise ValidationError(f"请上传经验材料{PAPERS_MIN}至{PAPERS_MAX}篇")
    if len(papers) > PAPERS_MAX:
        raise ValidationError(f"经验材料最多{PAPERS_MAX}篇,当前为{len(papers)}篇")
    for title, upload in papers:
        if not title.strip():
            raise ValidationError("请填写经验材料的标题")
        validate_upload(upload, what="经验材料")
    validate_upload(report, what="书面总结材料")
    summary = existing or TownshipSummary(campaign=campaign, township=township)
    if report is not None:
        summary.report.save(report.name, report, save=False)
    summary.submitted_by = actor
    summary.submitted_at = timezone.now()
    summary.save()
    if papers:
        summary.papers.all().delete()
        for title, upload in papers:
            paper = ExperiencePaper(summary=summary, title=title.strip())
            paper.file.save(upload.name, upload, save=False)
            paper.save()
    audit.record(
        actor=actor,
        verb="grading.summary_submit",
        summary=f"{township.name}报送{campaign.year}年度分类管理总结材料和经验材料{summary.papers.count()}篇",
        target=summary,
        org_path=township.path,
    )
    return summary


def is_late(summary: TownshipSummary) -> bool:
    return timezone.localdate(summary.submitted_at) > summary.campaign.regrade_due


# --- The excellence award -------------------------------------------------------------------------------------


def award_share(review: YearEndReview | None) -> Decimal:
    return review.award_share_percent if review is not None else AWARD_SHARE_DEFAULT


def award_allowed(township_count: int, share_percent: Decimal) -> int:
    """floor(townships × share), at least one: "20% of 12 townships" allows 2."""
    n = int((Decimal(township_count) * share_percent / 100).to_integral_value(rounding=ROUND_FLOOR))
    return max(AWARD_MIN_COUNT, n)


@transaction.atomic
def award_share_set(*, actor: Any, campaign: Campaign, share_percent: Decimal) -> YearEndReview:
    root = district_root()
    require_on(actor, Perm.REVIEW_GRADES, root, "只有区委组织部可以设置优秀组织奖比例")
    if not (Decimal("0") < share_percent <= 100):
        raise ValidationError(f"评选比例应大于0%且不超过100%,当前为{rules.fmt(share_percent)}%")
    review, _ = YearEndReview.objects.select_for_update().get_or_create(campaign=campaign)
    review.award_share_percent = share_percent
    review.save(update_fields=["award_share_percent"])
    audit.record(
        actor=actor,
        verb="grading.award_share",
        summary=f"{campaign}优秀组织奖评选比例定为{rules.fmt(share_percent)}%",
        target=campaign,
        org_path=root.path,
    )
    return review


@transaction.atomic
def award_choose(*, actor: Any, campaign: Campaign, township: Organization, note: str = "") -> ExcellenceAward:
    root = district_root()
    require_on(actor, Perm.REVIEW_GRADES, root, "只有区委组织部可以评选优秀组织奖")
    if township.depth != 2:
        raise ValidationError("优秀组织奖在乡镇(街道)党(工)委中评选")
    review, _ = YearEndReview.objects.select_for_update().get_or_create(campaign=campaign)
    if ExcellenceAward.objects.filter(campaign=campaign, township=township).exists():
        raise ValidationError(f"{township.name}已获评优秀组织奖")
    townships = Organization.objects.filter(depth=2, dissolved_on__isnull=True).count()
    allowed = award_allowed(townships, review.award_share_percent)
    chosen = ExcellenceAward.objects.filter(campaign=campaign).count()
    if chosen >= allowed:
        raise ValidationError(
            f"优秀组织奖按{rules.fmt(review.award_share_percent)}%评选:{townships}个乡镇(街道)最多{allowed}个,"
            f"已评{chosen}个,不能再增加(方案第三部分(三)3)"
        )
    award = ExcellenceAward.objects.create(campaign=campaign, township=township, note=note.strip(), chosen_by=actor)
    audit.record(
        actor=actor,
        verb="grading.award_choose",
        summary=f"{township.name}获评{campaign.year}年度优秀组织奖",
        target=award,
        org_path=township.path,
    )
    return award


@transaction.atomic
def award_withdraw(*, actor: Any, award: ExcellenceAward) -> None:
    require_on(actor, Perm.REVIEW_GRADES, district_root(), "只有区委组织部可以评选优秀组织奖")
    audit.record(
        actor=actor,
        verb="grading.award_withdraw",
        summary=f"撤销{award.township.name}的{award.campaign.year}年度优秀组织奖",
        target=award.campaign,
        org_path=award.township.path,
    )
    award.delete()
