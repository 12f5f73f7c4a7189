"""The branch secretary's pages of one assessment: the overview, 附件1–3 and the submit button.

The annex forms autosave through htmx: the same URL answers an htmx POST with a small status line and the new version
instead of a page, so a draft is kept as it is typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.audit import events_for
from grading import access
from grading.evidence import self_report_sentences
from grading.forms.assessments import MeetingForm, ReportForm, ScoresForm
from grading.models import Assessment, SelfReport
from grading.selectors import assessments as sel
from grading.selectors import evidence as sel_evidence
from grading.services.assessments import self_assessment_save
from grading.services.workflow import Action, transition
from organizations.roles import Perm

LOCKED_MESSAGE = "材料已提交,已锁定,不能再修改;如需修改,请联系乡镇(街道)党(工)委退回"
AUTOSAVE_HEADER = "X-Autosave"  # the status partial carries it; a login page (session timeout) does not


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = sel.assessment_get(request.user, pk)
    return render(
        request,
        "grading/secretary/detail.html",
        {
            "a": assessment,
            "ov": sel.overview(request.user, assessment),
            "today": timezone.localdate(),
            # the record's timeline: every transition, draft save and score of this assessment (scope checked above)
            "events": list(events_for(assessment)[:30]),
        },
    )


@login_required
@require_POST
def assessment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = sel.assessment_get(request.user, pk, perm=Perm.SELF_ASSESS)
    try:
        transition(actor=request.user, assessment=assessment, action=Action.SUBMIT)
    except ValidationError as exc:
        messages.error(request, "还不能提交,请先补齐以下内容:")
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, "已提交乡镇(街道)党(工)委审核,材料已锁定")
    return redirect("grading:assessment_detail", pk=assessment.pk)


# --- The three annexes: one handler, three descriptions ----------------------------------------------------


@dataclass(frozen=True)
class Annex:
    key: str
    title: str
    template: str
    build: Callable[[Any, Assessment, Any], tuple[Form, dict[str, Any]]]


def _report(user: Any, a: Assessment, data: Any) -> tuple[Form, dict[str, Any]]:
    report = getattr(a, "report", None) or SelfReport(assessment=a)
    initial = {"version": a.version, **{f: getattr(report, f) for f in ReportForm.base_fields if f != "version"}}
    evidence = sel_evidence.evidence_of(user, [a.organization_id], a.campaign.year)[a.organization_id]
    if not initial.get("self_building") and a.is_secretary_editable:
        # The records' counts (组织生活, 党费…) as the start of 自身建设情况: prefilled, the secretary edits them.
        initial["self_building"] = self_report_sentences(evidence)
    return ReportForm(data, initial=initial), {"report": report, "evidence": evidence}


def _meeting(user: Any, a: Assessment, data: Any) -> tuple[Form, dict[str, Any]]:
    rows = sel.tally_rows(user, a)
    form = MeetingForm(data, initial=MeetingForm.initial_for(a, rows))
    return form, {"tally": sel.tally_view(user, a, rows)}


def _scores(user: Any, a: Assessment, data: Any) -> tuple[Form, dict[str, Any]]:
    sheet, total = sel.self_scores(user, a)
    form = ScoresForm(data, sheet=sheet, total=total, initial=ScoresForm.initial_for(a, sheet, total))
    return form, {"sheet": sheet, "total": total}


ANNEXES = {
    "report": Annex("report", "附件1 自查自评报告", "grading/secretary/report_form.html", _report),
    "meeting": Annex("meeting", "附件2 测评会", "grading/secretary/meeting_form.html", _meeting),
    "scores": Annex("scores", "附件3 支部委员会自评", "grading/secretary/scores_form.html", _scores),
}


def _form_messages(form: Form) -> list[str]:
    out: list[str] = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields and form.fields[name].label else ""
        out += [f"{label}:{e}" if label else str(e) for e in errors]
    return out


def _annex_view(request: HttpRequest, pk: int, annex: Annex) -> HttpResponse:
    posting = request.method == "POST"  # writing is the secretary's; the township and the district read (403)
    assessment = sel.assessment_get(request.user, pk, perm=Perm.SELF_ASSESS if posting else Perm.VIEW_RECORDS)
    editable = access.may_edit_draft(request.user, assessment)
    if not posting:
        form, extra = annex.build(request.user, assessment, None)
        return _render_annex(request, annex, assessment, form, extra, editable)

    form, extra = annex.build(request.user, assessment, request.POST)
    errors: list[str] = []
    if not assessment.is_secretary_editable:
        errors = [LOCKED_MESSAGE]
    elif not form.is_valid():
        errors = _form_messages(form)
    else:
        try:
            assessment = self_assessment_save(
                actor=request.user,
                assessment=assessment,
                expected_version=form.cleaned_data["version"],
                **form.payload(),  # type: ignore[attr-defined]
            )
        except ValidationError as exc:
            errors = exc.messages
            current = sel.assessment_get(request.user, pk)
            if current.version != form.cleaned_data["version"] and not request.htmx:  # type: ignore[attr-defined]
                # another tab or person saved meanwhile: show both versions; the page now carries the current
                # version, so pressing 保存 again keeps what was typed here
                return _conflict(request, annex, current, form)

    if request.htmx:  # type: ignore[attr-defined]
        response = render(
            request,
            "grading/secretary/_autosave_status.html",
            {"errors": errors, "version": assessment.version, "saved_at": timezone.localtime()},
        )
        response[AUTOSAVE_HEADER] = "ok" if not errors else "refused"
        return response
    if not errors:
        messages.success(request, f"{annex.title}已保存")
        return redirect(f"grading:assessment_{annex.key}", pk=assessment.pk)
    for message in errors:
        form.add_error(None, message)
    return _render_annex(request, annex, assessment, form, extra, editable)


@dataclass(frozen=True)
class ConflictRow:
    label: str
    saved: str
    mine: str


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "(空)"
    return str(value)


def _conflict(request: HttpRequest, annex: Annex, current: Assessment, mine: Form) -> HttpResponse:
    saved_form, _ = annex.build(request.user, current, None)
    data = request.POST.copy()
    data["version"] = str(current.version)
    form, extra = annex.build(request.user, current, data)
    form.is_valid()
    rows = []
    for name, field in form.fields.items():
        if name == "version" or field.widget.is_hidden:
            continue
        saved = saved_form.initial.get(name, field.initial)
        typed = mine.cleaned_data.get(name)
        if _shown(saved) != _shown(typed):
            rows.append(ConflictRow(str(field.label or name), _shown(saved), _shown(typed)))
    form.add_error(
        None,
        f"这份材料已在其他页面或由他人保存为第{current.version}版,与您的修改不一致,本次修改尚未保存。"
        "请核对下面两个版本:点“保留我的版本并保存”将以您在本页填写的内容为准。",
    )
    context = {
        "a": current,
        "annex": annex,
        "form": form,
        "editable": True,
        "conflict": rows,
        "conflict_shown": True,
        **extra,
    }
    return render(request, annex.template, context)


def _render_annex(
    request: HttpRequest, annex: Annex, a: Assessment, form: Form, extra: dict[str, Any], editable: bool
) -> HttpResponse:
    context = {"a": a, "annex": annex, "form": form, "editable": editable, **extra}
    return render(request, annex.template, context)


@login_required
def assessment_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _annex_view(request, pk, ANNEXES["report"])


@login_required
def assessment_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    return _annex_view(request, pk, ANNEXES["meeting"])


@login_required
def assessment_scores(request: HttpRequest, pk: int) -> HttpResponse:
    return _annex_view(request, pk, ANNEXES["scores"])
