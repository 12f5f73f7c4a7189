"""The candidate notice in public (no login), open only while it runs; anything else is the same 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from elections.selectors import incidents as incident_reads
from elections.selectors import projects as sel


@never_cache
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()
    try:
        found, candidates = sel.public_notice(request.user, pk, today)
    except Http404:
        return render(request, "elections/public/closed.html", {"today": today}, status=404)
    disqualified = incident_reads.public_disqualified(request.user, found)
    return render(
        request,
        "elections/public/notice.html",
        {"notice": found, "candidates": candidates, "disqualified": disqualified, "today": today},
    )
