"""Maintained counts on the organization (issue 15): every service that changes members or committee seats leaves
the stored counts equal to the rows; the repair command finds and fixes what was written past the services; the
district overview reads them (one query, no GROUP BY over every member)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from organizations.models import Member, MemberStatus, Organization, Position
from organizations.services import committee
from organizations.services import members as member_services
from organizations.services import tree as tree_services
from organizations.services.counts import counts_repair
from tests.factories import MemberFactory


def _stored(org):
    org = Organization.objects.get(pk=org.pk)
    return org.member_count, org.full_member_count, org.seat_count


def test_the_shared_data_and_factories_start_right(members):
    assert counts_repair(fix=False) == []


def test_each_service_keeps_the_counts_equal_to_the_rows(users, tree, members):
    a1, b21 = tree.village_a1, tree.branch_a21
    assert _stored(a1) == (8, 8, 0)
    new = member_services.member_create(
        actor=users.ds,
        organization=a1,
        name="新党员",
        gender="male",
        birth_date=date(1990, 1, 1),
        education="high_school",
        occupation="农民",
        joined_on=date(2025, 7, 1),
        status=MemberStatus.PROBATIONARY,
        id_number="11010119900101003X",
        phone="13900000000",
    )
    assert _stored(a1) == (9, 8, 0)
    member_services.member_update(actor=users.ds, member=new, status=MemberStatus.FULL)
    assert _stored(a1) == (9, 9, 0)
    moved = members["a1"][0]
    tree_services.members_move(actor=users.ds, members=[moved], to_org=b21, moved_on=date(2026, 3, 1))
    assert _stored(a1) == (8, 8, 0) and _stored(b21) == (4, 4, 0)
    position = committee.position_assign(
        actor=users.ds, organization=a1, member=members["a1"][1], post="secretary", started_on=date(2026, 1, 5)
    )
    assert _stored(a1) == (8, 8, 1)
    committee.position_end(actor=users.ds, position=position, ended_on=date(2026, 3, 1))
    assert _stored(a1) == (8, 8, 0)
    member_services.member_update(actor=users.ds, member=Member.objects.get(pk=new.pk), left_on=date(2026, 3, 2))
    assert _stored(a1) == (7, 7, 0)
    assert counts_repair(fix=False) == []


def test_the_repair_command_finds_and_fixes_counts_written_past_the_services(tree, members, capsys):
    Member.objects.filter(pk=members["b1"][0].pk).update(left_on=date(2026, 1, 1))
    Position.objects.create(
        organization=tree.community_b1, member=members["b1"][1], post="secretary", started_on=date(2026, 1, 1)
    )
    with pytest.raises(CommandError, match="1 个党组织"):
        call_command("organizations_recount", "--check")
    assert "T02-001 南门社区党支部:记录 (4, 4, 0),实有 (3, 3, 1)" in capsys.readouterr().out
    call_command("organizations_recount")
    assert _stored(tree.community_b1) == (3, 3, 1)
    call_command("organizations_recount", "--check")
    assert "均与名册一致" in capsys.readouterr().out


def test_the_factory_counts_a_batch(tree):
    MemberFactory.create_batch(3, organization=tree.general_a2, status=MemberStatus.PROBATIONARY)
    assert _stored(tree.general_a2) == (3, 0, 0)
