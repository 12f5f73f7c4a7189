"""District staff maintain the holiday calendar in the app (RULES.md D3): list of years, and one page per year to
add or remove a day or paste the whole year's arrangement. Everyone else gets 403 (anonymous: the login page)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from core import calendar_services as services
from core.workdays import NAME_MAX_LENGTH, parse_day_lines
from organizations.access import is_district_staff

FIRST_YEAR, LAST_YEAR = 2000, 2100
WORKDAY_CHOICES = [("0", "休息(放假)"), ("1", "上班(调休)")]


class DayForm(forms.Form):
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    is_workday = forms.TypedChoiceField(label="安排", choices=WORKDAY_CHOICES, coerce=lambda v: v == "1")
    name = forms.CharField(label="名称", max_length=NAME_MAX_LENGTH, required=False, help_text="例如:元旦、春节调休")

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.year = year

    def clean_date(self) -> Any:
        value = self.cleaned_data["date"]
        if value.year != self.year:
            raise ValidationError(f"日期应在{self.year}年内")
        return value


class PasteForm(forms.Form):
    text = forms.CharField(
        label="整年粘贴",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=(
            "每行一天:日期 休/班 名称。例如“2027-01-01 休 元旦”“2027-02-07 班 春节调休”。"
            "保存后将替换本年度已录入的全部日期。"
        ),
    )

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.year = year
        self.days: list[tuple[Any, bool, str]] = []

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        days, errors = parse_day_lines(text, self.year)
        if errors:
            raise ValidationError(errors)
        self.days = [tuple(d) for d in days]  # type: ignore[misc]
        return text


class DeleteForm(forms.Form):
    date = forms.DateField()


def _require_staff(request: HttpRequest) -> None:
    if not is_district_staff(request.user):
        raise PermissionDenied("只有区委组织部可以维护法定节假日和调休安排")


def _watched_years() -> list[int]:
    """This year and next: deadlines computed today can reach into both."""
    this_year = timezone.localdate().year
    return [this_year, this_year + 1]


PACKAGE_WORDS = "国务院办公厅公布的节假日安排(由系统内置的 chinesecalendar 日历软件包收录)"


def source_in_words(source: str) -> str:
    """Where a year's holidays came from, as the page says it: never the bare package or code name."""
    from core.calendar_services import SOURCE_MANUAL, SOURCE_PACKAGE

    parts = source.split("+")
    if SOURCE_MANUAL in parts and SOURCE_PACKAGE in parts:
        return f"{PACKAGE_WORDS},区委组织部在此基础上人工修改"
    if SOURCE_MANUAL in parts:
        return "区委组织部人工录入"
    if SOURCE_PACKAGE in parts:
        return PACKAGE_WORDS
    return source


@login_required
def calendar_list(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    wanted = request.GET.get("year", "")
    if wanted.isdigit() and FIRST_YEAR <= int(wanted) <= LAST_YEAR:
        return redirect(reverse("core:calendar_year", args=[int(wanted)]))
    years = services.calendar_years_list(request.user)
    entered = {cy.year for cy, _ in years}
    rows = [
        {
            "year": cy,
            "source": source_in_words(cy.source),
            "off": [h for h in days if not h.is_workday],
            "on": [h for h in days if h.is_workday],
        }
        for cy, days in years
    ]
    missing = [y for y in _watched_years() if y not in entered]
    return render(request, "partybuild/calendar_list.html", {"rows": rows, "missing": missing})


@login_required
def calendar_year(request: HttpRequest, year: int) -> HttpResponse:
    _require_staff(request)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404("年份超出范围")
    day_form = DayForm(year=year, prefix="day")
    paste_form = PasteForm(year=year, prefix="paste")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add":
                day_form = DayForm(request.POST, year=year, prefix="day")
                if day_form.is_valid():
                    data = day_form.cleaned_data
                    services.holiday_set(
                        actor=request.user, day=data["date"], is_workday=data["is_workday"], name=data["name"]
                    )
                    messages.success(request, f"已保存 {data['date']:%Y-%m-%d}")
                    return redirect(reverse("core:calendar_year", args=[year]))
            elif action == "delete":
                delete_form = DeleteForm(request.POST)
                if delete_form.is_valid() and delete_form.cleaned_data["date"].year == year:
                    services.holiday_delete(actor=request.user, day=delete_form.cleaned_data["date"])
                    messages.success(request, f"已删除 {delete_form.cleaned_data['date']:%Y-%m-%d}")
                else:
                    messages.error(request, "要删除的日期无效")
                return redirect(reverse("core:calendar_year", args=[year]))
            elif action == "paste":
                paste_form = PasteForm(request.POST, year=year, prefix="paste")
                if paste_form.is_valid():
                    services.calendar_year_enter(actor=request.user, year=year, days=paste_form.days)
                    messages.success(request, f"已录入{year}年安排,共{len(paste_form.days)}天")
                    return redirect(reverse("core:calendar_year", args=[year]))
            else:
                messages.error(request, "未知的操作")
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(reverse("core:calendar_year", args=[year]))
    calendar_year_row, days = services.calendar_year_get(request.user, year)
    return render(
        request,
        "partybuild/calendar_year.html",
        {
            "year": year,
            "calendar_year": calendar_year_row,
            "source": source_in_words(calendar_year_row.source) if calendar_year_row else "",
            "days": days,
            "day_form": day_form,
            "paste_form": paste_form,
            "prev_year": year - 1,
            "next_year": year + 1,
        },
    )
