"""The demo district's membership transfers: one 区内转接 waiting for the receiver (its letter issued) and one 转出区外
with its letter out; both members still on their organization's roster; loaded again, nothing changes."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from transfers.models import TransferRequest

pytestmark = pytest.mark.django_db


def test_the_demo_holds_two_open_transfers_and_is_idempotent(demo_small) -> None:
    rows = {t.kind: t for t in TransferRequest.objects.select_related("member", "from_org", "to_org")}
    within, out = rows["within"], rows["out"]
    assert within.state == "awaiting" and within.letter_number and within.to_org is not None
    assert within.from_org != within.to_org
    assert out.state == "letter_out" and out.letter_number and out.to_org is None and "杭州" in out.to_name
    for t in (within, out):
        assert t.member.organization_id == t.from_org_id and t.member.left_on is None
    out_text = io.StringIO()
    call_command("load_demo_transfers", stdout=out_text)
    assert "未做任何更改" in out_text.getvalue()
    assert TransferRequest.objects.count() == 2
