"""The demo district's circulars: one circular the first township sent to six organizations, two replied, one read,
three not opened (the first, branch0001's, among them); loaded again, nothing changes."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from circulars.demo.build import TITLE
from circulars.models import Circular, Receipt

pytestmark = pytest.mark.django_db


def test_the_demo_holds_one_circular_with_a_few_replies_and_is_idempotent(demo_small) -> None:
    circular = Circular.objects.select_related("sender").get(title=TITLE)
    assert circular.state == "sent" and circular.sender.depth == 2 and circular.deadline
    receipts = list(Receipt.objects.filter(circular=circular).order_by("organization__path"))
    assert len(receipts) == 6
    assert sum(r.replied_at is not None for r in receipts) == 2
    assert sum(r.read_at is not None for r in receipts) == 3
    assert receipts[0].read_at is None
    assert [f.original_name for f in receipts[1].files.all()] == ["年度党建工作总结.pdf"]
    out = io.StringIO()
    call_command("load_demo_circulars", stdout=out)
    assert "未做任何更改" in out.getvalue()
    assert Circular.objects.count() == 1 and Receipt.objects.count() == 6
