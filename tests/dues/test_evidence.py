"""Dues seen from elsewhere: the grading evidence (collection rate and the months short, with the ledger's link),
the 党章 Art. 9 list of the meetings app joined with the dues side, and the organization page's panel."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from dues.services.records import declaration_save, payment_record
from grading.evidence import evidence_for, evidence_for_item


@pytest.fixture
def year_2026(declared, users):
    """Every member paid January–May except member 2, who paid only January–March."""
    for m in declared:
        for month in range(1, 6 if m != declared[2] else 4):
            due = D("0.5") if m == declared[0] else D("40")
            payment_record(actor=users.sec_a1, member=m, year=2026, month=month, amount=due, paid_on=date(2026, 6, 1))
    return declared


def test_the_evidence_gives_the_rate_and_the_months_short_beside_the_dues_item(year_2026, tree) -> None:
    found = evidence_for([tree.village_a1.pk, tree.township_a.pk, tree.community_b1.pk], 2026)
    (figure,) = [e for e in found[tree.village_a1.pk] if e.source == "党费收缴"]
    assert figure.label == "党费收缴率" and figure.value == "94.3%"  # 1322.5 of 1402.5
    assert figure.detail == "4月、5月未收齐(欠缴2人月)" and figure.shortfall
    assert figure.url == reverse("dues:ledger", args=[tree.village_a1.pk]) + "?year=2026"
    assert "党费收缴率94.3%" in figure.sentence
    assert evidence_for_item([figure], "按时足额交纳党费", "查党员学习记录、党费收缴台账") == [figure]
    assert evidence_for_item([figure], "“三会一课”制度落实") == []
    assert [e for e in found[tree.township_a.pk] if e.source == "党费收缴"]  # the township's subtree
    assert not [e for e in found[tree.community_b1.pk] if e.source == "党费收缴"]  # no dues records


def test_six_unpaid_months_join_the_meetings_apps_art9_list(clock, users, members, tree) -> None:
    from meetings.selectors.participation import lapses_under

    member = members["a1"][3]
    declaration_save(actor=users.sec_a1, member=member, year=2025, from_month=1, category="student")
    declaration_save(actor=users.sec_a1, member=member, year=2026, from_month=1, category="student")
    # paid July–November 2025, then nothing: December–May are six closed months unpaid
    for month in range(7, 12):
        payment_record(
            actor=users.ds, member=member, year=2025, month=month, amount=D("0.2"), paid_on=date(2026, 1, 10)
        )
    lapses = [x for x in lapses_under(users.ts_a, tree.township_a, date(2026, 6, 15)) if x.what == "未交纳党费"]
    assert [(x.member.pk, x.months[0], x.months[-1]) for x in lapses] == [(member.pk, (2025, 12), (2026, 5))]


def test_the_organization_page_shows_the_dues_panel(client, year_2026, users, tree) -> None:
    client.force_login(users.sec_a1)
    page = client.get(reverse("organizations:org_detail", args=[tree.village_a1.pk]))
    text = page.content.decode()
    assert "党费收缴" in text and "94.3%" in text and reverse("dues:batch", args=[tree.village_a1.pk]) in text
