"""Background jobs: long exports that run in a Celery worker and report their progress.

An app registers a kind once (usually at the bottom of its ``documents.py``)::

    from core import jobs

    def roster_xlsx(job: Job, report_progress: Callable[[int], None]) -> tuple[str, bytes]:
        ...
        return "名册.xlsx", data

    jobs.register("roster_xlsx", roster_xlsx, perms=(Perm.EXPORT_ROSTER,))

A view starts it with ``job_start(actor=..., kind=..., title=..., org_path=..., params=...)`` and redirects to the
job page. The task is queued after commit; with eager Celery (development, tests) it runs inside the request.

Who sees a job: its creator, or anyone holding every permission of its kind over ``org_path``; a job whose
file carries personal data (``params["personal_data"]``) also needs VIEW_PERSONAL_DATA. Anyone else gets 404.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from celery import current_app as app
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from core import access, audit
from core.models import Job, JobStatus

logger = logging.getLogger(__name__)

ReportProgress = Callable[[int], None]
JobFunction = Callable[[Job, ReportProgress], tuple[str, bytes]]

# A job still queued after this long was lost (broker down when it was queued): the sweep queues it again.
STALE_QUEUED_AFTER = timedelta(minutes=10)
# A job running this long lost its worker (killed mid-run): the sweep marks it failed so its creator can retry.
STALE_RUNNING_AFTER = timedelta(minutes=60)

# Shown on the job page while the broker cannot be reached; the sweep queues the job again once it answers.
DELAYED = "后台任务暂时延迟:后台服务暂时不可用,恢复后将自动继续,无需重复提交。"
# The permissions a job of an unregistered kind needs (codes of organizations.roles.Perm).
VIEW_RECORDS = "view_records"
VIEW_PERSONAL_DATA = "view_personal_data"
RUN_TASK = "partybuild.job_run"  # the Celery task that runs a job (core.tasks.job_run_task)
GENERIC_FAILURE = "生成文件时出错,请稍后重试;如仍失败请联系管理员。"
INTERRUPTED = "任务中断(后台进程已停止),请重试。"


class JobError(Exception):
    """Raised by a job function with a message meant for the user (in Chinese); shown on the job page."""


@dataclass(frozen=True)
class JobKind:
    kind: str
    function: JobFunction
    perms: tuple[str, ...]


_REGISTRY: dict[str, JobKind] = {}


def register(kind: str, function: JobFunction, *, perms: tuple[str, ...] = (VIEW_RECORDS,)) -> None:
    """Declare what a job kind runs and which permissions over the job's org_path let others than its creator
    see it. Registering the same kind again replaces it (module reloads in development)."""
    _REGISTRY[kind] = JobKind(kind, function, tuple(str(p) for p in perms))


def get_kind(kind: str) -> JobKind | None:
    if kind not in _REGISTRY:
        # A worker process has not imported the views that import the registering modules: look for them.
        autodiscover_modules("documents")
    return _REGISTRY.get(kind)


# ------------------------------------------------------------------------------------------------------------ services


def _send(job_id: int) -> bool:
    """Hand the job to the broker. When the broker is down the job stays queued with the DELAYED message instead of
    turning the request into a 500; ``jobs_requeue_stale`` sends it again. The task is found by its name in Celery's
    registry (``core.tasks`` registers it; the app config imports that module), so this module does not import
    the task module that imports it."""
    try:
        app.tasks[RUN_TASK].delay(job_id)
    except Exception:  # kombu.OperationalError, redis errors, timeouts: whatever the transport raises
        logger.warning("job %s: broker unreachable, left queued for the sweep", job_id, exc_info=True)
        Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(message=DELAYED)
        return False
    Job.objects.filter(pk=job_id, status=JobStatus.QUEUED, message=DELAYED).update(message="")
    return True


def _queue(job: Job) -> None:
    job_id = job.pk
    transaction.on_commit(lambda: _send(job_id))


def job_start(*, actor: Any, kind: str, title: str, org_path: str = "", params: dict[str, Any] | None = None) -> Job:
    """Create a job and queue it once the surrounding transaction commits."""
    if get_kind(kind) is None:
        raise ValueError(f"unknown job kind {kind!r}")
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            title=title[:200],
            org_path=org_path,
            params=params or {},
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        _queue(job)
    return job


def job_retry(*, actor: Any, job: Job) -> Job:
    """Queue a failed job again. Only its creator may; anything else is not theirs to touch (404)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.created_by_id is None or job.created_by_id != getattr(actor, "pk", None):
            raise Http404("任务不存在")
        if job.status != JobStatus.FAILED:
            return job
        job.status = JobStatus.QUEUED
        job.progress = 0
        job.message = ""
        job.started_at = None
        job.finished_at = None
        job.save(update_fields=["status", "progress", "message", "started_at", "finished_at"])
        audit.record(actor=actor, verb="job.retry", summary=f"重试任务:{job.title}", target=job, org_path=job.org_path)
        _queue(job)
    return job


def _claim(job_id: int) -> Job | None:
    """Mark a queued job running; None when it is not queued (already run, running or gone): runs are idempotent."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != JobStatus.QUEUED:
            return None
        job.status = JobStatus.RUNNING
        job.progress = 0
        job.started_at = timezone.now()
        job.attempts += 1
        job.save(update_fields=["status", "progress", "started_at", "attempts"])
        return job


def _fail(job: Job, message: str) -> None:
    job.status = JobStatus.FAILED
    job.message = message[:300]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "finished_at"])


def job_run(job_id: int) -> Job | None:
    """Run a queued job to the end: the file is stored and the job marked done, or failed with a message.

    Never raises for a failure of the job itself (with eager Celery that would break the request that started it).
    """
    job = _claim(job_id)
    if job is None:
        return None
    last = {"progress": 0}

    def report_progress(value: int) -> None:
        value = max(0, min(99, int(value)))  # 100 means "file stored"
        if value != last["progress"]:
            last["progress"] = value
            Job.objects.filter(pk=job.pk).update(progress=value)

    try:
        entry = get_kind(job.kind)
        if entry is None:
            raise JobError(f"未知的任务类型:{job.kind}")
        filename, content = entry.function(job, report_progress)
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
        # The stored name stays ASCII; the Chinese name is kept for the download header.
        job.file.save(f"job-{job.pk}.{extension}", ContentFile(content), save=False)
        job.filename = filename[:200]
        job.status = JobStatus.DONE
        job.progress = 100
        job.message = ""
        job.finished_at = timezone.now()
        job.save(update_fields=["file", "filename", "status", "progress", "message", "finished_at"])
    except JobError as exc:
        _fail(job, str(exc) or GENERIC_FAILURE)
    except Http404:
        _fail(job, "对象不存在或已不在您的管辖范围内。")
    except PermissionDenied:
        _fail(job, "您已没有执行此操作的权限。")
    except Exception:  # every failure must end as a failed job the user can see and retry
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _fail(job, GENERIC_FAILURE)
    return job


def jobs_requeue_stale(*, now: Any = None) -> dict[str, int]:
    """Periodic sweep, safe to run any number of times.

    Jobs still queued after STALE_QUEUED_AFTER were never picked up, and jobs whose sending failed (DELAYED: the
    broker was down) are queued again at once; a duplicate delivery is harmless because ``job_run`` only runs a job
    that is still queued. Jobs running longer
    than STALE_RUNNING_AFTER lost their worker: mark them failed so their creator can retry.
    """
    now = now or timezone.now()
    requeued = 0
    stale = Q(created_at__lt=now - STALE_QUEUED_AFTER) | Q(message=DELAYED)
    for job in Job.objects.filter(stale, status=JobStatus.QUEUED):
        _queue(job)
        requeued += 1
    interrupted = Job.objects.filter(status=JobStatus.RUNNING, started_at__lt=now - STALE_RUNNING_AFTER).update(
        status=JobStatus.FAILED, message=INTERRUPTED, finished_at=now
    )
    return {"requeued": requeued, "interrupted": interrupted}


# ----------------------------------------------------------------------------------------------------------- selectors


def job_visible_to(user: Any, job: Job) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if job.created_by_id is not None and job.created_by_id == user.pk:
        return True
    if not job.org_path:
        return False
    entry = get_kind(job.kind)
    perms = list(entry.perms) if entry else [VIEW_RECORDS]
    if (job.params or {}).get("personal_data"):
        perms.append(VIEW_PERSONAL_DATA)
    return all(access.path_allows(user, perm, job.org_path) for perm in perms)


def job_get(user: Any, pk: Any) -> Job:
    """One job the user may see; anything else (missing, someone else's, out of scope) is 404."""
    try:
        job = Job.objects.select_related("created_by").get(pk=pk)
    except (Job.DoesNotExist, ValueError, TypeError):
        raise Http404("任务不存在") from None
    if not job_visible_to(user, job):
        raise Http404("任务不存在")
    return job


def job_list_mine(user: Any) -> QuerySet[Job]:
    """ "我的任务": the jobs this user started, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    return Job.objects.filter(created_by=user).order_by("-created_at", "-pk")
