"""The township's 附件4 scoring of one assessment, with the return to the secretary.

Thin: the assessment comes through ``grading.access`` (404 out of scope; township-level read access, so a branch
secretary gets 403; scoring and returning are the township's, 403 for anyone else), the page through
``grading.selectors.scoring``, writes through ``grading.services.assessments.township_scores_save`` and the workflow;
their refusals come back as form errors with the typed input kept.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.edits import form_submit, run_edit
from grading import access
from grading.forms.scoring import ReturnForm, ScoringForm
from grading.models import Assessment
from grading.rules import grades as rules
from grading.selectors import board as sel_board
from grading.selectors import scoring as sel_scoring
from grading.services.assessments import band_of, scoring_sheet, township_scores_save
from grading.services.workflow import Action, transition
from organizations.models import Organization
from organizations.roles import Perm


def _score_page(
    request: HttpRequest,
    assessment: Assessment,
    *,
    form: ScoringForm | None = None,
    return_form: ReturnForm | None = None,
) -> HttpResponse:
    page = sel_scoring.scoring_page(request.user, assessment)
    if form is None:
        form = ScoringForm(sheet=page.sheet, assessment=assessment, band=page.band)
    if not page.may_edit:
        for f in form.fields.values():
            f.disabled = True
    return render(
        request,
        "grading/township/score.html",
        {
            "a": assessment,
            "campaign": assessment.campaign,
            "township": sel_board.township_of(request.user, assessment),
            "form": form,
            "sections": form.sections(),
            "band": rules.Grade(page.band).label if page.band else "",
            "may_edit": page.may_edit,
            "can_score": page.can_score,
            "can_return": page.can_return,
            "may_object": page.may_object,
            "return_form": return_form or ReturnForm(),
            "report": page.report,
            "meeting": page.meeting,
            "tally_rows": page.tally_rows,
            "tally": page.tally,
            "tally_problems": page.tally_problems,
            "tally_totals": page.tally_totals,
            "year_end_regrade": page.year_end_regrade,
            "evidence": page.evidence,
            "grades": rules.GRADE_ORDER,
            "thresholds": {
                "good": rules.fmt(rules.GOOD_MIN),
                "fairly_good": rules.fmt(rules.FAIRLY_GOOD_MIN),
                "average": rules.fmt(rules.AVERAGE_MIN),
            },
        },
    )


def _board(assessment: Assessment, township: Organization) -> HttpResponse:
    return redirect("grading:township_board", campaign_pk=assessment.campaign_id, org_pk=township.pk)


@login_required
def assessment_score(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return _score_page(request, access.assessment_for(request.user, pk, township_level=True))
    assessment = access.assessment_for(request.user, pk, perm=Perm.SCORE_GRADES, township_level=True)
    form = ScoringForm(request.POST, sheet=scoring_sheet(assessment), assessment=assessment, band=band_of(assessment))
    if not form.is_valid():
        return _score_page(request, assessment, form=form)
    result = run_edit(
        form,
        lambda: (
            township_scores_save(
                actor=request.user,
                assessment=assessment,
                expected_version=form.cleaned_data["version"],
                item_scores=form.item_scores(),
                vetoes=form.vetoes(),
                grade=form.cleaned_data["grade"],
                override_reason=form.cleaned_data["override_reason"],
                opinion=form.cleaned_data["opinion"],
            ),
        ),
    )
    if result is None:  # refused: the reasons are on the form, what was typed stays
        return _score_page(request, assessment, form=form)
    (saved,) = result
    if request.POST.get("action") != "score":
        messages.success(request, f"已保存:{_summary(saved)}")
        return redirect("grading:township_score", pk=saved.pk)
    try:
        transition(actor=request.user, assessment=saved, action=Action.SCORE)
    except ValidationError as exc:
        messages.warning(request, f"评分已保存,但还不能完成评分:{_summary(saved)}")
        for message in exc.messages:
            messages.error(request, message)
        return redirect("grading:township_score", pk=saved.pk)
    messages.success(request, f"{saved.organization.name}已完成评分:{_summary(saved)}")
    return _board(saved, sel_board.township_of(request.user, saved))


def _summary(a: Assessment) -> str:
    return f"得分{rules.fmt(a.township_score)}分,初定“{rules.Grade(a.township_grade).label}”"


@login_required
@require_POST
def assessment_return(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.assessment_for(request.user, pk, perm=Perm.SCORE_GRADES, township_level=True)
    form = ReturnForm(request.POST)
    done = form_submit(
        request,
        form,
        lambda data: transition(actor=request.user, assessment=assessment, action=Action.RETURN, note=data["reason"]),
        success=f"已将{assessment.organization.name}的材料退回修改",
        then=lambda _: _board(assessment, sel_board.township_of(request.user, assessment)),
    )
    return done or _score_page(request, assessment, return_form=form)
