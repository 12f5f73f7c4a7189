from django.urls import reverse

from core.models import Event
from organizations.models import OrgKind
from organizations.services.members import member_update
from organizations.services.tree import organization_upgrade


def test_district_searches_log_township_sees_own_subtree_only(client, users, tree, members):
    member_update(actor=users.ts_a, member=members["a1"][0], occupation="教师")
    member_update(actor=users.ts_b, member=members["b1"][0], occupation="医生")
    client.force_login(users.ds)
    body = client.get(reverse("core:audit_log"), {"q": "修改党员"}).content.decode()
    assert "教师" in body and "医生" in body
    client.force_login(users.ts_a)
    body = client.get(reverse("core:audit_log")).content.decode()
    assert "教师" in body and "医生" not in body


def test_secretary_cannot_read_log(client, users):
    client.force_login(users.sec_a1)
    assert client.get(reverse("core:audit_log")).status_code == 403


def test_login_success_and_failure_are_recorded(client, users):
    client.post(reverse("login"), {"username": "ts_a", "password": "wrong-password"}, REMOTE_ADDR="10.1.2.3")
    failed = Event.objects.get(verb="auth.login_failed")
    assert failed.ip == "10.1.2.3" and "ts_a" in failed.summary
    client.post(reverse("login"), {"username": "ts_a", "password": "demo12345"})
    assert Event.objects.filter(verb="auth.login", actor=users.ts_a).exists()


def test_upgrade_event_shows_before_and_after(users, tree):
    # a branch of 50 members or fewer: the district, with the reason written (B4)
    organization_upgrade(
        actor=users.ds,
        organization=tree.village_a1,
        new_kind=OrgKind.GENERAL_BRANCH,
        new_name="东风村党总支",
        effective_on=tree.village_a1.established_on,
        note="试点",
    )
    event = Event.objects.get(verb="organization.upgrade")
    assert ("name", "东风村党支部", "东风村党总支") in event.changes


def test_events_cannot_be_changed_in_admin(client, users, tree):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.com", "demo12345")
    client.force_login(admin)
    event = Event.objects.first()
    assert client.post(reverse("admin:partybuild_event_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()


def test_forwarded_for_is_trusted_only_from_our_proxy(rf, settings):
    from core.audit import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.0.0.7", REMOTE_ADDR="10.0.0.1")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "10.0.0.7"  # the spoofed left entry is ignored


def test_record_on_names_the_organization_and_scopes_the_event_to_its_path(users, tree):
    from core import audit
    from tests.factories import MemberFactory

    member = MemberFactory(organization=tree.village_a1)
    event = audit.record_on(member, actor=users.ds, verb="test.record_on", summary="测试", after={"x": 1})
    assert event.summary == f"{tree.village_a1.name}:测试"
    assert event.org_path == tree.village_a1.path
    assert (event.target_type, event.target_id, event.after) == ("organizations.member", str(member.pk), {"x": 1})
