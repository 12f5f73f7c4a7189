"""Import of a year's past meeting records (two steps: check, then confirm) and its template. Between the steps the
checked rows wait in the user's session under the organization's id (never a path from the request)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from core.documents import XLSX_CONTENT_TYPE, write_xlsx
from meetings import access
from meetings.forms.meetings import ImportForm
from meetings.services import imports as services
from meetings.services.meetings import RECORD

SESSION_KEY = "meetings_import"


@login_required
@require_GET
def import_template(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.organization_for(request.user, pk, perm=RECORD)
    year = timezone.localdate().year - 1
    example = [[f"{year}-01-08", "支部委员会", "研究年度工作计划", "张三", "李四", "王五", "赵六"]]
    content = write_xlsx(headers=list(services.HEADERS), rows=example, title="组织生活记录")
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{org.name}组织生活记录导入模板.xlsx")
    return response


@login_required
def import_page(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.organization_for(request.user, pk, perm=RECORD)
    today = timezone.localdate()
    back = reverse("meetings:org_meetings", args=[org.pk])
    pending = request.session.get(SESSION_KEY) or {}
    if request.method == "POST" and request.POST.get("confirm") == "1":
        if pending.get("org") != org.pk:
            messages.error(request, "没有待导入的检查结果,请重新上传文件")
            return redirect("meetings:import", org.pk)
        request.session.pop(SESSION_KEY, None)
        try:
            count = services.import_apply(
                actor=request.user, org=org, rows=pending["rows"], filename=pending["filename"], today=today
            )
        except ValidationError as exc:
            messages.error(request, ";".join(exc.messages))
            return redirect("meetings:import", org.pk)
        messages.success(request, f"已导入{count}条组织生活记录")
        return redirect(back)
    form = ImportForm(request.POST or None, request.FILES or None)
    plan = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        plan = services.import_check(actor=request.user, org=org, content=upload.read(), today=today)
        if plan.ok:
            request.session[SESSION_KEY] = {"org": org.pk, "rows": plan.rows, "filename": upload.name[:100]}
        else:
            request.session.pop(SESSION_KEY, None)
    return render(
        request,
        "meetings/import.html",
        {"org": org, "form": form, "plan": plan, "headers": services.HEADERS, "back": back},
    )
