"""Faults survived (issue 7 §4): the broker down, a worker killed mid-export, a deadline whose task never ran.

* Broker down: the roster xlsx export answers a redirect to its job page (never a 500); the job stays queued and the
  page says "后台任务暂时延迟"; ``jobs_requeue_stale`` sends it again once the broker answers. The plain variant runs
  everywhere (the rerun is eager); the ``services`` variant hands the rerun to the real worker of ``.ci/run``.
* Worker killed: a worker of our own (``--pool solo``, its own queue) is SIGKILLed while it runs a job; the job stays
  "running" until the stale-running sweep marks it failed with a message, and its creator's retry then finishes it.
* A notice whose closing task never ran is closed on its end date by the database state alone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import nullcontext
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core import jobs
from core.models import Job, JobStatus
from core.tasks import job_run_task
from grading.models import Assessment, AssessmentStatus
from grading.services import campaigns as grading_services
from grading.services.notices import notice_publish
from grading.services.workflow import Action, transition
from organizations.documents import ROSTER_XLSX_KIND
from tests.calendar_support import seed_test_calendar
from tests.grading.test_workflow import fill_and_submit, score
from tests.trust.brokers import SLOW_KIND, broker, dead_broker

ROOT = Path(__file__).resolve().parents[2]
DELAYED_TEXT = "后台任务暂时延迟"


def _export_with_broker_down(client, user, org, on_commit=nullcontext) -> Job:
    """``on_commit``: django_capture_on_commit_callbacks in a test wrapped in a transaction (the commit of the
    request's transaction is simulated there), nothing in a transaction=True test."""
    client.force_login(user)
    with dead_broker(), on_commit():
        response = client.post(reverse("organizations:roster_xlsx", args=[org.pk]))
    # then: not a 500 but the job page, where the delay is explained
    assert response.status_code == 302, response.status_code
    job = Job.objects.get(kind=ROSTER_XLSX_KIND)
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.status == JobStatus.QUEUED and job.message == jobs.DELAYED
    page = client.get(response["Location"])
    assert page.status_code == 200 and DELAYED_TEXT in page.content.decode()
    return job


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_broker_down_export_is_delayed_not_500_and_the_sweep_sends_it_again(
    client, users, tree, members, media, django_capture_on_commit_callbacks
):
    # when: the export is asked for while the broker refuses connections
    run_callbacks = partial(django_capture_on_commit_callbacks, execute=True)
    job = _export_with_broker_down(client, users.sec_a1, tree.village_a1, run_callbacks)
    # and a sweep runs while it is still down: the job stays queued and delayed, nothing raises
    with dead_broker(), django_capture_on_commit_callbacks(execute=True):
        assert jobs.jobs_requeue_stale()["requeued"] == 1
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.message == jobs.DELAYED

    # when: the broker is back (eager here) and the sweep runs, without waiting for STALE_QUEUED_AFTER
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.jobs_requeue_stale()["requeued"] == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.message == ""
    download = client.get(reverse("core:job_download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert DELAYED_TEXT not in client.get(reverse("core:job_detail", args=[job.pk])).content.decode()


def test_other_pages_work_while_the_broker_is_down(client, users, tree, members):
    client.force_login(users.ts_a)
    with dead_broker():
        for url in (
            reverse("organizations:org_detail", args=[tree.village_a1.pk]),
            reverse("organizations:member_list", args=[tree.village_a1.pk]),
            reverse("organizations:roster_xlsx", args=[tree.village_a1.pk]),
            reverse("core:job_list"),
        ):
            assert client.get(url).status_code == 200, url


def _wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def _status(job: Job) -> str:
    return Job.objects.values_list("status", flat=True).get(pk=job.pk)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_broker_down_then_back_the_real_worker_finishes_the_export(client, users, tree, members):
    job = _export_with_broker_down(client, users.sec_a1, tree.village_a1)
    # the broker of .ci/run is back: the sweep hands the job to the real worker
    with broker(settings.CELERY_BROKER_URL, eager=False):
        assert jobs.jobs_requeue_stale()["requeued"] == 1
    _wait_for(lambda: _status(job) == JobStatus.DONE, 60, "the worker to finish the export")
    job.refresh_from_db()
    assert job.message == "" and job.file.name.endswith(".xlsx") and job.attempts == 1


# --- A worker killed during an export ----------------------------------------------------------------------


def _worker_env() -> dict[str, str]:
    """The environment of a worker that reads the test database (as .ci/run's worker does)."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DB_CONN_MAX_AGE": "0",
        "DJANGO_SETTINGS_MODULE": "partybuild.settings",
        "PYTHONPATH": str(ROOT),
    }


def _start_worker(queue: str, log: Path) -> subprocess.Popen:
    celery = Path(sys.executable).with_name("celery")
    return subprocess.Popen(
        [str(celery), "-A", "partybuild", "worker", "-Q", queue, "-I", "tests.trust.brokers", "--pool", "solo",
         "-l", "warning", "--without-heartbeat", "--without-gossip", "--without-mingle", "-n", f"{queue}@%h"],
        cwd=ROOT, env=_worker_env(), stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(5)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_worker_killed_during_an_export_ends_failed_and_the_retry_finishes(users, tree, monkeypatch, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("a second process needs the shared PostgreSQL test database")
    queue = f"trust-kill-{uuid.uuid4().hex[:8]}"
    # Our jobs go to our own queue, so the worker of .ci/run never takes them.
    monkeypatch.setattr(job_run_task, "delay", lambda job_id: job_run_task.apply_async((job_id,), queue=queue))
    log = tmp_path / "worker.log"
    first = _start_worker(queue, log)
    second = None
    try:
        with broker(settings.CELERY_BROKER_URL, eager=False):
            job = jobs.job_start(actor=users.ts_a, kind=SLOW_KIND, title="慢导出", org_path=tree.township_a.path)
            _wait_for(lambda: _status(job) == JobStatus.RUNNING, 60, f"the job to run ({log.read_text()[-2000:]})")

            # when: the worker dies mid-run (no cleanup, like an OOM kill)
            first.send_signal(signal.SIGKILL)
            first.wait(10)
            time.sleep(1)
            assert _status(job) == JobStatus.RUNNING  # nobody is left to say otherwise...

            # ...until the stale-running sweep
            later = timezone.now() + jobs.STALE_RUNNING_AFTER + timedelta(minutes=1)
            assert jobs.jobs_requeue_stale(now=later)["interrupted"] == 1
            job.refresh_from_db()
            assert job.status == JobStatus.FAILED and job.message == jobs.INTERRUPTED

            # then: its creator retries and a worker finishes it
            second = _start_worker(queue, log)
            jobs.job_retry(actor=users.ts_a, job=job)
            _wait_for(lambda: _status(job) == JobStatus.DONE, 60, f"the retry to finish ({log.read_text()[-2000:]})")
            job.refresh_from_db()
            assert job.attempts == 2 and job.file.name
    finally:
        _stop(first)
        if second is not None:
            _stop(second)


# --- A deadline whose task never ran --------------------------------------------------------------------------


def test_public_notice_after_its_end_date_is_closed_with_no_task_run(client, users, tree):
    # given: a notice published in April, and no task, beat or catch-up has run since
    seed_test_calendar(2026)
    campaign = grading_services.campaign_open(
        actor=users.ds, campaign=grading_services.campaign_create(actor=users.ds, year=2026)
    )
    a = Assessment.objects.select_related("organization", "campaign").get(
        campaign=campaign, organization=tree.village_a1
    )
    a = transition(
        actor=users.ts_a,
        assessment=score(users.ts_a, fill_and_submit(users.sec_a1, a), Decimal("0.9")),
        action=Action.SCORE,
    )
    notice = notice_publish(
        actor=users.ts_a,
        campaign=campaign,
        township=tree.township_a,
        assessments=[a],
        title="东风镇初评结果公示",
        body="现予公示。",
        contact="镇党委组织办",
        cap_reason="仅一个",
        published_on=date(2026, 4, 5),
    )
    assert notice.ends_on < timezone.localdate()
    # the stored status still says "in notice": nothing moved it
    assert Assessment.objects.get(pk=a.pk).status == AssessmentStatus.IN_NOTICE

    # then: the public page and the list are closed by the dates alone
    page = client.get(reverse("grading_public:notice", args=[notice.pk]))
    assert page.status_code == 404 and notice.title not in page.content.decode()
    listing = client.get(reverse("grading_public:notice_list"))
    assert listing.status_code == 200 and notice.title not in listing.content.decode()
