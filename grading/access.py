"""The one way in to grading's objects: ``<thing>_for(user, pk, *, perm=...)`` returns the object or raises the scope
rules' answers. Out of the user's scope (or missing) is 404, the same page either way; visible but the permission not
held there is 403. Every view and every selector that starts from an id goes through here.

A campaign belongs to the district, not to an organization: setting one up is the district staff's, its review and
year-end pages are for whoever holds REVIEW_GRADES at the district root (403 for anyone else, before any lookup);
the rows shown under it are scoped by the selectors. Also here: which actions a user may take on an assessment, so
that pages show only live buttons.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from grading.models import (
    Assessment,
    AssessmentStatus,
    Campaign,
    CampaignStatus,
    Dimension,
    ExperiencePaper,
    Item,
    Notice,
    Objection,
    ObjectionStage,
    RegradeRequest,
    RegradeSupplement,
    ReviewEvidence,
    ScoringTemplate,
    TownshipSummary,
)
from organizations.access import is_district_staff
from organizations.models import Organization
from organizations.roles import Perm
from organizations.scope import can, can_path, get_visible_or_404

TOWNSHIP_DEPTH = 2
NOT_FOUND = "对象不存在或不在您的管辖范围内"
# The 403 page says who may act; a permission not listed gets scope's general sentence.
PERM_MESSAGES = {
    Perm.SELF_ASSESS: "只有本组织书记可以填报自查自评",
    Perm.SCORE_GRADES: "只有乡镇(街道)党(工)委可以评分、退回和办理公示",
    Perm.REVIEW_GRADES: "只有区委组织部可以审定等次和复核定级",
}


def _require(user: Any, perm: Perm, org: Organization) -> None:
    if not can(user, perm, org):
        raise PermissionDenied(PERM_MESSAGES.get(perm, "您没有执行此操作的权限"))


# --- The district ---------------------------------------------------------------------------------------------


def is_reviewer(user: Any) -> bool:
    """District staff (REVIEW_GRADES held at the district root): ``organizations.access`` answers it, for every app."""
    return is_district_staff(user)


def require_reviewer(user: Any) -> None:
    if not is_reviewer(user):
        raise PermissionDenied("只有区委组织部可以审定等次、处理异议和年底复核")


def require_district(user: Any) -> None:
    """Setting up campaigns and their templates: district staff only."""
    if not is_district_staff(user):
        raise PermissionDenied("只有区委组织部可以设置分类定级年度工作和评分标准")


def district_root_for(user: Any) -> Organization:
    """The district root, for the district-wide documents: district staff (or REVIEW_GRADES at the root). Someone who
    can read the root but not review: 403; anyone else does not see the district at all: 404."""
    root = Organization.objects.filter(depth=1).order_by("path").first()
    if root is None:
        raise Http404("尚未建立组织")
    if is_district_staff(user) or can(user, Perm.REVIEW_GRADES, root):
        return root
    if can(user, Perm.VIEW_RECORDS, root):
        raise PermissionDenied("只有区委组织部可以导出全区汇总和通报")
    raise Http404(NOT_FOUND)


# --- Campaigns and their templates ----------------------------------------------------------------------------


def campaign_for(user: Any, pk: Any, *, perm: Perm | None = None, opened: bool = False) -> Campaign:
    """A campaign by id (404 when missing).

    ``perm=Perm.REVIEW_GRADES``: the district's review and year-end pages (403 first for anyone not holding it at the
    root). Without ``perm``: a campaign is known to every user, the rows shown under it are scoped; ``opened`` hides
    a draft one (it has no assessments yet and is the district's business).
    """
    if perm is not None:
        if perm != Perm.REVIEW_GRADES:
            raise ValueError(f"campaign_for: {perm} is not a district permission")
        require_reviewer(user)
        return get_object_or_404(Campaign.objects.select_related("year_end"), pk=pk)
    qs = Campaign.objects.exclude(status=CampaignStatus.DRAFT) if opened else Campaign.objects.all()
    try:
        return qs.get(pk=pk)
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404("年度不存在") from None


def campaign_to_set_up_for(user: Any, pk: Any) -> Campaign:
    """A campaign on the district's setup pages (settings, templates): district staff only (403 before any lookup)."""
    require_district(user)
    return get_object_or_404(Campaign, pk=pk)


def template_for(user: Any, campaign: Campaign, pk: Any) -> ScoringTemplate:
    require_district(user)
    return get_object_or_404(ScoringTemplate, pk=pk, campaign=campaign)


def dimension_for(user: Any, campaign: Campaign, pk: Any) -> Dimension:
    require_district(user)
    return get_object_or_404(Dimension.objects.select_related("template"), pk=pk, template__campaign=campaign)


def item_for(user: Any, campaign: Campaign, pk: Any) -> Item:
    require_district(user)
    return get_object_or_404(
        Item.objects.select_related("dimension__template"), pk=pk, dimension__template__campaign=campaign
    )


# --- Organizations --------------------------------------------------------------------------------------------


def township_for(user: Any, pk: Any, *, perm: Perm = Perm.VIEW_RECORDS) -> Organization:
    """A township committee (depth 2) in the user's scope (404 otherwise) on which the user holds ``perm`` (403)."""
    town = get_visible_or_404(Organization.objects.filter(depth=TOWNSHIP_DEPTH), user, path_field="path", pk=pk)
    _require(user, perm, town)
    return town


# --- Assessments ----------------------------------------------------------------------------------------------

ASSESSMENT_RELATED = ("organization", "campaign", "template", "notice", "report", "meeting")


def assessment_for(user: Any, pk: Any, *, perm: Perm = Perm.VIEW_RECORDS, township_level: bool = False) -> Assessment:
    """An assessment whose organization is in the user's scope (404 otherwise), on which the user holds ``perm``
    (403 otherwise). ``township_level``: the page shows the township's scoring, which needs read access at the
    township (township staff, viewers, the district): a branch secretary sees only their own organization (403)."""
    a = get_visible_or_404(
        Assessment.objects.select_related(*ASSESSMENT_RELATED), user, path_field="organization__path", pk=pk
    )
    if township_level and not can_path(user, Perm.VIEW_RECORDS, a.organization.township_path()):
        raise PermissionDenied("乡镇评分只有乡镇(街道)党(工)委和区委组织部可以查看")
    _require(user, perm, a.organization)
    return a.as_of(timezone.localdate())


def assessment_under_review_for(user: Any, campaign: Campaign, pk: Any) -> Assessment:
    """An assessment of ``campaign`` on the district's review pages (the caller has the campaign through
    ``campaign_for(..., perm=REVIEW_GRADES)``; checked again here, no query)."""
    require_reviewer(user)
    return get_object_or_404(Assessment.objects.select_related("organization", "campaign"), campaign=campaign, pk=pk)


def regrade_request_for(user: Any, campaign: Campaign, pk: Any) -> RegradeRequest:
    """A re-grading request of ``campaign`` on the district's year-end page (district reviewers only)."""
    require_reviewer(user)
    return get_object_or_404(
        RegradeRequest.objects.select_related("assessment__organization", "assessment__campaign"),
        assessment__campaign=campaign,
        pk=pk,
    )


# --- Notices and their objections ------------------------------------------------------------------------------


def notice_for(user: Any, pk: Any, *, perm: Perm = Perm.VIEW_RECORDS) -> Notice:
    """A notice of a township in the user's scope (404 otherwise); handling it (``perm=SCORE_GRADES``) is the
    township's (403 otherwise)."""
    notice = get_visible_or_404(
        Notice.objects.select_related("campaign", "township", "published_by"), user, path_field="township__path", pk=pk
    )
    _require(user, perm, notice.township)
    return notice


def notice_objection_for(user: Any, notice: Notice, pk: Any) -> Objection:
    """An objection recorded during ``notice`` (404 for any other)."""
    return get_visible_or_404(
        Objection.objects.select_related("assessment__organization", "assessment__notice").filter(
            assessment__notice=notice, stage=ObjectionStage.NOTICE
        ),
        user,
        path_field="assessment__organization__path",
        pk=pk,
    )


# --- Uploaded files ---------------------------------------------------------------------------------------------

FILE_KINDS: dict[str, tuple[type[Model], str, str]] = {
    # kind: (model, file field, path of the organization the file belongs to)
    "objection": (Objection, "evidence", "assessment__organization__path"),
    "regrade": (RegradeRequest, "evidence", "assessment__organization__path"),
    "report": (RegradeSupplement, "written_report", "request__assessment__organization__path"),
    "summary": (TownshipSummary, "report", "township__path"),
    "paper": (ExperiencePaper, "file", "summary__township__path"),
    "review": (ReviewEvidence, "file", "township__path"),  # the district's review evidence (第一篇 三(一)3(1))
}


def file_for(user: Any, kind: str, pk: Any) -> Any:
    """The stored file of an upload the user may read (VIEW_RECORDS on its organization); 404 otherwise."""
    if kind not in FILE_KINDS:
        raise Http404("文件不存在")
    model, attr, path_field = FILE_KINDS[kind]
    obj = get_visible_or_404(model._default_manager.all(), user, path_field=path_field, pk=pk)
    stored = getattr(obj, attr)
    if not stored:
        raise Http404("文件不存在")
    return stored


# --- Which actions a user may take ------------------------------------------------------------------------------


def may_score(user: Any, township: Organization) -> bool:
    """Score, return, publish and handle notices: the township (SCORE_GRADES over it)."""
    return can(user, Perm.SCORE_GRADES, township)


def may_request_regrade(user: Any, township: Organization) -> bool:
    return can(user, Perm.REQUEST_REGRADE, township)


def may_edit_draft(user: Any, assessment: Assessment) -> bool:
    """The secretary of this organization, while the draft is open (no dead buttons or fields for anyone else)."""
    return assessment.is_secretary_editable and can(user, Perm.SELF_ASSESS, assessment.organization)


def may_object(user: Any, assessment: Assessment | None) -> bool:
    """The 提出异议 control: the district's result is inside its objection window and the user may raise one (the
    organization's secretary, its township). Nobody else sees it."""
    if assessment is None or assessment.status != AssessmentStatus.APPROVED or assessment.objection_due is None:
        return False
    if timezone.localdate() > assessment.objection_due:
        return False
    return can(user, Perm.RAISE_OBJECTION, assessment.organization)


SCORING_OPEN = frozenset({AssessmentStatus.SUBMITTED, AssessmentStatus.SCORED})


def actions_for(user: Any, assessment: Assessment) -> dict[str, bool]:
    """What the user may do on this assessment's pages, for showing only live buttons and fields."""
    org = assessment.organization
    return {
        "edit_draft": may_edit_draft(user, assessment),
        "edit_scores": assessment.status in SCORING_OPEN and can(user, Perm.SCORE_GRADES, org),
        "object": may_object(user, assessment),
        "review": can(user, Perm.REVIEW_GRADES, org),
    }


# --- The public notice (no login) -------------------------------------------------------------------------------


class NoticeNotStarted(Exception):
    """A published notice whose period has not begun: the public learns when it starts, nothing else."""

    def __init__(self, starts_on: date) -> None:
        super().__init__(starts_on)
        self.starts_on = starts_on


def public_notice_for(user: Any, pk: Any, *, today: date) -> Notice:
    """An open notice, for anyone (logged in or not). A notice that has ended answers 404, the same as one that does
    not exist; one that has not started yet raises ``NoticeNotStarted`` with its start date only (its list is not yet
    public)."""
    notice = Notice.objects.filter(pk=pk, ends_on__gte=today).select_related("township").first()
    if notice is None:
        raise Http404("公示不存在或不在公示期内")
    if notice.starts_on > today:
        raise NoticeNotStarted(notice.starts_on)
    return notice
