"""No existence oracle on the ID number (issue 12 §5).

township01 creating a member with a township02 member's ID number was told "具有 身份证号 的 党员 已存在。": the
person is a party member elsewhere. Out of scope the answer now says nothing about any other organization (the same
words as for a number the page cannot register for any reason); in scope it names the member so the clerk can open
that record instead of registering a duplicate. Form, service and import say the same.
"""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from organizations.models import Member
from organizations.services.members import ID_NUMBER_NOT_AVAILABLE
from tests.factories import MemberFactory


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def member_post(id_number: str) -> dict[str, str]:
    return {
        "name": "新党员",
        "gender": "male",
        "ethnicity": "汉族",
        "birth_date": "1985-03-02",
        "education": "bachelor",
        "occupation": "",
        "joined_on": "2010-07-01",
        "status": "full",
        "full_member_on": "2011-07-01",
        "id_number": id_number,
        "phone": "",
        "left_on": "",
        "left_reason": "",
        "migrant_note": "",
    }


def test_out_of_scope_id_number_discloses_nothing(users, tree) -> None:
    elsewhere = MemberFactory(organization=tree.community_b1, name="王外镇")
    url = reverse("organizations:member_create", args=[tree.village_a1.pk])
    response = client_for(users.ts_a).post(url, member_post(elsewhere.id_number))
    page = response.content.decode()
    assert response.status_code == 200
    assert "已存在" not in page and "王外镇" not in page and tree.community_b1.name not in page
    assert ID_NUMBER_NOT_AVAILABLE in page and "新党员" in page  # what was typed stays
    assert Member.objects.filter(id_number=elsewhere.id_number).count() == 1


def test_in_scope_id_number_points_to_the_member(users, tree) -> None:
    here = MemberFactory(organization=tree.general_a2, name="李在镇")
    url = reverse("organizations:member_create", args=[tree.village_a1.pk])
    page = client_for(users.ts_a).post(url, member_post(here.id_number)).content.decode()
    assert "李在镇" in page and tree.general_a2.name in page and "不要重复登记" in page


def test_editing_to_an_out_of_scope_id_number_discloses_nothing(users, tree) -> None:
    elsewhere = MemberFactory(organization=tree.community_b1, name="王外镇")
    mine = MemberFactory(organization=tree.village_a1)
    url = reverse("organizations:member_edit", args=[mine.pk])
    data = member_post(elsewhere.id_number) | {"record_version": ""}
    page = client_for(users.sec_a1).post(url, data).content.decode()
    assert ID_NUMBER_NOT_AVAILABLE in page and "王外镇" not in page and "已存在" not in page
    assert Member.objects.get(pk=mine.pk).id_number != elsewhere.id_number
