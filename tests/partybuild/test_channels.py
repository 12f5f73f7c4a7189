"""The SMS gateway and the group robot against a real HTTP server on 127.0.0.1 started here (tests/local_gateway.py),
and a reminder that reaches a member who chose SMS (issue 17: "a reminder goes out by the SMS backend to a local test
gateway"). No mock of the HTTP client; timeouts of 0.2 s."""

from __future__ import annotations

import time
from datetime import date

import pytest

from core import deliveries
from core.models import ChannelChoice, Delivery, Notification
from core.rules.delivery import Channel, DeliveryStatus
from core.tasks import deliver_task
from tests import local_gateway

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


@pytest.fixture(scope="module")
def gateway():
    yield from local_gateway.serve()


@pytest.fixture(autouse=True)
def channel_settings(settings, gateway, monkeypatch):
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    settings.SMS_GATEWAY_URL = f"{gateway.url}/sms"
    settings.SMS_GATEWAY_USER, settings.SMS_GATEWAY_PASSWORD = "dangjian", "secret"
    settings.SMS_GATEWAY_FIELDS = "mobile=phone"
    settings.SMS_TEMPLATE = "【党建】{title} {url}"
    settings.SITE_URL = "https://dj.example.gov.cn"
    settings.ROBOT_WEBHOOK_HOSTS = ["127.0.0.1"]
    settings.CHANNEL_TIMEOUT = 0.2
    settings.DELIVERY_MAX_ATTEMPTS = 2
    gateway.answer()


def _delivery(user, channel: str, address: str) -> Delivery:
    note = Notification.objects.create(recipient=user, title="自评截止提醒", body="还剩3天", url="/grading/1/")
    return Delivery.objects.create(notification=note, channel=channel, address=address)


def test_sms_sent_on_200_with_the_credentials_and_the_template(users, gateway) -> None:
    delivery = _delivery(users.sec_a1, Channel.SMS, PHONE)
    deliver_task.delay(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 1, "")
    assert delivery.sent_at is not None
    assert gateway.received == [
        {
            "path": "/sms",
            "phone": PHONE,  # SMS_GATEWAY_FIELDS renamed the field
            "content": "【党建】自评截止提醒 https://dj.example.gov.cn/grading/1/",
            "account": "dangjian",
            "password": "secret",
        }
    ]
    assert deliveries.delivery_attempt(delivery.pk) is None  # idempotent: a repeated task finds it sent
    assert len(gateway.received) == 1


def test_sms_5xx_then_success_on_the_celery_retry(users, gateway) -> None:
    gateway.answer(503, 200)
    delivery = _delivery(users.sec_a1, Channel.SMS, PHONE)
    deliver_task.delay(delivery.pk)  # eager: the next attempt runs at once, without the countdown
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)
    assert len(gateway.received) == 2


def test_sms_timeout_is_retrying_then_failed(users, gateway) -> None:
    gateway.answer("hang", "hang")
    delivery = _delivery(users.sec_a1, Channel.SMS, PHONE)
    first = deliveries.delivery_attempt(delivery.pk)
    assert first == deliveries.Attempted(DeliveryStatus.RETRYING, 60)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.RETRYING, 1, "连接超时")
    second = deliveries.delivery_attempt(delivery.pk)
    assert second == deliveries.Attempted(DeliveryStatus.FAILED, None)  # DELIVERY_MAX_ATTEMPTS = 2
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.sent_at) == (DeliveryStatus.FAILED, 2, None)


def test_sms_refused_in_the_answer_body_when_the_platform_says_so(users, gateway, settings) -> None:
    settings.SMS_GATEWAY_SUCCESS = "code=0"
    gateway.answer((200, {"code": 0, "msg": "提交成功"}), (200, {"code": 1003, "msg": "余额不足"}))
    taken, refused = _delivery(users.sec_a1, Channel.SMS, PHONE), _delivery(users.sec_a1, Channel.SMS, PHONE)
    deliver_task.delay(taken.pk)
    deliver_task.delay(refused.pk)
    taken.refresh_from_db()
    refused.refresh_from_db()
    assert taken.status == DeliveryStatus.SENT
    assert (refused.status, refused.attempts, refused.last_error) == ("failed", 1, "短信平台未受理(code=1003)")


def test_sms_4xx_fails_at_once(users, gateway) -> None:
    gateway.answer(403)
    delivery = _delivery(users.sec_a1, Channel.SMS, PHONE)
    deliver_task.delay(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        DeliveryStatus.FAILED,
        1,
        "对方拒绝接收(HTTP 403)",
    )


def test_group_robot_success_5xx_and_refusal(users, gateway) -> None:
    webhook = f"{gateway.url}/cgi-bin/webhook/send?key=k1"
    gateway.answer(200, 502, 200, (200, {"errcode": 93000, "errmsg": "invalid webhook url"}))
    sent = _delivery(users.sec_a1, Channel.ROBOT, webhook)
    deliver_task.delay(sent.pk)
    retried = _delivery(users.sec_a1, Channel.ROBOT, webhook)
    deliver_task.delay(retried.pk)
    refused = _delivery(users.sec_a1, Channel.ROBOT, webhook)
    deliver_task.delay(refused.pk)
    assert gateway.received[0] == {
        "path": "/cgi-bin/webhook/send?key=k1",
        "msgtype": "text",
        "text": {"content": "自评截止提醒\n还剩3天\nhttps://dj.example.gov.cn/grading/1/"},
    }
    statuses = [(d.status, d.attempts) for d in Delivery.objects.filter(pk__in=[sent.pk, retried.pk, refused.pk])]
    assert sorted(statuses) == sorted([("sent", 1), ("sent", 2), ("failed", 1)])


def test_a_webhook_on_another_host_is_refused_without_a_request(users, gateway, settings) -> None:
    settings.ROBOT_WEBHOOK_HOSTS = ["qyapi.weixin.qq.com"]
    delivery = _delivery(users.sec_a1, Channel.ROBOT, f"{gateway.url}/send")
    deliver_task.delay(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and gateway.received == []


def test_a_meetings_reminder_goes_out_by_sms_to_the_local_gateway(
    tree, users, members, gateway, django_capture_on_commit_callbacks
) -> None:
    from meetings.services.reminders import reminders_send

    ChannelChoice.objects.create(user=users.sec_a1, channel=Channel.SMS, enabled=True, address=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(today=date(2026, 3, 25)) > 0
    sms = Delivery.objects.filter(notification__recipient=users.sec_a1, channel=Channel.SMS)
    assert sms and {(d.status, d.address) for d in sms} == {(DeliveryStatus.SENT, PHONE)}
    assert not Delivery.objects.exclude(notification__recipient=users.sec_a1).filter(channel=Channel.SMS).exists()
    texts = [r["content"] for r in gateway.received if r["phone"] == PHONE]
    assert len(texts) == sms.count()
    committee = next(t for t in texts if "2026年3月的支部委员会尚未召开" in t)
    assert committee.startswith("【党建】") and "https://dj.example.gov.cn/meetings/" in committee


def test_the_worker_path_asks_celery_for_a_retry_after_the_backoff(users, gateway, monkeypatch) -> None:
    asked = []

    def retry(**options):
        asked.append(options)
        return RuntimeError("retry queued")

    gateway.answer(500)
    delivery = _delivery(users.sec_a1, Channel.SMS, PHONE)
    monkeypatch.setattr(deliver_task, "retry", retry)
    deliver_task.push_request(id="worker-1", args=[delivery.pk], kwargs={}, retries=0, is_eager=False)
    try:
        with pytest.raises(RuntimeError, match="retry queued"):
            deliver_task.run(delivery.pk)
    finally:
        deliver_task.pop_request()
    assert asked == [{"countdown": 60}]  # DELIVERY_RETRY_BASE_SECONDS after the first attempt
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.RETRYING, 1)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_real_worker_sends_a_delivery_queued_on_commit(users) -> None:
    """CI's worker (.ci/run) has no gateway configured: its console backend logs the SMS and counts it as sent."""
    delivery = _delivery(users.sec_a1, Channel.SMS, PHONE)
    deliveries.deliveries_queue([delivery.pk])  # outside a transaction: queued at once, to the broker
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        delivery.refresh_from_db()
        if delivery.status != DeliveryStatus.PENDING:
            break
        time.sleep(0.2)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)
