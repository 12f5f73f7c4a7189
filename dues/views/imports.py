"""Import of a year's past collections (two steps: check, then confirm) and its template. Between the steps the
checked rows wait in the user's session under the organization's id (never a path from the request)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.documents import XLSX_CONTENT_TYPE, write_xlsx
from dues import access
from dues.forms.records import ImportForm
from dues.services import imports as services
from dues.views.documents import download
from dues.views.ledger import ledger_url

SESSION_KEY = "dues_import"


@login_required
@require_GET
def import_template(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.organization_for(request.user, pk, perm=access.IMPORT)
    year = timezone.localdate().year - 1
    example = [["张三", "110101198001010011", year, 1, 30, 30, f"{year}-01-20"]]
    content = write_xlsx(headers=list(services.HEADERS), rows=example, title="党费收缴记录", text_columns=["身份证号"])
    return download((f"{org.name}党费收缴记录导入模板.xlsx", content), XLSX_CONTENT_TYPE)


@login_required
def import_page(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.organization_for(request.user, pk, perm=access.IMPORT)
    today = timezone.localdate()
    pending = request.session.get(SESSION_KEY) or {}
    plan = None
    if request.method == "POST" and request.POST.get("confirm") == "1":
        if pending.get("org") != org.pk:
            messages.error(request, "没有待导入的检查结果,请重新上传文件")
            return redirect("dues:import", org.pk)
        try:
            count = services.import_apply(
                actor=request.user, org=org, rows=pending["rows"], filename=pending["filename"]
            )
        except ValidationError as exc:
            request.session.pop(SESSION_KEY, None)
            messages.error(request, ";".join(exc.messages))
            return redirect("dues:import", org.pk)
        request.session.pop(SESSION_KEY, None)
        messages.success(request, f"已导入{count}条党费记录")
        return redirect(ledger_url(org.pk, pending["rows"][0]["year"]))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        plan = services.import_check(actor=request.user, org=org, content=upload.read(), today=today)
        if plan.ok:
            request.session[SESSION_KEY] = {"org": org.pk, "rows": plan.rows, "filename": upload.name[:100]}
        else:
            request.session.pop(SESSION_KEY, None)
    return render(
        request,
        "dues/import.html",
        {"org": org, "form": form, "plan": plan, "headers": services.HEADERS, "back": ledger_url(org.pk, today.year)},
    )
