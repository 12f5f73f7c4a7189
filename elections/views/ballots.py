"""Ballot-by-ballot entry on a phone or tablet: one paper at a time with running counts, undo and clear, "all
entered" with the count checks, and another person's check (核对) against the paper tally sheet. One page, one POST
action each (``action``): in through ``elections.access`` (404, 403), writes through the services (rule messages)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from core.edits import form_submit, run_edit
from elections import access
from elections.forms import BallotCheckForm, BallotsFinishForm
from elections.models import BallotRound, EntryMode, RoundStatus
from elections.rules.checks import count_checks
from elections.rules.tally import Ballot, Mark
from elections.selectors import meeting as meetings
from elections.services.ballots import (
    ballot_add,
    ballot_remove_last,
    ballots_check,
    ballots_clear,
    ballots_finish,
    ballots_so_far,
    check_comparison,
    check_findings,
    who,
)
from elections.views.common import show_errors
from organizations.roles import Perm

MARKS = [(Mark.FOR, "赞成"), (Mark.AGAINST, "不赞成"), (Mark.ABSTAIN, "弃权")]


def _ballot_from(post: Any, names: list[str]) -> Ballot:
    marks = {}
    for i, name in enumerate(names):
        value = post.get(f"mark_{i}", "")
        if value in Mark.values:
            marks[name] = Mark(value)
    raw = post.get("write_ins", "").replace(",", "、").replace(",", "、").replace(" ", "、")
    return Ballot(marks=marks, write_ins=tuple(w for w in raw.split("、") if w.strip()))


def _back(request: HttpRequest, ballot_round: BallotRound, run: Callable[[], str]) -> HttpResponse:
    """An action that returns to the entry page: its success message, or the refusal's."""
    try:
        messages.success(request, run())
    except ValidationError as exc:
        show_errors(request, exc)
    return redirect("elections:ballots", pk=ballot_round.pk)


def _add(request: HttpRequest, ballot_round: BallotRound) -> HttpResponse:
    def run() -> str:
        ballot = _ballot_from(request.POST, ballot_round.names)
        proxy = request.POST.get("proxy") == "on"
        entry = ballot_add(actor=request.user, ballot_round=ballot_round, ballot=ballot, proxy=proxy)
        return f"第{entry.number}张已录入"

    return _back(request, ballot_round, run)


def _undo(request: HttpRequest, ballot_round: BallotRound) -> HttpResponse:
    def run() -> str:
        return f"已撤销第{ballot_remove_last(actor=request.user, ballot_round=ballot_round)}张"

    return _back(request, ballot_round, run)


def _clear(request: HttpRequest, ballot_round: BallotRound) -> HttpResponse:
    def run() -> str:
        return f"已清空{ballots_clear(actor=request.user, ballot_round=ballot_round)}张选票,请重新录入"

    return _back(request, ballot_round, run)


def _finish(request: HttpRequest, ballot_round: BallotRound, form: BallotsFinishForm) -> HttpResponse | None:
    """Every returned ballot is in: checked against the numbers issued and returned, then on to the round's page."""
    return form_submit(
        request,
        form,
        lambda data: ballots_finish(actor=request.user, ballot_round=ballot_round, **data),
        success="选票已全部录入,请核对后公布计票结果",
        then=lambda _: redirect("elections:round", pk=ballot_round.pk),
    )


def _check(request: HttpRequest, ballot_round: BallotRound, form: BallotCheckForm) -> HttpResponse | None:
    """The tally sheet's totals entered by another person; a difference from the ballots is said, not refused."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    saved = run_edit(
        form,
        lambda: ballots_check(
            actor=request.user,
            ballot_round=ballot_round,
            valid_ballots=data["valid"],
            invalid_ballots=data["invalid"],
            votes=data["votes"],
        ),
    )
    if saved is None:
        return None
    findings = check_findings(ballot_round)
    for f in findings:
        messages.warning(request, f"核对已保存。{f.message}。公布计票结果时须确认差异,或更正后重新录入")
    if not findings:
        messages.success(request, "核对已保存:计票单与逐张录入的选票一致")
    return redirect("elections:ballots", pk=ballot_round.pk)


REDIRECTING = {"add": _add, "undo": _undo, "clear": _clear}


@login_required
def ballots(request: HttpRequest, pk: int) -> HttpResponse:
    posting = request.method == "POST"
    ballot_round = access.round_for(
        request.user, pk, perm=Perm.ELECTION_VILLAGE_STEPS if posting else Perm.VIEW_RECORDS
    )
    action = request.POST.get("action", "") if posting else ""
    finish = BallotsFinishForm(
        request.POST if action == "finish" else None,
        initial={"issued": ballot_round.issued or ballot_round.present, "returned": ballot_round.returned or None},
    )
    check_form = BallotCheckForm(request.POST if action == "check" else None, names=ballot_round.names)
    if action in REDIRECTING:
        return REDIRECTING[action](request, ballot_round)
    if action == "finish":
        done = _finish(request, ballot_round, finish)
    elif action == "check":
        done = _check(request, ballot_round, check_form)
    else:
        done = None
        if posting:
            messages.error(request, "请选择操作")
            return redirect("elections:ballots", pk=ballot_round.pk)
    if done is not None:
        return done
    ballot_round.refresh_from_db()
    return render(request, "elections/ballots.html", _entry_page(request, ballot_round, finish, check_form))


def _entry_page(request: HttpRequest, ballot_round: BallotRound, finish: Any, check_form: Any) -> dict[str, Any]:
    progress = ballots_so_far(ballot_round)
    counted = ballot_round.status == RoundStatus.COUNTED and ballot_round.mode == EntryMode.BALLOTS
    totals_mode = ballot_round.mode == EntryMode.TOTALS and meetings.has_totals(request.user, ballot_round)
    may_enter = access.may_act(request.user, Perm.ELECTION_VILLAGE_STEPS, ballot_round.meeting.project)
    entered_by = {run.user_id for run in progress.entered_by}
    return {
        "round": ballot_round,
        "project": ballot_round.meeting.project,
        "progress": progress,
        "rows": [
            (i, name, progress.votes.get(name, 0), progress.against.get(name, 0), progress.abstain.get(name, 0))
            for i, name in enumerate(ballot_round.names)
        ],
        "write_in_votes": [(n, v) for n, v in progress.votes.items() if n not in ballot_round.names],
        "marks": MARKS,
        "finish": finish,
        "checks": count_checks(progress.totals(ballot_round)) if counted else [],
        "counted": counted,
        "comparison": check_comparison(ballot_round, progress),
        "check_form": check_form,
        "may_check": may_enter and counted,
        "entered_ballots": request.user.pk in entered_by | {ballot_round.counted_by_id},
        # who confirmed the entry finished, when that is not one of those who entered the ballots
        "counted_by": who(ballot_round.counted_by)
        if ballot_round.counted_by_id and ballot_round.counted_by_id not in entered_by
        else "",
        "may_enter": may_enter and ballot_round.status == RoundStatus.OPEN and not totals_mode,
        "may_clear": may_enter
        and ballot_round.mode == EntryMode.BALLOTS
        and ballot_round.status in (RoundStatus.OPEN, RoundStatus.COUNTED)
        and progress.entered > 0,
        "totals_mode": totals_mode,
    }
