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
