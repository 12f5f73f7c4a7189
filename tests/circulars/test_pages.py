"""The pages of circulars through the client: drafting from the form, the detail's buttons, the documents, and the
query counts of the lists and the receipt board (constant as recipients and circulars grow)."""

from __future__ import annotations

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from circulars.models import Circular, Receipt
from circulars.selectors import circulars as selectors
from circulars.services import circulars as services
from circulars.services.recipients import Choice, Mode
from organizations.models import OrgKind
from organizations.services.tree import organization_create
from tests.circulars.conftest import pdf, values

pytestmark = pytest.mark.django_db


def _branches(tree, start: int, n: int) -> None:
    for i in range(start, start + n):
        organization_create(
            actor=None,
            parent=tree.township_a,
            code=f"T01-1{i:02d}",
            name=f"东风第{i}党支部",
            kind=OrgKind.BRANCH,
            check_permission=False,
        )


def _send(tree, users, n: int = 1) -> Circular:
    circular = None
    for _ in range(n):
        circular = services.circular_create(
            actor=users.ts_a, sender=tree.township_a, values=values(), choice=Choice(Mode.ALL)
        )
        services.circular_move(actor=users.ts_a, circular=circular, move="send")
    return circular


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_lists_and_board_take_a_constant_number_of_queries(client, tree, users):
    client.force_login(users.ts_a)
    secretary, district, viewer = type(client)(), type(client)(), type(client)()
    secretary.force_login(users.sec_a1)
    district.force_login(users.ds)
    viewer.force_login(users.viewer_a)
    counts = []
    for extra in (0, 6):
        _branches(tree, 10 + extra, extra or 1)
        circular = _send(tree, users, n=2)
        for r in Receipt.objects.filter(circular=circular)[:3]:
            Receipt.objects.filter(pk=r.pk).update(reply="已报送")
        detail = reverse("circulars:detail", args=[circular.pk])
        home = reverse("circulars:home")
        counts.append(
            (
                _queries(client, home),
                _queries(client, detail),
                _queries(secretary, home),
                _queries(district, home),
                _queries(viewer, home),
            )
        )
    assert counts[0] == counts[1], counts
    below = district.get(home).content.decode()
    assert "下级发出的通知" in below and circular.title in below.split("下级发出的通知")[1]
    assert "本辖区发出的通知" in viewer.get(home).content.decode()
    assert "下级发出" not in client.get(home).content.decode()  # the township's own are under 发出的通知


def test_below_lists_other_senders_sent_circulars_only(tree, users):
    sent, draft = (
        _send(tree, users),
        services.circular_create(actor=users.ts_a, sender=tree.township_a, values=values(), choice=Choice(Mode.ALL)),
    )
    assert {sent.pk, draft.pk} - {c.pk for c in selectors.below_of(users.ds)} == {draft.pk}
    assert sent.pk in {c.pk for c in selectors.below_of(users.viewer_a)}
    for user in (users.ts_a, users.ts_b, users.sec_a1, users.liaison):
        assert sent.pk not in {c.pk for c in selectors.below_of(user)}


def test_draft_send_reply_remind_through_the_pages(client, tree, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(users.ts_a)
    form = client.get(reverse("circulars:create")).content.decode()
    assert "东风村党支部" in form and "逐个选择" in form
    deadline = values()["deadline"].isoformat()
    posted = {
        "sender": tree.township_a.pk,
        "title": "关于报送材料的通知",
        "body": "请报送。",
        "reply_required": "on",
        "deadline": deadline,
        "mode": "picked",
    }
    refused = client.post(reverse("circulars:create"), posted)
    assert "请至少勾选一个党组织" in refused.content.decode() and "关于报送材料的通知" in refused.content.decode()
    posted["picked"] = [tree.village_a1.pk, tree.branch_a21.pk]
    response = client.post(reverse("circulars:create"), {**posted, "upload": pdf("方案.pdf")})
    circular = Circular.objects.get(title="关于报送材料的通知")
    assert response.status_code == 302 and circular.files.get().original_name == "方案.pdf"
    client.post(reverse("circulars:send", args=[circular.pk]))
    circular.refresh_from_db()
    assert circular.state == "sent"

    secretary = type(client)()
    secretary.force_login(users.sec_a1)
    receipt = circular.receipts.get(organization=tree.village_a1)
    page = secretary.get(reverse("circulars:detail", args=[circular.pk])).content.decode()
    assert "签收" in page and "回执情况" not in page
    secretary.post(reverse("circulars:read", args=[receipt.pk]))
    empty = secretary.post(reverse("circulars:reply", args=[receipt.pk]), {"text": ""})
    assert "请填写回复内容或上传附件" in empty.content.decode()
    secretary.post(reverse("circulars:reply", args=[receipt.pk]), {"text": "已报送", "upload": pdf()})
    receipt.refresh_from_db()
    assert receipt.read_at and receipt.replied_at and receipt.files.count() == 1

    board = client.get(reverse("circulars:detail", args=[circular.pk])).content.decode()
    assert "提醒未回复" in board and "总结.pdf" in board
    client.post(reverse("circulars:remind", args=[circular.pk]))
    assert circular.receipts.get(organization=tree.branch_a21).remind_count == 1
    again = client.post(reverse("circulars:remind", args=[circular.pk]), follow=True).content.decode()
    assert "每个党组织每天最多提醒一次" in again

    book = client.get(reverse("circulars:receipts_xlsx", args=[circular.pk]))
    sheet = load_workbook(io.BytesIO(book.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("序号", "接收党组织", "状态")
    assert [(r[1], r[2]) for r in rows[1:]] == [("东风村党支部", "已回复"), ("东风镇中学第一党支部", "未读")]
    assert secretary.get(reverse("circulars:receipts_xlsx", args=[circular.pk])).status_code == 403
    document = secretary.get(reverse("circulars:circular_pdf", args=[circular.pk]))
    assert document.status_code == 200 and document.content.startswith(b"%PDF")
    assert client.get(reverse("circulars:edit", args=[circular.pk])).status_code == 403


def test_a_draft_is_corrected_on_its_page(client, tree, users):
    draft = services.circular_create(actor=users.ts_a, sender=tree.township_a, values=values(), choice=Choice(Mode.ALL))
    client.force_login(users.ts_a)
    url = reverse("circulars:edit", args=[draft.pk])
    page = client.get(url).content.decode()
    assert "关于报送年度总结的通知" in page and re.search(r'value="picked"[^>]*checked', page)
    posted = {"title": "关于报送总结的通知", "body": "请报送。", "mode": "kind", "kind": "branch"}
    assert client.post(url, posted).status_code == 302
    draft.refresh_from_db()
    assert draft.title == "关于报送总结的通知" and not draft.reply_required and draft.receipts.count() == 2
