"""The public notice pages (公示): no login. They show an open notice's title, text, dates, contact and the list of
organizations with their 初评等次 only — no scores, no people.

A notice that has ended or does not exist answers the same 404 page ("已经结束,或者不存在"); a published notice
that has not started yet says when it starts, and nothing else (its list is not yet public). The dates come from
the database and today's date, so a notice closes on time without any worker.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from grading import access
from grading.selectors import notices as sel


@never_cache
def notice_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request, "grading/public/list.html", {"notices": sel.public_open_notices(request.user, today), "today": today}
    )


@never_cache
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()
    try:
        found = access.public_notice_for(request.user, pk, today=today)
    except access.NoticeNotStarted as exc:
        return render(request, "grading/public/not_started.html", {"starts_on": exc.starts_on, "today": today})
    except Http404:
        return render(request, "grading/public/closed.html", {"today": today}, status=404)
    rows = sel.public_rows(request.user, found)
    return render(request, "grading/public/notice.html", {"notice": found, "rows": rows, "today": today})
