"""The delivery rules (core/rules/delivery.py): what an answer means, when to try again, the text, the choices."""

from __future__ import annotations

import pytest

from core.rules.delivery import (
    Channel,
    DeliveryStatus,
    Outcome,
    chosen_addresses,
    gateway_outcome,
    http_outcome,
    masked_address,
    message_text,
    next_status,
    retry_countdown,
    robot_outcome,
    smtp_outcome,
    webhook_allowed,
)


@pytest.mark.parametrize(
    ("status", "ok", "transient"),
    [(200, True, False), (204, True, False), (299, True, False), (301, False, False), (400, False, False),
     (401, False, False), (404, False, False), (408, False, True), (429, False, True), (499, False, False),
     (500, False, True), (502, False, True), (503, False, True)],
)  # fmt: skip
def test_an_http_answer_is_sent_retried_or_refused(status, ok, transient) -> None:
    outcome = http_outcome(status)
    assert (outcome.ok, outcome.transient) == (ok, transient)
    assert ok or str(status) in outcome.error


def test_no_answer_is_tried_again() -> None:
    assert http_outcome(None, timed_out=True) == Outcome(False, True, "连接超时")
    assert http_outcome(None, error="无法连接") == Outcome(False, True, "无法连接")


def test_a_gateway_that_answers_200_says_in_its_body_whether_it_took_the_message() -> None:
    assert gateway_outcome(200, {"code": 0}, "code=0").ok and gateway_outcome(200, None, "").ok
    assert gateway_outcome(200, {"code": "0"}, " code = 0 ").ok
    assert gateway_outcome(200, {"code": 17}, "code=0") == Outcome(False, False, "短信平台未受理(code=17)")
    assert gateway_outcome(200, "ok", "code=0") == Outcome(False, False, "短信平台未受理(code=无)")
    assert gateway_outcome(503, {"code": 0}, "code=0").transient  # the status decides first


def test_a_robot_reads_its_error_code() -> None:
    assert robot_outcome(200, 0).ok and robot_outcome(200, None).ok
    assert robot_outcome(200, 93000) == Outcome(False, False, "群机器人拒绝接收(错误码 93000)")
    assert robot_outcome(200, 45009).transient  # 20 messages a minute per robot
    assert robot_outcome(502, 0).transient and not robot_outcome(404, None).transient


def test_smtp_codes_4xx_later_5xx_never() -> None:
    assert smtp_outcome(451).transient and not smtp_outcome(550).transient
    assert smtp_outcome(None, error="无法连接邮件服务器") == Outcome(False, True, "无法连接邮件服务器")


@pytest.mark.parametrize(
    ("outcome", "attempts", "status"),
    [
        (Outcome(True), 1, DeliveryStatus.SENT),
        (Outcome(True), 5, DeliveryStatus.SENT),
        (Outcome(False, True), 1, DeliveryStatus.RETRYING),
        (Outcome(False, True), 2, DeliveryStatus.RETRYING),
        (Outcome(False, True), 3, DeliveryStatus.FAILED),  # the last allowed attempt
        (Outcome(False, False), 1, DeliveryStatus.FAILED),  # refused: no second attempt
    ],
)
def test_the_status_after_an_attempt(outcome, attempts, status) -> None:
    assert next_status(outcome, attempts=attempts, max_attempts=3) == status


def test_the_backoff_doubles_up_to_an_hour() -> None:
    assert [retry_countdown(n) for n in (0, 1, 2, 3, 4)] == [60, 60, 120, 240, 480]
    assert retry_countdown(7) == 3600 and retry_countdown(30) == 3600
    assert retry_countdown(3, base=1, cap=10) == 4


def test_the_template_fills_title_and_url_and_keeps_other_braces() -> None:
    assert (
        message_text("【平台】{title},见{url}", title="定级提醒", url="https://x/1") == "【平台】定级提醒,见https://x/1"
    )
    assert message_text("{code}{title}", title="{url}", url="U") == "{code}{url}"  # no second substitution


def test_an_address_is_shown_masked() -> None:
    assert masked_address(Channel.SMS, "13812345678") == "138****5678"
    assert masked_address(Channel.EMAIL, "zhang@example.gov.cn") == "z***@example.gov.cn"
    assert masked_address(Channel.ROBOT, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET") == (
        "qyapi.weixin.qq.com/…"
    )
    assert masked_address(Channel.SMS, "") == ""


def test_the_channels_a_user_receives_on() -> None:
    assert chosen_addresses("a@x.cn", {}) == [("email", "a@x.cn")]  # e-mail on by default with an address
    assert chosen_addresses("", {}) == []
    assert chosen_addresses("a@x.cn", {"email": (False, "")}) == []
    assert chosen_addresses("a@x.cn", {"email": (True, "b@x.cn"), "sms": (True, "13812345678")}) == [
        ("email", "b@x.cn"),
        ("sms", "13812345678"),
    ]
    assert chosen_addresses("", {"sms": (True, ""), "robot": (False, "https://h/")}) == []  # nowhere to go


def test_a_webhook_only_to_an_allowed_host() -> None:
    hosts = ["qyapi.weixin.qq.com"]
    assert webhook_allowed("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", hosts)
    assert not webhook_allowed("https://qyapi.weixin.qq.com.evil.cn/send", hosts)
    assert not webhook_allowed("file:///etc/passwd", hosts)
    assert not webhook_allowed("http://[::1", hosts)
    assert not webhook_allowed("", hosts)
