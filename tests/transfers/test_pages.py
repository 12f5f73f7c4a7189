"""The transfers' pages: the list's queries do not grow with its rows, the form answers the same for a missing and
an unfit destination (issue 12 §5), the panels link the workflow, and the letter prints."""

from __future__ import annotations

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import MemberFactory
from transfers.services.requests import DESTINATION_REFUSED, transfer_start
from transfers.services.workflow import Action, transfer_move


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_list_runs_the_same_queries_for_two_rows_or_eight(tree, users) -> None:
    client = client_for(users.ts_b)
    url = reverse("transfers:home") + "?show=all"
    counts = []
    for n in (2, 6):
        for member in MemberFactory.create_batch(n, organization=tree.village_a1):
            transfer_start(
                actor=users.sec_a1, member=member, kind="within", to_org=tree.community_b1, reason="工作调动"
            )
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert response.content.decode().count(reverse("transfers:detail", args=[0])[:-2]) >= 8
    assert counts[0] == counts[1], counts


def test_the_form_answers_the_same_for_a_missing_and_an_unfit_destination(tree, users, members) -> None:
    client = client_for(users.sec_a1)
    url = reverse("transfers:start_out", args=[members["a1"][0].pk])
    assert "转出组织关系" in client.get(reverse("organizations:member_detail", args=[members["a1"][0].pk])).text
    pages = []
    for to_org in (10**6, tree.township_b.pk, tree.district.pk):
        data = {"kind": "within", "to_org": to_org, "reason": "工作调动", "started_on": "2026-05-06"}
        page = client.post(url, data).content.decode()
        assert DESTINATION_REFUSED in page and "工作调动" in page  # what was typed stays
        pages.append(re.findall(r'<ul class="errorlist[^>]*>(.*?)</ul>', page, re.S))
    assert pages[0] == pages[1] == pages[2] == [f"<li>{DESTINATION_REFUSED}</li>"]
    # a member out of scope is the same 404 as a missing one
    other = reverse("transfers:start_out", args=[members["b1"][0].pk])
    assert client.get(other).status_code == client.get(reverse("transfers:start_out", args=[10**6])).status_code == 404


def test_both_organization_pages_show_the_member_in_transit_and_the_letter_prints(tree, users, members) -> None:
    member = members["a1"][1]
    t = transfer_start(actor=users.sec_a1, member=member, kind="within", to_org=tree.community_b1, reason="迁居")
    t = transfer_move(actor=users.ts_a, transfer=t, action=Action.ISSUE, valid_days=30, dues_paid_to="2026-11")
    sending = client_for(users.sec_a1).get(reverse("organizations:org_detail", args=[tree.village_a1.pk])).text
    receiving = client_for(users.sec_b1).get(reverse("organizations:org_detail", args=[tree.community_b1.pk])).text
    link = reverse("transfers:detail", args=[t.pk])
    assert "转出中" in sending and link in sending
    assert "待转入" in receiving and link in receiving and "待接收的组织关系" in receiving
    response = client_for(users.sec_b1).get(reverse("transfers:letter_pdf", args=[t.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client_for(users.liaison).get(reverse("transfers:letter_pdf", args=[t.pk])).status_code == 403
