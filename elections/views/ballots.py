"""Ballot-by-ballot entry on a phone or tablet (one paper at a time, running counts, the count checks), and the
candidates' pledges (承诺). Reads through the selectors (404), writes through the services (403, rule messages)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from elections.forms import BallotCheckForm, BallotsFinishForm
from elections.models import EntryMode, RoundStatus
from elections.rules.checks import count_checks
from elections.rules.tally import Ballot, Mark
from elections.selectors import projects as sel
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
from organizations.roles import Perm
from organizations.scope import can, require

MARKS = [(Mark.FOR, "赞成"), (Mark.AGAINST, "不赞成"), (Mark.ABSTAIN, "弃权")]


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _ballot_from(post: dict, names: list[str]) -> Ballot:
    marks = {}
    for i, name in enumerate(names):
        value = post.get(f"mark_{i}", "")
        if value in Mark.values:
            marks[name] = Mark(value)
    raw = post.get("write_ins", "").replace(",", "、").replace(",", "、").replace(" ", "、")
    return Ballot(marks=marks, write_ins=tuple(w for w in raw.split("、") if w.strip()))


FORM_ACTIONS = {"finish", "check"}  # re-shown with what was typed when refused; the others redirect


@login_required
def ballots(request: HttpRequest, pk: int) -> HttpResponse:
    ballot_round = sel.round_get(request.user, pk)
    project = ballot_round.meeting.project
    if request.method == "POST":
        require(request.user, Perm.ELECTION_VILLAGE_STEPS, project.organization)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    finish = BallotsFinishForm(
        request.POST if action == "finish" else None,
        initial={"issued": ballot_round.issued or ballot_round.present, "returned": ballot_round.returned or None},
    )
    check_form = BallotCheckForm(request.POST if action == "check" else None, names=ballot_round.names)
    if request.method == "POST":
        try:
            if action == "add":
                entry = ballot_add(
                    actor=request.user, ballot_round=ballot_round, ballot=_ballot_from(request.POST, ballot_round.names)
                )
                messages.success(request, f"第{entry.number}张已录入")
            elif action == "undo":
                number = ballot_remove_last(actor=request.user, ballot_round=ballot_round)
                messages.success(request, f"已撤销第{number}张")
            elif action == "clear":
                count = ballots_clear(actor=request.user, ballot_round=ballot_round)
                messages.success(request, f"已清空{count}张选票,请重新录入")
            elif action == "finish" and finish.is_valid():
                ballots_finish(actor=request.user, ballot_round=ballot_round, **finish.cleaned_data)
                messages.success(request, "选票已全部录入,请核对后公布计票结果")
                return redirect("elections:round", pk=ballot_round.pk)
            elif action == "check" and check_form.is_valid():
                data = check_form.cleaned_data
                ballots_check(
                    actor=request.user,
                    ballot_round=ballot_round,
                    valid_ballots=data["valid"],
                    invalid_ballots=data["invalid"],
                    votes=data["votes"],
                )
                findings = check_findings(ballot_round)
                if findings:
                    for f in findings:
                        messages.warning(request, f"核对已保存。{f.message}。公布计票结果时须确认差异,或更正后重新录入")
                else:
                    messages.success(request, "核对已保存:计票单与逐张录入的选票一致")
                return redirect("elections:ballots", pk=ballot_round.pk)
            elif action not in FORM_ACTIONS:
                messages.error(request, "请选择操作")
            if action not in FORM_ACTIONS:
                return redirect("elections:ballots", pk=ballot_round.pk)
        except ValidationError as exc:
            if action == "check":
                for message in exc.messages:
                    check_form.add_error(None, message)
            else:
                _errors(request, exc)
            if action not in FORM_ACTIONS:
                return redirect("elections:ballots", pk=ballot_round.pk)
    ballot_round.refresh_from_db()
    progress = ballots_so_far(ballot_round)
    counted = ballot_round.status == RoundStatus.COUNTED and ballot_round.mode == EntryMode.BALLOTS
    checks = []
    if counted:
        checks = count_checks(progress.totals(ballot_round))
    may_enter = can(request.user, Perm.ELECTION_VILLAGE_STEPS, project.organization)
    open_for_entry = ballot_round.status == RoundStatus.OPEN and not (
        ballot_round.mode == EntryMode.TOTALS and ballot_round.totals.exists()
    )
    entered_ballots = {run.user_id for run in progress.entered_by} | {ballot_round.counted_by_id}
    return render(
        request,
        "elections/ballots.html",
        {
            "round": ballot_round,
            "project": project,
            "progress": progress,
            "rows": [
                (i, name, progress.votes.get(name, 0), progress.against.get(name, 0), progress.abstain.get(name, 0))
                for i, name in enumerate(ballot_round.names)
            ],
            "write_in_votes": [(n, v) for n, v in progress.votes.items() if n not in ballot_round.names],
            "marks": MARKS,
            "finish": finish,
            "checks": checks,
            "counted": counted,
            "comparison": check_comparison(ballot_round, progress),
            "check_form": check_form,
            "may_check": may_enter and counted,
            "entered_ballots": request.user.pk in entered_ballots,
            # who confirmed the entry finished, when that is not one of those who entered the ballots
            "counted_by": who(ballot_round.counted_by)
            if ballot_round.counted_by_id and ballot_round.counted_by_id not in {r.user_id for r in progress.entered_by}
            else "",
            "may_enter": may_enter and open_for_entry,
            "may_clear": may_enter
            and ballot_round.mode == EntryMode.BALLOTS
            and ballot_round.status in (RoundStatus.OPEN, RoundStatus.COUNTED)
            and progress.entered > 0,
            "totals_mode": ballot_round.mode == EntryMode.TOTALS and ballot_round.totals.exists(),
        },
    )
