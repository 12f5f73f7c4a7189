"""Background jobs: lifecycle (queued → running → done/failed → retried), progress, the sweep, and who may see them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core import jobs
from core.models import Job, JobStatus
from core.tasks import app as celery_app
from organizations.roles import Perm

SEEN_PROGRESS: list[int] = []


def _ok(job: Job, report_progress) -> tuple[str, bytes]:
    for value in (25, 50, 75):
        report_progress(value)
        SEEN_PROGRESS.append(Job.objects.get(pk=job.pk).progress)
    return "测试文件.txt", f"内容 {job.params.get('n', 0)}".encode()


def _fails_first(job: Job, report_progress) -> tuple[str, bytes]:
    if job.attempts < 2:
        raise jobs.JobError("数据暂不可用,请稍后重试。")
    return "第二次.txt", b"ok"


def _crashes(job: Job, report_progress) -> tuple[str, bytes]:
    raise RuntimeError("internal detail that must not reach the user")


jobs.register("test_ok", _ok, perms=(Perm.EXPORT_ROSTER,))
jobs.register("test_fails_first", _fails_first)
jobs.register("test_crashes", _crashes)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    SEEN_PROGRESS.clear()
    return tmp_path


def start(user, kind="test_ok", org=None, **params):
    return jobs.job_start(actor=user, kind=kind, title="测试导出", org_path=org.path if org else "", params=params)


def test_job_waits_for_commit_then_runs_to_done_with_progress(users, tree, django_capture_on_commit_callbacks):
    # given / when: started inside a transaction
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = start(users.ts_a, org=tree.township_a, n=7)
    # then: nothing ran before commit
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
    assert len(callbacks) == 1

    # when: the transaction commits (eager Celery runs the task in-process)
    callbacks[0]()

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.progress == 100
    assert job.attempts == 1
    assert job.filename == "测试文件.txt"
    assert job.file.read() == "内容 7".encode()
    assert job.started_at and job.finished_at
    assert SEEN_PROGRESS == [25, 50, 75]


def test_run_is_idempotent(users, tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(users.ts_a, org=tree.township_a)
    assert jobs.job_run(job.pk) is None  # already done: a second delivery does nothing
    job.refresh_from_db()
    assert job.attempts == 1 and job.status == JobStatus.DONE


def test_unknown_kind_is_refused(users):
    with pytest.raises(ValueError):
        jobs.job_start(actor=users.ts_a, kind="no_such_kind", title="x")


def test_failure_keeps_chinese_message_and_creator_can_retry(users, tree, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(users.ts_a, kind="test_fails_first", org=tree.township_a)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message == "数据暂不可用,请稍后重试。"
    assert not job.file

    client.force_login(users.ts_a)
    page = client.get(reverse("core:job_detail", args=[job.pk]))
    assert "数据暂不可用" in page.content.decode()
    assert reverse("core:job_retry", args=[job.pk]) in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:job_retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.attempts == 2
    assert job.message == ""
    assert job.file.read() == b"ok"


def test_only_the_creator_may_retry(users, tree, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(users.ts_a, kind="test_fails_first", org=tree.township_a)
    client.force_login(users.ds)  # may see the job (district scope) but did not start it
    assert client.post(reverse("core:job_retry", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.attempts == 1


def test_unexpected_error_fails_with_generic_message(users, tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(users.ts_a, kind="test_crashes", org=tree.township_a)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message == jobs.GENERIC_FAILURE
    assert "internal" not in job.message


def test_sweep_requeues_stale_queued_and_fails_lost_running(users, tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        stale = start(users.ts_a, org=tree.township_a)
        fresh = start(users.ts_a, org=tree.township_a)
    lost = Job.objects.create(
        kind="test_ok",
        title="丢失",
        status=JobStatus.RUNNING,
        created_by=users.ts_a,
        started_at=timezone.now() - timedelta(hours=2),
    )
    Job.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(minutes=11))

    with django_capture_on_commit_callbacks(execute=True):
        result = jobs.jobs_requeue_stale()

    assert result == {"requeued": 1, "interrupted": 1}
    assert Job.objects.get(pk=stale.pk).status == JobStatus.DONE
    assert Job.objects.get(pk=fresh.pk).status == JobStatus.QUEUED
    assert Job.objects.get(pk=lost.pk).status == JobStatus.FAILED
    # A second sweep finds nothing left to do.
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.jobs_requeue_stale() == {"requeued": 0, "interrupted": 0}


def test_sweep_is_scheduled_for_beat():
    entry = celery_app.conf.beat_schedule["partybuild.jobs_requeue_stale"]
    assert entry["task"] == "partybuild.jobs_requeue_stale"
    assert entry["task"] in celery_app.tasks


def test_job_page_polls_until_finished(users, tree, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = start(users.ts_a, org=tree.township_a)
    client.force_login(users.ts_a)
    status_url = reverse("core:job_status", args=[job.pk])

    queued = client.get(reverse("core:job_detail", args=[job.pk])).content.decode()
    assert f'hx-get="{status_url}"' in queued and 'hx-trigger="every 1s"' in queued
    assert "style=" not in queued

    callbacks[0]()
    fragment = client.get(status_url).content.decode()
    assert "hx-trigger" not in fragment
    assert reverse("core:job_download", args=[job.pk]) in fragment
    assert 'value="100"' in fragment


def test_download_scope(users, tree, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(users.sec_a1, org=tree.village_a1, n=3)
    url = reverse("core:job_download", args=[job.pk])

    # anonymous: to the login page
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]

    # the creator
    client.force_login(users.sec_a1)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == "内容 3".encode()
    assert "attachment" in response["Content-Disposition"]

    # township staff above the organization hold EXPORT_ROSTER over its path
    client.force_login(users.ts_a)
    assert client.get(url).status_code == 200
    # the other township, a liaison without EXPORT_ROSTER, and someone with no role: as if it did not exist
    for other in (users.ts_b, users.liaison, users.nobody, users.sec_b1):
        client.force_login(other)
        assert client.get(url).status_code == 404, other.username
        assert client.get(reverse("core:job_detail", args=[job.pk])).status_code == 404


def test_personal_data_jobs_need_personal_data_permission(users, tree, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(users.ts_a, org=tree.township_a, personal_data=True)
    url = reverse("core:job_download", args=[job.pk])
    client.force_login(users.viewer_a)  # may export the township's roster, but not see full ID numbers
    assert client.get(url).status_code == 404
    client.force_login(users.ds)
    assert client.get(url).status_code == 200


def test_download_before_done_is_404(users, tree, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = start(users.ts_a, org=tree.township_a)
    client.force_login(users.ts_a)
    assert client.get(reverse("core:job_download", args=[job.pk])).status_code == 404


def test_my_jobs_lists_only_mine(users, tree, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mine = jobs.job_start(actor=users.ts_a, kind="test_ok", title="我的导出", org_path=tree.township_a.path)
        jobs.job_start(actor=users.ts_b, kind="test_ok", title="别人的导出", org_path=tree.township_b.path)
    client.force_login(users.ts_a)
    html = client.get(reverse("core:job_list")).content.decode()
    assert "我的导出" in html and "别人的导出" not in html
    assert reverse("core:job_download", args=[mine.pk]) in html
