"""The demo's reorganizations (第三篇 五): the pilot 洞村党支部 waits for the township's 批复, and the township's home
says so; another village 党总支 has done one, its party group set up under the reply."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from organizations.demo.plan import SEED_VILLAGE_CODE
from organizations.models import OrgChange, OrgKind
from organizations.models.reorganization import Reorganization, ReorgState


@pytest.fixture(scope="module")
def built(demo_small) -> str:
    return demo_small.output


def test_the_pilot_waits_for_its_reply_and_the_township_sees_it(built, db):
    pilot = Reorganization.objects.select_related("organization").get(organization__code=SEED_VILLAGE_CODE)
    assert pilot.state == ReorgState.REQUESTED and pilot.new_kind == OrgKind.GENERAL_BRANCH
    assert pilot.members_consulted == pilot.members_total == 79 and pilot.comments.count() == 2
    client = Client()
    client.force_login(get_user_model().objects.get(username="township01"))
    home = client.get("/", follow=True).content.decode()
    assert 'aria-label="待批复的组织设置调整请示:1"' in home
    page = client.get(f"/reorganizations/{pilot.pk}/").content.decode()
    assert "批复同意" in page and "下载请示(PDF)" in page


def test_one_reorganization_is_done_with_its_party_group(built, db):
    done = Reorganization.objects.get(state=ReorgState.DONE)
    unit = done.created_units.get()
    assert unit.kind == OrgKind.PARTY_GROUP and unit.path.startswith(done.organization.path)
    assert done.reply_number in OrgChange.objects.get(organization=done.organization, kind="sub_created").note
