"""Deliveries and channel choices at the service level, and the two pages: 接收方式 (everyone's) and 发送记录 (the
district's, with 重发). The backends themselves are tested against a local server in test_channels.py."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core import deliveries
from core.audit_words import changes_in_words
from core.channel_choices import channel_choices_for, channel_choices_save
from core.models import ChannelChoice, Delivery, Event, Notification
from core.notifications import Reminder, reminders_deliver
from core.rules.delivery import Channel, DeliveryStatus

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


def _failed(user, n: int = 1) -> list[Delivery]:
    note = Notification.objects.create(recipient=user, title="换届提醒", url="/elections/")
    return [
        Delivery.objects.create(
            notification=note, channel=Channel.SMS, address=PHONE, status=DeliveryStatus.FAILED, attempts=5
        )
        for _ in range(n)
    ]


def test_reminders_make_a_delivery_per_chosen_channel_and_send_them_on_commit(
    users, settings, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    settings.SMS_GATEWAY_URL = ""  # the console backend: logged, counted as sent
    users.ts_a.email = "ts_a@example.com"
    users.ts_a.save(update_fields=["email"])
    ChannelChoice.objects.create(user=users.sec_a1, channel=Channel.SMS, enabled=True, address=PHONE)
    ChannelChoice.objects.create(user=users.sec_a1, channel=Channel.EMAIL, enabled=False, address="x@example.com")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        created = reminders_deliver(
            [Reminder(users.ts_a, "甲", "内容", "/a/"), Reminder(users.sec_a1, "乙", "", "/b/")]
        )
    assert created == 2 and len(callbacks) == 1
    rows = {(d.notification.recipient_id, d.channel, d.status) for d in Delivery.objects.select_related("notification")}
    assert rows == {(users.ts_a.pk, "email", "sent"), (users.sec_a1.pk, "sms", "sent")}
    assert [m.to for m in mailoutbox] == [["ts_a@example.com"]]


def test_resend_by_district_staff_requeues_and_is_audited(users, settings, django_capture_on_commit_callbacks) -> None:
    settings.SMS_GATEWAY_URL = ""
    (delivery,) = _failed(users.sec_a1)
    with django_capture_on_commit_callbacks(execute=True):
        deliveries.delivery_resend(actor=users.ds, delivery=delivery)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)
    event = Event.objects.get(verb="delivery.resend")
    assert event.actor == users.ds and "换届提醒" in event.summary
    assert changes_in_words(event) == [("状态", "失败", "待发送")]


def test_resend_refused_to_others_and_for_a_delivery_not_failed(users) -> None:
    (delivery,) = _failed(users.sec_a1)
    with pytest.raises(PermissionDenied):
        deliveries.delivery_resend(actor=users.ts_a, delivery=delivery)
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENT)
    with pytest.raises(ValidationError, match="只有发送失败的消息可以重发"):
        deliveries.delivery_resend(actor=users.ds, delivery=delivery)
    assert not Event.objects.filter(verb="delivery.resend").exists()


def test_choices_saved_for_oneself_and_audited_without_the_number(users) -> None:
    rows = channel_choices_save(actor=users.sec_a1, values={"sms_on": True, "sms": PHONE, "email_on": False})
    assert [(r.channel, r.enabled) for r in rows] == [("email", False), ("sms", True), ("robot", False)]
    assert channel_choices_for(users.sec_a1) == rows
    event = Event.objects.get(verb="channels.save", actor=users.sec_a1)
    assert event.summary == "修改接收方式:站内通知、手机短信" and PHONE not in str(event.after)
    assert changes_in_words(event) == [("接收方式", "—", "手机短信")]


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"sms_on": True, "sms": ""}, "sms", "请填写手机号码"),
        ({"sms_on": True, "sms": "1381234567"}, "sms", "以1开头的11位数字"),
        ({"email_on": True, "email": ""}, "email", "账号没有登记邮箱"),
        ({"email_on": True, "email": "not-a-mail"}, "email", "邮箱地址格式不正确"),
        ({"robot_on": True, "robot": "https://evil.example.com/hook"}, "robot", "群机器人地址不正确"),
        ({"robot_on": True, "robot": ""}, "robot", "请填写群机器人地址"),
    ],
)
def test_choices_refused_with_chinese_messages(users, values, field, message) -> None:
    with pytest.raises(ValidationError) as refused:
        channel_choices_save(actor=users.sec_a1, values=values)
    assert message in " ".join(refused.value.message_dict[field])
    assert not ChannelChoice.objects.filter(user=users.sec_a1).exists()


def test_the_choice_page_keeps_what_was_typed_on_an_error(client, users) -> None:
    client.force_login(users.sec_a1)
    url = reverse("core:channel_choices")
    page = client.get(url).content.decode()
    assert "接收方式" in page and "站内通知(始终接收)" in page
    response = client.post(url, {"sms_on": "on", "sms": "12345"})
    assert response.status_code == 200
    assert "以1开头的11位数字" in response.content.decode() and 'value="12345"' in response.content.decode()
    response = client.post(url, {"sms_on": "on", "sms": PHONE})
    assert response.status_code == 302
    assert ChannelChoice.objects.get(user=users.sec_a1, channel="sms").address == PHONE


def test_the_delivery_list_is_district_staff_only_and_its_queries_do_not_grow(
    client, users, django_assert_max_num_queries
) -> None:
    url = reverse("ops:deliveries")
    client.force_login(users.ts_a)
    assert client.get(url).status_code == 403
    client.force_login(users.ds)
    _failed(users.sec_a1, 2)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    _failed(users.ts_a, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url, {"status": "failed"}).content.decode()
    assert page.count("data-confirm") == 32 and "138****5678" in page and PHONE not in page
    first = deliveries.delivery_list(users.ds, status="failed")
    assert len(first.rows) == 32 and first.older is None
    assert deliveries.delivery_list(users.ds, status="sent").rows == []
