"""The township's 附件4 scoring of one assessment, with the return to the secretary."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from grading import rules
from grading.forms.scoring import ReturnForm, ScoringForm
from grading.models import AssessmentStatus, AttendeeCategory, EvaluationMeeting, SelfReport
from grading.selectors import assessments as sel_secretary
from grading.selectors import board as sel
from grading.services.assessments import band_of, meeting_tally, scoring_sheet, township_scores_save
from grading.services.workflow import Action, allowed_actions, transition
from organizations.roles import Perm
from organizations.scope import can

EDITABLE = frozenset({AssessmentStatus.SUBMITTED, AssessmentStatus.SCORED})


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- 附件4 -----------------------------------------------------------------------------------------------------


def _meeting_rows(assessment: Any) -> tuple[Any, list[dict[str, Any]], Any, list[str]]:
    """The evaluation meeting, its tally rows in attendee-category order, the totals, and any tally problems."""
    meeting = EvaluationMeeting.objects.filter(assessment=assessment).first()
    try:
        tally = meeting_tally(assessment)
    except rules.RuleViolation as exc:
        return meeting, [], None, exc.messages
    labels: dict[str, str] = dict(AttendeeCategory.choices)
    for key, label in rules.ATTENDEE_CATEGORIES.items():
        labels.setdefault(key, label)
    rows = [
        {
            "label": labels.get(category, category),
            "attendees": tally.attendees.get(category, 0),
            "counts": [counts.get(g, 0) for g in rules.GRADE_ORDER],
            "ballots": tally.category_ballots(category),
        }
        for category, counts in sorted(
            tally.by_category.items(),
            key=lambda kv: list(labels).index(kv[0]) if kv[0] in labels else len(labels),
        )
    ]
    return meeting, rows, tally, []


def _score_page(
    request: HttpRequest, assessment: Any, *, form: ScoringForm | None = None, return_form: ReturnForm | None = None
) -> HttpResponse:
    sheet = scoring_sheet(assessment)
    band = band_of(assessment)
    may_edit = assessment.status in EDITABLE and can(request.user, Perm.SCORE_GRADES, assessment.organization)
    if form is None:
        form = ScoringForm(sheet=sheet, assessment=assessment, band=band)
    if not may_edit:
        for f in form.fields.values():
            f.disabled = True
    meeting, tally_rows, tally, tally_problems = _meeting_rows(assessment)
    tally_totals = (
        [(g.label, tally.totals.get(g, 0), tally.shares.get(g, 0)) for g in rules.GRADE_ORDER] if tally else []
    )
    actions = allowed_actions(request.user, assessment)
    return render(
        request,
        "grading/township/score.html",
        {
            "a": assessment,
            "campaign": assessment.campaign,
            "township": sel.township_of(assessment),
            "form": form,
            "sections": form.sections(),
            "band": rules.Grade(band).label if band else "",
            "may_edit": may_edit,
            "can_score": Action.SCORE in actions,
            "can_return": Action.RETURN in actions,
            "may_object": sel_secretary.may_object(request.user, assessment),
            "return_form": return_form or ReturnForm(),
            "report": SelfReport.objects.filter(assessment=assessment).first(),
            "meeting": meeting,
            "tally_rows": tally_rows,
            "tally": tally,
            "tally_problems": tally_problems,
            "tally_totals": tally_totals,
            "grades": rules.GRADE_ORDER,
            "thresholds": {
                "good": rules.fmt(rules.GOOD_MIN),
                "fairly_good": rules.fmt(rules.FAIRLY_GOOD_MIN),
                "average": rules.fmt(rules.AVERAGE_MIN),
            },
        },
    )


@login_required
def assessment_score(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = sel.assessment_get(request.user, pk)
    if request.method != "POST":
        return _score_page(request, assessment)
    if not can(request.user, Perm.SCORE_GRADES, assessment.organization):
        raise PermissionDenied("只有乡镇(街道)党(工)委可以评分")
    form = ScoringForm(request.POST, sheet=scoring_sheet(assessment), assessment=assessment, band=band_of(assessment))
    if not form.is_valid():
        return _score_page(request, assessment, form=form)
    try:
        saved = township_scores_save(
            actor=request.user,
            assessment=assessment,
            expected_version=form.cleaned_data["version"],
            item_scores=form.item_scores(),
            vetoes=form.vetoes(),
            grade=form.cleaned_data["grade"],
            override_reason=form.cleaned_data["override_reason"],
            opinion=form.cleaned_data["opinion"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return _score_page(request, assessment, form=form)
    summary = f"得分{rules.fmt(saved.township_score)}分,初定“{rules.Grade(saved.township_grade).label}”"
    if request.POST.get("action") != "score":
        messages.success(request, f"已保存:{summary}")
        return redirect("grading:township_score", pk=saved.pk)
    try:
        transition(actor=request.user, assessment=saved, action=Action.SCORE)
    except ValidationError as exc:
        messages.warning(request, f"评分已保存,但还不能完成评分:{summary}")
        _errors(request, exc)
        return redirect("grading:township_score", pk=saved.pk)
    messages.success(request, f"{saved.organization.name}已完成评分:{summary}")
    township = sel.township_of(saved)
    return redirect("grading:township_board", campaign_pk=saved.campaign_id, org_pk=township.pk)


@login_required
@require_POST
def assessment_return(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = sel.assessment_get(request.user, pk)
    if not can(request.user, Perm.SCORE_GRADES, assessment.organization):
        raise PermissionDenied("只有乡镇(街道)党(工)委可以退回")
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _score_page(request, assessment, return_form=form)
    try:
        transition(actor=request.user, assessment=assessment, action=Action.RETURN, note=form.cleaned_data["reason"])
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return _score_page(request, assessment, return_form=form)
    messages.success(request, f"已将{assessment.organization.name}的材料退回修改")
    township = sel.township_of(assessment)
    return redirect("grading:township_board", campaign_pk=assessment.campaign_id, org_pk=township.pk)
