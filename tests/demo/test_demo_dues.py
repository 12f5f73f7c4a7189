"""The demo district's dues (``load_demo --small``, built once for tests/demo/): every current member has a base and
months, most organizations collected every closed month, some have arrears (a branch of about 40 members among
them, for the ledger's journey), a few members reach the six-month list; a second run changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from dues.models import Declaration, DuesMonth, Payment
from dues.rules import ledger
from dues.selectors.signals import unpaid_six_months
from organizations.demo.district import demo_root
from organizations.models import Member


@pytest.fixture(scope="module")
def built(demo_small):
    return demo_small


@pytest.fixture
def demo(built, db):
    return built


def test_every_current_member_has_a_declared_base_and_months(demo) -> None:
    root = demo_root()
    members = Member.objects.filter(organization__path__startswith=root.path, left_on__isnull=True).count()
    year = timezone.localdate().year
    assert Declaration.objects.filter(year=year).values("member").distinct().count() == members
    assert DuesMonth.objects.filter(year=year).values("member").distinct().count() == members
    assert "党费演示数据已载入" in demo.output


def test_most_collect_every_month_and_some_branches_have_arrears(demo) -> None:
    today = timezone.localdate()
    closed = DuesMonth.objects.filter(year=today.year, month__lte=ledger.closed_months(today.year, today))
    if not closed.exists():
        pytest.skip("January: no closed month of this year yet")
    per_org = closed.values("organization").annotate(
        members=Count("member", distinct=True), owing=Count("pk", filter=Q(paid__lt=F("due")))
    )
    owing = [r for r in per_org if r["owing"]]
    assert 0 < len(owing) < len(per_org) / 3
    assert any(30 <= r["members"] <= 60 for r in owing)  # a branch of about 40 members with arrears
    assert Payment.objects.count() >= closed.filter(paid__gt=0).count()


def test_a_few_members_reach_the_six_month_list(demo) -> None:
    from django.contrib.auth import get_user_model

    district = get_user_model().objects.get(username="district")
    found = unpaid_six_months(district, demo_root(), timezone.localdate())
    assert 0 < len(found) < 200


def test_a_second_run_changes_nothing(demo) -> None:
    before = (DuesMonth.objects.count(), Payment.objects.count())
    out = io.StringIO()
    call_command("load_demo_dues", stdout=out)
    assert "未做任何更改" in out.getvalue()
    assert (DuesMonth.objects.count(), Payment.objects.count()) == before
