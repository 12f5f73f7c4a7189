"""One member's dues for a year: declaring the category and base, recording a payment, withdrawing one."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from core.edits import add_version, form_submit
from dues import access
from dues.forms.records import DeclarationForm, PaymentDeleteForm, PaymentForm, year_from
from dues.selectors import ledger as ledger_selectors
from dues.services import records as services

DECLARATION_FIELDS = frozenset({"category", "base", "chosen", "reduced_to", "reduction_reason", "from_month"})


def member_url(pk: int, year: int) -> str:
    return f"{reverse('dues:member', args=[pk])}?year={year}"


@login_required
def member(request: HttpRequest, pk: int) -> HttpResponse:
    """The member's year, with the single-entry form for those who record dues."""
    person = access.member_for(request.user, pk)
    today = timezone.localdate()
    year = year_from(request.GET.get("year"), today)
    may_record = access.actions_for(request.user, person.organization)["record"]
    form = PaymentForm(request.POST or None, month=today.month if year == today.year else 12) if may_record else None
    if request.method == "POST":
        person = access.member_for(request.user, pk, perm=access.RECORD)
        done = form_submit(
            request,
            form,
            lambda d: services.payment_record(
                actor=request.user,
                member=person,
                year=year,
                month=d["month"],
                amount=d["amount"],
                paid_on=d["paid_on"],
                note=d["note"],
            ),
            success=lambda p: f"已登记{person.name}{year}年{p.dues_month.month}月党费{p.amount}元",
            then=lambda _: redirect(member_url(person.pk, year)),
        )
        if done:
            return done
    view = ledger_selectors.member_year(request.user, person, year, today)
    return render(
        request,
        "dues/member.html",
        {"person": person, "view": view, "year": year, "form": form, "may_record": may_record, "today": today},
    )


@login_required
def declare(request: HttpRequest, pk: int) -> HttpResponse:
    """Declare (核定) the member's category and base for a year from a month on; the latest declaration is the
    form's start and its version (a correction saved meanwhile elsewhere refuses this page's save)."""
    person = access.member_for(request.user, pk, perm=access.RECORD)
    today = timezone.localdate()
    year = year_from(request.GET.get("year"), today)
    latest = ledger_selectors.latest_declaration(request.user, person, year)
    initial = {}
    if latest is not None:
        initial = {f: getattr(latest, f) for f in DECLARATION_FIELDS}
        initial["from_month"] = latest.from_month if latest.year == year else 1
    form = DeclarationForm(request.POST or None, initial=initial)
    if latest is not None and latest.year == year:
        add_version(form, latest, DECLARATION_FIELDS - {"from_month"})
    done = form_submit(
        request,
        form,
        lambda d: services.declaration_save(actor=request.user, member=person, year=year, **d),
        success=lambda d: f"已核定{person.name}{year}年{d.from_month}月起每月应交党费{d.monthly_due}元",
        then=lambda _: redirect(member_url(person.pk, year)),
    )
    if done:
        return done
    return render(
        request,
        "dues/declare.html",
        {"person": person, "year": year, "form": form, "back": member_url(person.pk, year)},
    )


@login_required
def payment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a payment recorded by mistake, after a confirmation page with the reason."""
    payment = access.payment_for(request.user, pk)
    row = payment.dues_month
    back = member_url(row.member_id, row.year)
    form = PaymentDeleteForm(request.POST or None)
    done = form_submit(
        request,
        form,
        lambda d: services.payment_delete(actor=request.user, payment=payment, reason=d["reason"]),
        success="已撤销这笔党费登记",
        then=lambda _: redirect(back),
    )
    return done or render(request, "dues/payment_delete.html", {"payment": payment, "form": form, "back": back})
