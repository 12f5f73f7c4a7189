"""党员账号 and the member's own home (issue 17 deliver 6): the secretary or the township opens and stops a member's
account (audited, EDIT_ROSTER on the member's organization); the member's home shows their own dues, meetings,
circulars and transfers in a number of queries that does not grow with the rows, and nothing of others."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Event
from dues.rules.ledger import closed_months
from organizations.services.member_accounts import member_account_create, member_account_disable

pytestmark = pytest.mark.django_db


def test_the_secretary_opens_stops_and_opens_again_a_members_account(users, members):
    member = members["a1"][0]
    account, password = member_account_create(actor=users.sec_a1, member=member)
    member.refresh_from_db()
    assert member.user == account and account.username == f"m{member.pk}" and account.is_active
    assert account.check_password(password) and len(password) == 10
    assert Event.objects.filter(verb="member.account_create", target_id=str(member.pk)).count() == 1
    with pytest.raises(ValidationError, match="已有账号"):
        member_account_create(actor=users.ts_a, member=member)

    member_account_disable(actor=users.ts_a, member=member)
    account.refresh_from_db()
    assert not account.is_active
    assert Event.objects.filter(verb="member.account_disable", target_id=str(member.pk)).exists()
    with pytest.raises(ValidationError, match="没有可停用的账号"):
        member_account_disable(actor=users.sec_a1, member=member)

    again, second = member_account_create(actor=users.sec_a1, member=member)
    assert again.pk == account.pk and again.is_active and again.check_password(second) and second != password
    assert Event.objects.filter(verb="member.account_enable", target_id=str(member.pk)).exists()


@pytest.mark.parametrize("name", ["viewer_a", "liaison", "sec_b1", "ts_b", "nobody"])
def test_only_who_keeps_the_roster_opens_or_stops_an_account(users, members, name):
    member = members["a1"][1]
    with pytest.raises(PermissionDenied):
        member_account_create(actor=getattr(users, name), member=member)
    member_account_create(actor=users.sec_a1, member=member)
    with pytest.raises(PermissionDenied):
        member_account_disable(actor=getattr(users, name), member=member)
    assert not Event.objects.filter(verb="member.account_create", actor=getattr(users, name)).exists()


def test_a_member_who_has_left_gets_no_account(users, members):
    member = members["a1"][2]
    member.left_on = date(2026, 1, 5)
    member.save()
    with pytest.raises(ValidationError, match="已离开"):
        member_account_create(actor=users.sec_a1, member=member)


def _member_client(users, member) -> tuple[object, Client]:
    account, _ = member_account_create(actor=users.sec_a1, member=member)
    client = Client()
    client.force_login(account)
    return account, client


def _add_rows(member, other, tree, *, months: range, days: range, circulars: int) -> None:
    """Dues months, meetings (the member marked, another member too) and circulars to the member's organization."""
    from circulars.models import Circular, Receipt
    from dues.models import DuesMonth
    from meetings.models import Attendance, Meeting

    year = timezone.localdate().year
    for month in months:
        paid = Decimal("5") if month % 3 else Decimal("0")
        DuesMonth.objects.create(
            organization=member.organization, member=member, year=year, month=month, due=Decimal("5"), paid=paid
        )
    for day in days:
        meeting = Meeting.objects.create(
            organization=member.organization,
            kind="committee",
            held_on=date(year, 1, day),
            topic=f"支委会{day}",
            entered_on=date(year, 1, day),
        )
        Attendance.objects.create(meeting=meeting, member=member, mark="absent" if day % 2 else "present")
        Attendance.objects.create(meeting=meeting, member=other, mark="present")
    for n in range(circulars):
        circular = Circular.objects.create(
            sender=tree.township_a, title=f"通知{days.start}-{n}", body="请学习", state="sent", sent_at=timezone.now()
        )
        Receipt.objects.create(circular=circular, organization=member.organization)


def test_the_members_home_shows_their_own_and_costs_the_same_whatever_the_rows(users, members, tree):
    from circulars.models import Circular, Receipt

    member, other = members["a1"][0], members["a1"][1]
    _, client = _member_client(users, member)
    _add_rows(member, other, tree, months=range(1, 2), days=range(1, 2), circulars=1)
    with CaptureQueriesContext(connection) as few:
        page = client.get(reverse("home")).content.decode()
    assert "我的" in page and member.name in page and member.masked_id_number in page
    assert member.id_number not in page and other.name not in page

    _add_rows(member, other, tree, months=range(2, 12), days=range(2, 12), circulars=5)
    elsewhere = Circular.objects.create(
        sender=tree.township_b, title="别处的通知", body="正文", state="sent", sent_at=timezone.now()
    )
    Receipt.objects.create(circular=elsewhere, organization=tree.community_b1)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("home")).content.decode()
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert "支委会11" in page and "缺席" in page and "通知2-4" in page and "别处的通知" not in page
    closed = closed_months(timezone.localdate().year, timezone.localdate())
    owing = [m for m in (3, 6, 9) if m <= closed]  # nothing paid in March, June and September
    assert (f"欠交 {len(owing)} 个月" if owing else "没有欠交") in page
    mine = Circular.objects.get(title="通知2-4")
    assert client.get(reverse("circulars:own_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("circulars:own_detail", args=[elsewhere.pk])).status_code == 404
    assert client.get(reverse("circulars:detail", args=[mine.pk])).status_code == 404  # the receipt board is not theirs


def test_a_member_opens_their_circulars_attachments_and_not_the_replies(users, members, tree, settings, tmp_path):
    from django.core.files.base import ContentFile

    from circulars.models import Circular, CircularFile, Receipt

    settings.MEDIA_ROOT = tmp_path
    _, client = _member_client(users, members["a1"][0])
    circular = Circular.objects.create(sender=tree.township_a, title="附件通知", body="正文", state="sent")
    receipt = Receipt.objects.create(circular=circular, organization=tree.village_a1)
    files = []
    for name, on in (("方案.pdf", None), ("回复.pdf", receipt)):
        row = CircularFile(circular=circular, receipt=on, original_name=name, content_type="application/pdf", size=13)
        row.file.save(name, ContentFile(b"%PDF-1.4 test"))
        files.append(row)
    page = client.get(reverse("circulars:own_detail", args=[circular.pk])).content.decode()
    assert "方案.pdf" in page and "回复.pdf" not in page
    assert client.get(reverse("circulars:file_download", args=[files[0].pk])).status_code == 200
    assert client.get(reverse("circulars:file_download", args=[files[1].pk])).status_code == 404


def test_a_member_sees_nothing_of_others(users, members, tree):
    """Every page without a parameter answers the member as it answers an account without a role (the scope
    enumeration requests the others), and none names another member or an organization other than their own."""
    from tests.scope_enumeration import routes

    member = members["a1"][0]
    _, client = _member_client(users, member)
    others = [m.name for group in members.values() for m in group if m.name != member.name]
    organizations = [o.name for o in (tree.township_a, tree.township_b, tree.general_a2, tree.community_b1)]
    for route in routes():
        if route.params or route.is_public or route.name == "logout" or route.route.endswith((".pdf", ".xlsx")):
            continue  # the documents are requested as the member by the scope enumeration
        response = client.get("/" + route.route)
        assert response.status_code in (200, 302, 403, 404), route.route
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            page = response.content.decode()
            assert not [n for n in others + organizations if n in page], route.route
    for url in (
        reverse("organizations:org_detail", args=[tree.village_a1.pk]),
        reverse("organizations:member_detail", args=[member.pk]),
        reverse("organizations:member_list", args=[tree.village_a1.pk]),
        reverse("organizations:roster_xlsx", args=[tree.village_a1.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_the_member_page_opens_the_account_and_shows_the_password_once(users, members):
    member = members["a1"][3]
    client = Client()
    client.force_login(users.sec_a1)
    url = reverse("organizations:member_detail", args=[member.pk])
    assert "开通党员账号" in client.get(url).content.decode()
    shown = client.post(reverse("organizations:member_account", args=[member.pk]), {"action": "create"})
    member.refresh_from_db()
    assert shown.status_code == 200 and member.user.username in shown.content.decode()
    page = client.get(url).content.decode()
    assert "已开通" in page and "停用账号" in page
