import re

import pytest
from django.urls import reverse


def test_five_failures_lock_the_account_for_that_address(client, users):
    for _ in range(5):
        response = client.post(
            reverse("login"), {"username": "ts_a", "password": "wrong-password"}, REMOTE_ADDR="10.9.9.9"
        )
    # the right password no longer helps from that address
    response = client.post(reverse("login"), {"username": "ts_a", "password": "demo12345"}, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429
    assert "暂时锁定" in response.content.decode()
    # another address is not locked
    other = client.post(reverse("login"), {"username": "ts_a", "password": "demo12345"}, REMOTE_ADDR="10.9.9.8")
    assert other.status_code == 302


def test_login_page_is_chinese_and_wrong_password_says_so(client, users):
    page = client.get(reverse("login")).content.decode()
    assert 'lang="zh-CN"' in page and "账号" in page and "密码" in page
    response = client.post(reverse("login"), {"username": "ts_a", "password": "nope"})
    assert "请输入一个正确的" in response.content.decode() or "不正确" in response.content.decode()


def test_password_change_requires_rules(client, users):
    client.force_login(users.ts_a)
    response = client.post(
        reverse("password_change"), {"old_password": "demo12345", "new_password1": "123", "new_password2": "123"}
    )
    assert response.status_code == 200
    assert "密码" in response.content.decode()


def test_one_wrong_try_against_many_accounts_locks_the_address(client, users, settings):
    """Password spraying: one failure per account never reaches the per-account limit; the address limit stops it."""
    address = "10.7.7.7"
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": f"account{n:02d}", "password": "Spring2026!"}, REMOTE_ADDR=address)
    # even an account never tried from there, with its right password, is refused from that address
    response = client.post(reverse("login"), {"username": "ts_a", "password": "demo12345"}, REMOTE_ADDR=address)
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录暂时锁定" in page and "同一地址" in page and "返回登录页" in page
    # the people at other addresses are not affected
    other = client.post(reverse("login"), {"username": "ts_a", "password": "demo12345"}, REMOTE_ADDR="10.7.7.8")
    assert other.status_code == 302


def test_a_few_failures_from_an_address_lock_nothing(client, users, settings):
    address = "10.6.6.6"
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT - 1):
        client.post(reverse("login"), {"username": f"account{n:02d}", "password": "wrong"}, REMOTE_ADDR=address)
    response = client.post(reverse("login"), {"username": "ts_a", "password": "demo12345"}, REMOTE_ADDR=address)
    assert response.status_code == 302


@pytest.mark.parametrize("password", ["abc", "short1", "12345678901234"])
def test_every_password_refusal_is_in_chinese(client, users, password):
    client.force_login(users.ts_a)
    response = client.post(
        reverse("password_change"),
        {"old_password": "demo12345", "new_password1": password, "new_password2": password},
    )
    page = response.content.decode()
    errors = page[page.index('name="new_password1"') :]
    assert response.status_code == 200 and "密码" in errors
    assert not re.search(r"This password|Your password|too short|too common|entirely numeric|characters", page)


def test_password_rules_and_help_texts_are_chinese(users):
    from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
    from django.core.exceptions import ValidationError

    for text in password_validators_help_texts():
        assert re.search(r"[\u4e00-\u9fff]", text) and not re.search(r"[A-Za-z]{3,}", text)
    with pytest.raises(ValidationError) as caught:
        validate_password("ts_a1", user=users.ts_a)
    messages = caught.value.messages
    assert "密码太短,至少需要9个字符。" in messages
    for message in messages:
        assert not re.search(r"[A-Za-z]{4,}", message.replace("ts_a", "")), message
