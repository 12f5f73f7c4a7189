"""One organization's dues: the yearly ledger, batch entry for a month, and the six-month list (党章第九条)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from core.edits import form_submit
from dues import access
from dues.forms.records import BatchForm, year_from
from dues.rules.ledger import MONTHS
from dues.selectors import ledger as ledger_selectors
from dues.selectors import signals as signal_selectors
from dues.services.batch import payments_record_batch


def ledger_url(org_pk: int, year: int) -> str:
    return f"{reverse('dues:ledger', args=[org_pk])}?year={year}"


@login_required
def ledger(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.organization_for(request.user, pk)
    today = timezone.localdate()
    year = year_from(request.GET.get("year"), today)
    book = ledger_selectors.org_ledger(request.user, org, year, today)
    return render(
        request,
        "dues/ledger.html",
        {
            "org": org,
            "book": book,
            "year": year,
            "today": today,
            "months": MONTHS,
            "years": list(range(today.year, today.year - 4, -1)),
            "actions": access.actions_for(request.user, org),
            "collect_month": today.month if year == today.year else 12,
        },
    )


@login_required
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    """A month's collection for the whole organization on one page (phone-usable): one amount per member."""
    org = access.organization_for(request.user, pk, perm=access.RECORD)
    today = timezone.localdate()
    year = year_from(request.GET.get("year"), today)
    try:
        month = int(request.GET.get("month", today.month))
    except ValueError:
        month = today.month
    month = month if month in MONTHS else today.month
    rows, version = ledger_selectors.batch_rows(request.user, org, year, month)
    form = BatchForm(request.POST or None, rows=rows, version=version)
    done = form_submit(
        request,
        form,
        lambda data: payments_record_batch(
            actor=request.user,
            organization=org,
            year=year,
            month=month,
            amounts=form.amounts(),
            paid_on=data["paid_on"],
            version=request.POST.get("record_version", ""),
        ),
        success=lambda payments: f"已登记{year}年{month}月党费{len(payments)}人",
        then=lambda _: redirect(ledger_url(org.pk, year)),
    )
    if done:
        return done
    return render(
        request,
        "dues/batch.html",
        {"org": org, "year": year, "month": month, "form": form, "months": MONTHS, "back": ledger_url(org.pk, year)},
    )


@login_required
def signals(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.organization_for(request.user, pk)
    today = timezone.localdate()
    found = signal_selectors.unpaid_six_months(request.user, org, today)
    return render(request, "dues/signals.html", {"org": org, "signals": found, "today": today})
