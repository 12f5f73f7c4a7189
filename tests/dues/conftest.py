"""Fixtures of the dues tests: the clock set to 2026-06-15 (so the closed months are January–May), and a branch
whose members have declared their bases for 2026."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine

TODAY = date(2026, 6, 15)


@pytest.fixture
def clock():
    with time_machine.travel("2026-06-15 10:00:00+08:00", tick=False):
        yield TODAY


@pytest.fixture
def declared(clock, users, members):
    """Village A1's eight members: employed with 4000 (40.00 a month), except the first, a farmer at 0.5."""
    from dues.services.records import declaration_save

    people = members["a1"]
    declaration_save(
        actor=users.sec_a1, member=people[0], year=2026, from_month=1, category="farmer", chosen=Decimal("0.5")
    )
    for m in people[1:]:
        declaration_save(
            actor=users.sec_a1, member=m, year=2026, from_month=1, category="employed", base=Decimal("4000")
        )
    return people
