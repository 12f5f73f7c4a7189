"""党员统计 on the demo district (``load_demo --small``): every table adds up, the district is the sum of its
townships, and each township's own page counts what its row on the district page says."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from organizations.demo.district import demo_root
from organizations.models import Member
from stats.selectors.counts import membership_tables


@pytest.fixture(scope="module")
def built(demo_small):
    return demo_small


def test_the_demo_district_is_the_sum_of_its_townships(built, db) -> None:
    district = get_user_model().objects.get(username="district")
    root = demo_root()
    day = timezone.localdate()
    tables = membership_tables(district, root, day=day)
    current = Member.objects.filter(organization__path__startswith=root.path, left_on__isnull=True).count()
    assert current > 0
    for table in tables:
        assert table.total.total == current == sum(table.total.counts), table.key
        assert len(table.rows) >= 2
        for i in range(len(table.categories)):
            assert sum(r.counts[i] for r in table.rows) == table.total.counts[i], (table.key, i)
    township = next(r for r in tables[0].rows if r.org is not None and r.total)
    own = membership_tables(district, township.org, day=day, by_child=False)
    assert own[0].total.counts == township.counts and own[0].total.total == township.total
