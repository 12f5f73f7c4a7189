"""The election pages. Thin: reads through ``elections.selectors`` (out of scope 404), writes through the services
(not allowed 403, a refused rule comes back as a message naming it)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from elections import counting, documents, services, workflow
from elections import selectors as sel
from elections.forms import MAX_COUNT
from elections.models import (
    CandidatePost,
    DocumentKind,
    EntryMode,
    ExcuseReason,
    ListStage,
    Meeting,
    Phase,
    RecommendationRound,
    RoundPurpose,
    RoundStatus,
)
from organizations.roles import Perm
from organizations.scope import can, require
from partybuild.documents import PDF_CONTENT_TYPE, XLSX_CONTENT_TYPE


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _download(filename: str, content: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# Ids fit a 32-bit key; a longer number is no id (and would overflow the database's integer, a 500).
_MAX_ID = 2**31 - 1


def _int(value: Any, default: int = 0) -> int:
    """An id from a form: anything that is not a plausible id gives ``default`` (then "not found", never a 500)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if 0 <= number <= _MAX_ID else default


def _count(value: Any, label: str, default: int = 0) -> int:
    """A typed count: empty gives ``default``; text, a fraction, a negative or a huge number is refused by name."""
    text = str(value).strip() if value is not None else ""
    if not text:
        return default
    try:
        number = int(text)
    except ValueError:
        raise ValidationError(f"{label}应填写整数(收到“{text[:20]}”)") from None
    if not 0 <= number <= MAX_COUNT:
        raise ValidationError(f"{label}应在0至{MAX_COUNT}之间")
    return number


def _may(user: Any, project: Any) -> dict[str, bool]:
    """What the page offers: the village's steps (登记, 推荐, 大会, 计票) and the township's (审查, 批准, 批复)."""
    return {
        "may_steps": workflow.may_act(user, Perm.ELECTION_VILLAGE_STEPS, project),
        "may_manage": workflow.may_act(user, Perm.ELECTION_MANAGE, project),
    }


@login_required
def township_board(request: HttpRequest, org_pk: int) -> HttpResponse:
    township = sel.township_get(request.user, org_pk)
    today = timezone.localdate()
    rows = sel.board(request.user, township, today)
    # Filters the elections board links to: one phase, or the projects with overdue steps.
    phase = request.GET.get("phase", "")
    phase_label = dict(Phase.choices).get(phase, "")
    if phase_label:
        rows = [r for r in rows if r["project"].status == phase]
    overdue_only = request.GET.get("overdue") == "1"
    if overdue_only:
        rows = [r for r in rows if r["overdue_steps"]]
    return render(
        request,
        "elections/board.html",
        {
            "township": township,
            "rows": rows,
            "phase_label": phase_label,
            "overdue_only": overdue_only,
            "today": today,
            "may_manage": can(request.user, Perm.ELECTION_MANAGE, township),
        },
    )


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = sel.project_get(request.user, pk)
    today = timezone.localdate()
    steps = list(sel.steps_of(project))
    for step in steps:
        step.may_do = workflow.may_do_step(request.user, step)
        step.overdue = step.is_overdue(today)
        step.missing = workflow.missing_documents(step)
        # the upload form starts on the first kind still missing, so a file is not filed as 请示 by default
        step.next_kind = next(iter(workflow.missing_kinds(step)), "")
    done = sum(1 for s in steps if s.done_on)
    # The step to do now: the first open one of the current phase, else the first open one at all.
    open_steps = [s for s in steps if not s.done_on]
    current = next((s for s in open_steps if s.template.phase == project.status), open_steps[0] if open_steps else None)
    phase_values = [v for v, _ in Phase.choices[:-1]]
    here = phase_values.index(project.status) if project.status in phase_values else len(phase_values)
    return render(
        request,
        "elections/project.html",
        {
            "project": project,
            "steps": steps,
            "current": current,
            "done": done,
            "percent": round(100 * done / len(steps)) if steps else 0,
            "phase_track": [(label, i < here, i == here) for i, (_, label) in enumerate(Phase.choices[:-1])],
            "overdue_count": sum(1 for s in steps if s.overdue),
            "phases": Phase.choices[:-1],
            "document_kinds": DocumentKind.choices,
            "roll": services.roll_counts(project),
        },
    )


@login_required
@require_POST
def step_done(request: HttpRequest, pk: int) -> HttpResponse:
    step = sel.step_get(request.user, pk)
    try:
        workflow.step_done(actor=request.user, step=step, note=request.POST.get("note", ""))
        messages.success(request, f"第{step.template.number}步已完成")
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("elections:project", pk=step.project_id)


@login_required
@require_POST
def step_upload(request: HttpRequest, pk: int) -> HttpResponse:
    step = sel.step_get(request.user, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择文件")
    else:
        try:
            workflow.document_upload(actor=request.user, step=step, kind=request.POST.get("kind", ""), upload=upload)
            messages.success(request, "材料已上传")
        except ValidationError as exc:
            _errors(request, exc)
    return redirect("elections:project", pk=step.project_id)


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = sel.document_get(request.user, pk)
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_name)


@login_required
def voters(request: HttpRequest, pk: int) -> HttpResponse:
    project = sel.project_get(request.user, pk)
    if request.method == "POST":
        try:
            if "register" in request.POST:
                services.voters_register(actor=request.user, project=project)
            else:
                voter = project.voters.get(pk=_int(request.POST.get("voter")))
                services.voter_excuse(
                    actor=request.user,
                    voter=voter,
                    reason=request.POST.get("reason", ""),
                    note=request.POST.get("note", ""),
                )
        except ValidationError as exc:
            _errors(request, exc)
        except project.voters.model.DoesNotExist:
            messages.error(request, "没有该党员的登记")
        return redirect("elections:voters", pk=project.pk)
    return render(
        request,
        "elections/voters.html",
        {
            "project": project,
            "voters": project.voters.select_related("member"),
            "roll": services.roll_counts(project),
            "reasons": ExcuseReason.choices,
            **_may(request.user, project),
        },
    )


@login_required
def candidates(request: HttpRequest, pk: int) -> HttpResponse:
    project = sel.project_get(request.user, pk)
    posted: Any = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "recommend":
                members = {m.pk: m.name for m in project.organization.members.all()}
                counts = {
                    _int(k.split("_", 1)[1]): _count(v, f"{members.get(_int(k.split('_', 1)[1]), '')}的推荐票数")
                    for k, v in request.POST.items()
                    if k.startswith("count_") and v.strip()
                }
                services.recommendations_save(
                    actor=request.user, project=project, round=request.POST.get("round", ""), counts=counts
                )
            elif action == "add":
                member = project.organization.members.get(pk=_int(request.POST.get("member")))
                services.candidate_add(
                    actor=request.user, project=project, member=member, post=request.POST.get("post", "committee")
                )
            elif action in (ListStage.INSPECTION, ListStage.FINAL):
                ids = [_int(i) for i in request.POST.getlist("ids")]
                services.candidates_promote(actor=request.user, project=project, stage=action, candidate_ids=ids)
            elif action == "approve":
                services.candidates_approve(actor=request.user, project=project)
            elif action == "notice":
                services.notice_publish(
                    actor=request.user,
                    project=project,
                    starts_on=timezone.localdate(),
                    working_days=_count(request.POST.get("working_days"), "公示期", services.NOTICE_WORKING_DAYS),
                )
        except ValidationError as exc:
            _errors(request, exc)
            posted = request.POST  # the page again with what was typed, not a redirect that drops it
        except project.organization.members.model.DoesNotExist:
            messages.error(request, "请选择本组织党员")
            posted = request.POST
        else:
            return redirect("elections:candidates", pk=project.pk)
    today = timezone.localdate()
    notice = getattr(project, "notice", None)
    may = _may(request.user, project)
    members = list(project.organization.members.filter(left_on__isnull=True))
    for m in members:
        m.typed = posted.get(f"count_{m.pk}", "") if posted.get("action") == "recommend" else ""
    return render(
        request,
        "elections/candidates.html",
        {
            "project": project,
            "ranking": services.recommendation_ranking(project),
            "candidates": project.candidates.select_related("member").prefetch_related("pledges"),
            "members": members,
            "rounds": [
                (v, label)
                for v, label in RecommendationRound.choices
                if may["may_manage"] or v != RecommendationRound.TOWNSHIP
            ],
            "posts": CandidatePost.choices,
            "margin": {s: services.margin_failures(project, s) for s in (ListStage.INITIAL, ListStage.INSPECTION)},
            "notice": notice,
            "notice_open": notice is not None and notice.is_open(today),
            "posted": posted,
            "notice_days": posted.get("working_days") or services.NOTICE_WORKING_DAYS,
            "max_notice_days": services.MAX_NOTICE_WORKING_DAYS,
            "max_count": MAX_COUNT,
            **may,
        },
    )


@login_required
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = sel.candidate_get(request.user, pk)
    items = services.checklist_rules(candidate)
    if request.method == "POST":
        require(request.user, Perm.ELECTION_MANAGE, candidate.project.organization)
        results = {rule: request.POST.get(rule) != "fail" for rule, _ in items if request.POST.get(rule)}
        try:
            services.eligibility_record(
                actor=request.user, candidate=candidate, department=request.POST.get("department", ""), results=results
            )
        except ValidationError as exc:
            _errors(request, exc)
        return redirect("elections:candidate", pk=candidate.pk)
    checks = {c.rule: c for c in candidate.checks.select_related("checked_by")}
    return render(
        request,
        "elections/candidate.html",
        {
            "candidate": candidate,
            "project": candidate.project,
            "items": [(rule, label, checks.get(rule)) for rule, label in items],
            "may_review": can(request.user, Perm.ELECTION_MANAGE, candidate.project.organization),
        },
    )


@login_required
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    project = sel.project_get(request.user, pk)
    current = Meeting.objects.filter(project=project).first()
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "open":
                counting.meeting_open(actor=request.user, project=project, held_on=timezone.localdate())
            elif current is None:
                raise ValidationError("请先召开党员大会")
            elif action == "attendance":
                ids = [_int(i) for i in request.POST.getlist("present")]
                counting.attendance_save(actor=request.user, meeting=current, present_member_ids=ids)
            elif action == "scrutineers":
                counting.scrutineers_save(
                    actor=request.user,
                    meeting=current,
                    scrutineers=request.POST.get("scrutineers", "").replace(",", "、").split("、"),
                    counters=request.POST.get("counters", "").replace(",", "、").split("、"),
                )
            elif action == "round":
                follows = current.rounds.filter(pk=_int(request.POST.get("follows"))).first()
                r = counting.round_open(
                    actor=request.user, meeting=current, purpose=request.POST.get("purpose", ""), follows=follows
                )
                return redirect("elections:round", pk=r.pk)
        except ValidationError as exc:
            _errors(request, exc)
        return redirect("elections:meeting", pk=project.pk)
    return render(
        request,
        "elections/meeting.html",
        {
            "project": project,
            "meeting": current,
            "voters": project.voters.exclude(status="ineligible").select_related("member"),
            "roll": services.roll_counts(project),
            "rounds": current.rounds.select_related("result") if current else [],
            "purposes": RoundPurpose.choices,
            **_may(request.user, project),
        },
    )


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ballot_round = sel.round_get(request.user, pk)
    warnings: list[str] = []
    posted: dict[str, Any] = {}
    if request.method == "POST":
        posted = request.POST
        try:
            if request.POST.get("action") == "close":
                counting.round_close(
                    actor=request.user, ballot_round=ballot_round, confirm=request.POST.getlist("confirm")
                )
                messages.success(request, "计票结果已公布")
                return redirect("elections:round", pk=ballot_round.pk)
            votes = {
                name: _count(request.POST.get(f"votes_{i}"), f"{name}的得票")
                for i, name in enumerate(ballot_round.names)
            }
            write_in = request.POST.get("write_in_name", "").strip()
            if write_in:
                votes[write_in] = _count(request.POST.get("write_in_votes"), f"另选他人{write_in}的得票")
            counting.count_totals(
                actor=request.user,
                ballot_round=ballot_round,
                issued=_count(request.POST.get("issued"), "发出选票"),
                returned=_count(request.POST.get("returned"), "收回选票"),
                valid_ballots=_count(request.POST.get("valid"), "有效票"),
                invalid_ballots=_count(request.POST.get("invalid"), "无效票"),
                votes=votes,
                confirm=request.POST.getlist("confirm"),
            )
            messages.success(request, "计票结果已保存")
            return redirect("elections:round", pk=ballot_round.pk)
        except counting.NeedsConfirmation as exc:
            if request.POST.get("action") == "close":  # warnings or a tally-sheet difference: confirmed in the form
                messages.error(
                    request,
                    "公布前请核实以下情况并勾选确认(或更正录入:清空后重新逐张录入,或重新录入核对):"
                    + ";".join(exc.messages),
                )
            else:
                warnings = [f"{f.code}|{f.message}" for f in exc.findings]
        except ValidationError as exc:
            _errors(request, exc)
    ballot_round.refresh_from_db()
    entries = list(ballot_round.totals.order_by("sequence"))
    return render(
        request,
        "elections/round.html",
        {
            "round": ballot_round,
            "project": ballot_round.meeting.project,
            "result": getattr(ballot_round, "result", None),
            "result_votes": documents.by_votes(ballot_round.result.votes) if hasattr(ballot_round, "result") else [],
            "entries": entries,
            "k9": counting.compare(ballot_round),
            "comparison": counting.check_comparison(ballot_round),
            "ballot_warnings": _ballot_warnings(ballot_round),
            "warnings": [w.split("|", 1) for w in warnings],
            "posted": posted,
            "names": [(i, name, posted.get(f"votes_{i}", "")) for i, name in enumerate(ballot_round.names)],
            "editable": ballot_round.status in (RoundStatus.OPEN, RoundStatus.COUNTED)
            and workflow.may_act(request.user, Perm.ELECTION_VILLAGE_STEPS, ballot_round.meeting.project),
        },
    )


def _ballot_warnings(ballot_round: Any) -> list[Any]:
    """K7/K8 of a round counted ballot by ballot, to be confirmed when it is published (none for totals: confirmed
    when they were saved)."""
    if ballot_round.mode != EntryMode.BALLOTS or ballot_round.status != RoundStatus.COUNTED:
        return []
    return counting.ballot_warnings(ballot_round)


@login_required
def round_ballot_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    ballot_round = sel.round_get(request.user, pk)
    name, content = documents.ballot_pdf(ballot_round)
    return _download(name, content, PDF_CONTENT_TYPE)


@login_required
def result(request: HttpRequest, pk: int) -> HttpResponse:
    project = sel.project_get(request.user, pk)
    if request.method == "POST":
        try:
            counting.result_approve(
                actor=request.user,
                project=project,
                approved=request.POST.get("approved", "1") == "1",
                note=request.POST.get("note", ""),
            )
            messages.success(request, "已批复")
        except ValidationError as exc:
            _errors(request, exc)
        return redirect("elections:result", pk=project.pk)
    context = documents.report_context(project)
    context["may_approve"] = can(request.user, Perm.ELECTION_MANAGE, project.organization)
    context["approvals"] = project.approvals.all()
    return render(request, "elections/result.html", context)


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    name, content = documents.report_pdf(sel.project_get(request.user, pk))
    return _download(name, content, PDF_CONTENT_TYPE)


@login_required
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    name, content = documents.report_xlsx(sel.project_get(request.user, pk))
    return _download(name, content, XLSX_CONTENT_TYPE)
