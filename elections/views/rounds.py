"""A ballot round: per-name totals (double entry, K-checks), publishing the result, the printed ballot."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from core.documents import PDF_CONTENT_TYPE
from elections import access
from elections.documents import report as documents
from elections.models import BallotRound, EntryMode, RoundStatus
from elections.selectors import meeting as meetings
from elections.services.ballots import ballot_warnings, check_comparison
from elections.services.counts import NeedsConfirmation, compare, count_totals
from elections.services.rounds import round_close
from elections.views.common import download, form_count, show_errors
from organizations.roles import Perm


def _totals_save(request: HttpRequest, ballot_round: BallotRound) -> None:
    """Per-name totals as typed (a write-in with its votes), through ``count_totals``; a count that is no number is
    refused by its name."""
    post = request.POST
    votes = {name: form_count(post.get(f"votes_{i}"), f"{name}的得票") for i, name in enumerate(ballot_round.names)}
    write_in = post.get("write_in_name", "").strip()
    if write_in:
        votes[write_in] = form_count(post.get("write_in_votes"), f"另选他人{write_in}的得票")
    count_totals(
        actor=request.user,
        ballot_round=ballot_round,
        issued=form_count(post.get("issued"), "发出选票"),
        returned=form_count(post.get("returned"), "收回选票"),
        valid_ballots=form_count(post.get("valid"), "有效票"),
        invalid_ballots=form_count(post.get("invalid"), "无效票"),
        votes=votes,
        confirm=post.getlist("confirm"),
    )


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ballot_round = access.round_for(request.user, pk)
    warnings: list[str] = []
    posted: dict[str, Any] = {}
    if request.method == "POST":
        posted = request.POST
        closing = request.POST.get("action") == "close"
        try:
            if closing:
                round_close(actor=request.user, ballot_round=ballot_round, confirm=request.POST.getlist("confirm"))
                messages.success(request, "计票结果已公布")
            else:
                _totals_save(request, ballot_round)
                messages.success(request, "计票结果已保存")
            return redirect("elections:round", pk=ballot_round.pk)
        except NeedsConfirmation as exc:
            if closing:  # warnings or a tally-sheet difference: confirmed in the form
                messages.error(
                    request,
                    "公布前请核实以下情况并勾选确认(或更正录入:清空后重新逐张录入,或重新录入核对):"
                    + ";".join(exc.messages),
                )
            else:
                warnings = [f"{f.code}|{f.message}" for f in exc.findings]
        except ValidationError as exc:
            show_errors(request, exc)
    ballot_round.refresh_from_db()
    return render(request, "elections/round.html", _round_context(request, ballot_round, posted, warnings))


def _round_context(request: HttpRequest, ballot_round: BallotRound, posted: Any, warnings: list[str]) -> dict:
    return {
        "round": ballot_round,
        "project": ballot_round.meeting.project,
        "result": getattr(ballot_round, "result", None),
        "result_votes": documents.by_votes(ballot_round.result.votes) if hasattr(ballot_round, "result") else [],
        "entries": meetings.totals_entries(request.user, ballot_round),
        "k9": compare(ballot_round),
        "comparison": check_comparison(ballot_round),
        "ballot_warnings": _ballot_warnings(ballot_round),
        "warnings": [w.split("|", 1) for w in warnings],
        "posted": posted,
        "names": [(i, name, posted.get(f"votes_{i}", "")) for i, name in enumerate(ballot_round.names)],
        "editable": ballot_round.status in (RoundStatus.OPEN, RoundStatus.COUNTED)
        and access.may_act(request.user, Perm.ELECTION_VILLAGE_STEPS, ballot_round.meeting.project),
    }


def _ballot_warnings(ballot_round: Any) -> list[Any]:
    """K7/K8 of a round counted ballot by ballot, to be confirmed when it is published (none for totals: confirmed
    when they were saved)."""
    if ballot_round.mode != EntryMode.BALLOTS or ballot_round.status != RoundStatus.COUNTED:
        return []
    return ballot_warnings(ballot_round)


@login_required
def round_ballot_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    ballot_round = access.round_for(request.user, pk)
    name, content = documents.ballot_pdf(ballot_round)
    return download(name, content, PDF_CONTENT_TYPE)
