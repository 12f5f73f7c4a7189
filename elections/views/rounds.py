"""A ballot round: per-name totals (double entry, K-checks), publishing the result, the printed ballot."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from elections.documents import report as documents
from elections.models import (
    EntryMode,
    RoundStatus,
)
from elections.selectors import projects as sel
from elections.services import workflow
from elections.services.ballots import ballot_warnings, check_comparison
from elections.services.counts import NeedsConfirmation, compare, count_totals
from elections.services.rounds import round_close
from elections.views.common import download, form_count, show_errors
from organizations.roles import Perm
from partybuild.documents import PDF_CONTENT_TYPE


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ballot_round = sel.round_get(request.user, pk)
    warnings: list[str] = []
    posted: dict[str, Any] = {}
    if request.method == "POST":
        posted = request.POST
        try:
            if request.POST.get("action") == "close":
                round_close(actor=request.user, ballot_round=ballot_round, confirm=request.POST.getlist("confirm"))
                messages.success(request, "计票结果已公布")
                return redirect("elections:round", pk=ballot_round.pk)
            votes = {
                name: form_count(request.POST.get(f"votes_{i}"), f"{name}的得票")
                for i, name in enumerate(ballot_round.names)
            }
            write_in = request.POST.get("write_in_name", "").strip()
            if write_in:
                votes[write_in] = form_count(request.POST.get("write_in_votes"), f"另选他人{write_in}的得票")
            count_totals(
                actor=request.user,
                ballot_round=ballot_round,
                issued=form_count(request.POST.get("issued"), "发出选票"),
                returned=form_count(request.POST.get("returned"), "收回选票"),
                valid_ballots=form_count(request.POST.get("valid"), "有效票"),
                invalid_ballots=form_count(request.POST.get("invalid"), "无效票"),
                votes=votes,
                confirm=request.POST.getlist("confirm"),
            )
            messages.success(request, "计票结果已保存")
            return redirect("elections:round", pk=ballot_round.pk)
        except NeedsConfirmation as exc:
            if request.POST.get("action") == "close":  # warnings or a tally-sheet difference: confirmed in the form
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
            "k9": compare(ballot_round),
            "comparison": check_comparison(ballot_round),
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
    return ballot_warnings(ballot_round)


@login_required
def round_ballot_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    ballot_round = sel.round_get(request.user, pk)
    name, content = documents.ballot_pdf(ballot_round)
    return download(name, content, PDF_CONTENT_TYPE)
