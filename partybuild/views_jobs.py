"""Job pages: "我的任务", one job with its progress (polled by HTMX), the download and the retry button."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from core import jobs
from core.models import JobStatus


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(jobs.job_list_mine(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "partybuild/job_list.html", {"page": page})


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = jobs.job_get(request.user, pk)
    return render(request, "partybuild/job_detail.html", {"job": job, "can_retry": _can_retry(request, job)})


@login_required
@require_GET
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The fragment the job page polls; once finished it no longer asks to be polled."""
    job = jobs.job_get(request.user, pk)
    return render(request, "partybuild/job_status.html", {"job": job, "can_retry": _can_retry(request, job)})


@login_required
@require_GET
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = jobs.job_get(request.user, pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404("文件尚未生成")
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件已不存在,请重新生成") from None
    content_type = mimetypes.guess_type(job.filename)[0] or "application/octet-stream"
    return FileResponse(handle, as_attachment=True, filename=job.filename or job.file.name, content_type=content_type)


@login_required
@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = jobs.job_get(request.user, pk)
    job = jobs.job_retry(actor=request.user, job=job)
    messages.success(request, "已重新提交任务。")
    return redirect("core:job_detail", pk=job.pk)


def _can_retry(request: HttpRequest, job: object) -> bool:
    return getattr(job, "status", None) == JobStatus.FAILED and getattr(job, "created_by_id", None) == request.user.pk
